/* report_json.c: see report_json.h. */
#include "report/report_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "grade/result_json.h"

static void add_text(cJSON *o, const char *key, const char *s)
{
    if (s == NULL)
        return;
    char *safe = utf8_sanitize(s, strlen(s));
    cJSON_AddStringToObject(o, key, safe);
    free(safe);
}

static void add_summary(cJSON *doc, const results_doc *d)
{
    double score = 0, max = 0;
    int passed = 0, failed = 0, build_errors = 0, skipped = 0, tampered = 0;
    for (size_t i = 0; i < d->n; i++) {
        const exercise_result *r = &d->results[i];
        score += r->score;
        max += r->max_score;
        switch (r->verdict) {
        case EV_PASSED: passed++; break;
        case EV_FAILED: failed++; break;
        case EV_BUILD_ERROR: build_errors++; break;
        case EV_SKIPPED: skipped++; break;
        case EV_TAMPERED: tampered++; break;
        }
    }
    cJSON_AddNumberToObject(doc, "score", round3(score));
    cJSON_AddNumberToObject(doc, "max_score", round3(max));
    cJSON *s = cJSON_AddObjectToObject(doc, "summary");
    cJSON_AddNumberToObject(s, "exercises", (double)d->n);
    cJSON_AddNumberToObject(s, "passed", passed);
    cJSON_AddNumberToObject(s, "failed", failed);
    cJSON_AddNumberToObject(s, "build_error", build_errors);
    cJSON_AddNumberToObject(s, "skipped", skipped);
    cJSON_AddNumberToObject(s, "tampered", tampered);
}

char *results_document_print(const results_doc *d)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "schema", RESULTS_SCHEMA);
    cJSON *g = cJSON_AddObjectToObject(doc, "grader");
    cJSON_AddStringToObject(g, "version", GRADER_VERSION);
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(doc, "generated_at", when);
    cJSON *course = cJSON_AddObjectToObject(doc, "course");
    add_text(course, "id", d->course_id);
    add_text(course, "title", d->course_title);
    add_summary(doc, d);
    cJSON *list = cJSON_AddArrayToObject(doc, "exercises");
    for (size_t i = 0; i < d->n; i++)
        cJSON_AddItemToArray(list, exercise_result_to_json(&d->results[i]));
    if (d->extra) {
        cJSON *it = d->extra->child;
        while (it) {
            cJSON *next = it->next;
            cJSON *item = cJSON_DetachItemViaPointer(d->extra, it);
            cJSON_AddItemToObject(doc, item->string, item);
            it = next;
        }
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (text == NULL)
        die_internal("out of memory");
    return text;
}

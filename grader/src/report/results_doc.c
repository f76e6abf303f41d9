/* results_doc.c: see results_doc.h. */
#include "report/results_doc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "grade/result_json.h"

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
    json_add_text(course, "id", d->course_id);
    json_add_text(course, "title", d->course_title);
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

/* ---- reading ------------------------------------------------------------- */

const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

const cJSON *jarr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsArray(v) ? v : NULL;
}

/* Scores are finite and not negative (the schema's "minimum": 0). */
static int is_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
           v->valuedouble >= 0 && v->valuedouble < 1e12;
}

static int is_str(const cJSON *o, const char *key)
{
    return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Only what the exporters and the leaderboard rely on is checked; extra
 * members (provenance, integrity, ...) are welcome. */
static int check_doc(const cJSON *doc, strbuf *err)
{
    if (!cJSON_IsObject(doc)) {
        sb_puts(err, "not a JSON object");
        return -1;
    }
    if (strcmp(jstr(doc, "schema"), RESULTS_SCHEMA) != 0) {
        sb_printf(err, "schema is not \"%s\"", RESULTS_SCHEMA);
        return -1;
    }
    if (!is_num(doc, "score") || !is_num(doc, "max_score") ||
        jarr(doc, "exercises") == NULL) {
        sb_puts(err, "score, max_score (numbers from 0) or exercises "
                     "missing");
        return -1;
    }
    const cJSON *ex;
    int i = 0;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        if (!is_str(ex, "id") || !is_num(ex, "score") ||
            !is_num(ex, "max_score") || !is_str(ex, "verdict") ||
            jarr(ex, "tests") == NULL) {
            sb_printf(err,
                      "exercises[%d] lacks id, verdict, score, "
                      "max_score or tests",
                      i);
            return -1;
        }
        const cJSON *t;
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            if (!is_str(t, "name") || !is_str(t, "verdict") ||
                !is_num(t, "score") || !is_num(t, "max_score")) {
                sb_printf(err,
                          "a test of exercises[%d] lacks name, verdict, "
                          "score or max_score",
                          i);
                return -1;
            }
        }
        i++;
    }
    return 0;
}

int results_parse(const char *text, size_t len, cJSON **doc, strbuf *err)
{
    *doc = cJSON_ParseWithLength(text, len);
    if (*doc == NULL) {
        size_t at = (size_t)(cJSON_GetErrorPtr() - text);
        sb_printf(err, "not valid JSON (near byte %zu)", at <= len ? at : 0);
        return -1;
    }
    if (check_doc(*doc, err) != 0) {
        cJSON_Delete(*doc);
        *doc = NULL;
        return -1;
    }
    return 0;
}

int results_load(const char *path, cJSON **doc, strbuf *err)
{
    char *text = NULL;
    size_t len = 0;
    *doc = NULL;
    if (file_read(path, &text, &len, (size_t)64 << 20) != 0) {
        sb_printf(err, "cannot read: %s", strerror(errno));
        return -1;
    }
    int rc = results_parse(text, len, doc, err);
    free(text);
    return rc;
}

int metric_is_headline(const char *name)
{
    static const char *const headline[] = {
        "gflops", "fast_tok_per_s",    "tok_per_s",
        "tok_s",  "ratio_vs_openblas", "speedup_vs_naive",
        NULL};
    for (const char *const *h = headline; *h; h++)
        if (strcmp(name, *h) == 0)
            return 1;
    return 0;
}

char *test_feedback(const cJSON *t)
{
    strbuf sb = {0};
    const char *msg = jstr(t, "message"), *out = jstr(t, "output");
    sb_puts(&sb, msg);
    if (*out) {
        if (*msg)
            sb_puts(&sb, "\n");
        sb_puts(&sb, out);
    }
    if (sb.data == NULL)
        sb_puts(&sb, "");
    return sb_steal(&sb);
}

char *json_text(const cJSON *doc)
{
    char *s = cJSON_Print(doc);
    if (s == NULL)
        die_internal("out of memory");
    strbuf sb = {0};
    sb_puts(&sb, s);
    sb_puts(&sb, "\n");
    free(s);
    return sb_steal(&sb);
}

/* results_doc.c: see results_doc.h. */
#include "report/results_doc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
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
    json_make_safe(doc);
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
           v->valuedouble >= 0 && v->valuedouble <= RESULTS_MAX_SCORE;
}

static int is_str(const cJSON *o, const char *key)
{
    return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, key));
}

int jcount(const cJSON *o, const char *key)
{
    double v = jnum(o, key);
    if (!(v > 0))
        return 0;
    return v < RESULTS_MAX_COUNT ? (int)v : RESULTS_MAX_COUNT;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first name that appears twice in names[0..n) (sorted in place), or
 * NULL. */
static const char *first_duplicate(const char **names, size_t n)
{
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_cstr);
    for (size_t i = 1; i < n; i++)
        if (strcmp(names[i - 1], names[i]) == 0)
            return names[i];
    return NULL;
}

/* Replaces *s (allocated by cJSON) by its sanitized copy when it differs. */
static void sanitize_in_place(char **s)
{
    if (*s == NULL)
        return;
    char *clean = utf8_sanitize(*s, strlen(*s));
    if (strcmp(clean, *s) == 0) {
        free(clean);
        return;
    }
    cJSON_free(*s);
    *s = clean;
}

/* Every string and member name of j made valid UTF-8 without control
 * characters (utf8.h), every number finite, no member name twice in one
 * object: what the exporters then write is valid whatever was read. */
static int normalize(cJSON *j, strbuf *err)
{
    size_t n = 0;
    for (cJSON *c = j->child; c; c = c->next) {
        if (c->string != NULL && !(c->type & cJSON_StringIsConst))
            sanitize_in_place(&c->string);
        if (cJSON_IsString(c))
            sanitize_in_place(&c->valuestring);
        if (cJSON_IsNumber(c) && !isfinite(c->valuedouble)) {
            sb_printf(err,
                      "member \"%s\": a number out of range (not "
                      "finite)",
                      c->string ? c->string : "[]");
            return -1;
        }
        if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && normalize(c, err))
            return -1;
        n++;
    }
    if (!cJSON_IsObject(j) || n < 2)
        return 0;
    const char **names = xcalloc(n, sizeof *names);
    size_t k = 0;
    for (const cJSON *c = j->child; c; c = c->next)
        names[k++] = c->string ? c->string : "";
    const char *dup = first_duplicate(names, n);
    if (dup) {
        char *shown = utf8_visible(dup, 64);
        sb_printf(err, "member \"%s\" appears twice in one object", shown);
        free(shown);
    }
    free(names);
    return dup ? -1 : 0;
}

/* An optional count (exercise chapter, tests passed, ...): absent, or an
 * integer in 0..hi. */
static int check_count(const cJSON *o, const char *key, double hi,
                       const char *where, strbuf *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= hi &&
        v->valuedouble == floor(v->valuedouble))
        return 0;
    sb_printf(err, "%s: \"%s\" must be an integer in 0..%.0f", where, key, hi);
    return -1;
}

/* An optional duration in seconds: absent, or in 0..RESULTS_MAX_SECONDS. */
static int check_seconds(const cJSON *o, const char *key, const char *where,
                         strbuf *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
        v->valuedouble <= RESULTS_MAX_SECONDS)
        return 0;
    sb_printf(err, "%s: \"%s\" must be a number of seconds in 0..%d", where,
              key, RESULTS_MAX_SECONDS);
    return -1;
}

static int check_test(const cJSON *t, int i, strbuf *err)
{
    if (!is_str(t, "name") || !is_str(t, "verdict") || !is_num(t, "score") ||
        !is_num(t, "max_score")) {
        sb_printf(err,
                  "a test of exercises[%d] lacks name, verdict, score or "
                  "max_score (numbers in 0..%g)",
                  i, RESULTS_MAX_SCORE);
        return -1;
    }
    char where[64];
    snprintf(where, sizeof where, "a test of exercises[%d]", i);
    return check_seconds(t, "wall_s", where, err);
}

/* Tests of one exercise: at most RESULTS_MAX_TESTS, names unique. */
static int check_tests(const cJSON *tests, int i, strbuf *err)
{
    int n = cJSON_GetArraySize(tests);
    if (n > RESULTS_MAX_TESTS) {
        sb_printf(err, "exercises[%d]: %d tests, more than the limit of %d", i,
                  n, RESULTS_MAX_TESTS);
        return -1;
    }
    const char **names = xcalloc((size_t)n + 1, sizeof *names);
    size_t k = 0;
    const cJSON *t;
    int rc = 0;
    cJSON_ArrayForEach(t, tests)
    {
        if ((rc = check_test(t, i, err)) != 0)
            break;
        names[k++] = jstr(t, "name");
    }
    const char *dup = rc ? NULL : first_duplicate(names, k);
    if (dup) {
        char *shown = utf8_visible(dup, 64);
        sb_printf(err, "exercises[%d]: test \"%s\" appears twice", i, shown);
        free(shown);
        rc = -1;
    }
    free(names);
    return rc;
}

static int check_exercise(const cJSON *ex, int i, strbuf *err)
{
    if (!is_str(ex, "id") || !is_num(ex, "score") || !is_num(ex, "max_score") ||
        !is_str(ex, "verdict") || jarr(ex, "tests") == NULL) {
        sb_printf(err,
                  "exercises[%d] lacks id, verdict, score, max_score "
                  "(numbers in 0..%g) or tests",
                  i, RESULTS_MAX_SCORE);
        return -1;
    }
    char where[32];
    snprintf(where, sizeof where, "exercises[%d]", i);
    if (check_count(ex, "chapter", 99, where, err) ||
        check_count(ex, "tests_passed", RESULTS_MAX_TESTS, where, err) ||
        check_count(ex, "tests_total", RESULTS_MAX_TESTS, where, err) ||
        check_seconds(ex, "wall_s", where, err))
        return -1;
    return check_tests(jarr(ex, "tests"), i, err);
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
        sb_printf(err,
                  "score, max_score (numbers in 0..%g) or exercises "
                  "missing",
                  RESULTS_MAX_SCORE);
        return -1;
    }
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(doc, "summary");
    static const char *const counts[] = {"exercises",   "passed",  "failed",
                                         "build_error", "skipped", "tampered",
                                         NULL};
    for (const char *const *c = counts; *c; c++)
        if (check_count(sum, *c, RESULTS_MAX_EXERCISES, "summary", err))
            return -1;
    const cJSON *list = jarr(doc, "exercises");
    int n = cJSON_GetArraySize(list);
    if (n > RESULTS_MAX_EXERCISES) {
        sb_printf(err, "%d exercises, more than the limit of %d", n,
                  RESULTS_MAX_EXERCISES);
        return -1;
    }
    const char **ids = xcalloc((size_t)n + 1, sizeof *ids);
    const cJSON *ex;
    int i = 0, rc = 0;
    cJSON_ArrayForEach(ex, list)
    {
        if ((rc = check_exercise(ex, i, err)) != 0)
            break;
        ids[i++] = jstr(ex, "id");
    }
    const char *dup = rc ? NULL : first_duplicate(ids, (size_t)i);
    if (dup) {
        char *shown = utf8_visible(dup, 64);
        sb_printf(err, "exercise \"%s\" appears twice", shown);
        free(shown);
        rc = -1;
    }
    free(ids);
    return rc;
}

int results_parse(const char *text, size_t len, cJSON **doc, strbuf *err)
{
    *doc = cJSON_ParseWithLength(text, len);
    if (*doc == NULL) {
        size_t at = (size_t)(cJSON_GetErrorPtr() - text);
        sb_printf(err, "not valid JSON (near byte %zu)", at <= len ? at : 0);
        return -1;
    }
    if (normalize(*doc, err) != 0 || check_doc(*doc, err) != 0) {
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
    if (file_read(path, &text, &len, RESULTS_MAX_BYTES) != 0) {
        if (errno == EFBIG)
            sb_printf(err, "larger than the limit of %d MiB",
                      RESULTS_MAX_BYTES >> 20);
        else
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

char *json_text(cJSON *doc)
{
    json_make_safe(doc);
    char *s = cJSON_Print(doc);
    if (s == NULL)
        die_internal("out of memory");
    strbuf sb = {0};
    sb_puts(&sb, s);
    sb_puts(&sb, "\n");
    free(s);
    return sb_steal(&sb);
}

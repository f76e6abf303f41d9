/* result_json.c: see result_json.h. Every string that reaches cJSON is made
 * valid UTF-8 first, so the document stays valid whatever a student prints. */
#include "grade/result_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "base/utf8.h"

void json_add_text(cJSON *o, const char *key, const char *s)
{
    if (s == NULL)
        return;
    char *safe = utf8_sanitize(s, strlen(s));
    cJSON_AddStringToObject(o, key, safe);
    free(safe);
}

/* Replaces *s (allocated by cJSON) by its sanitized copy when it differs. */
static void sanitize_string(char **s)
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

void json_make_safe(cJSON *j)
{
    for (cJSON *c = j ? j->child : NULL; c; c = c->next) {
        if (c->string != NULL && !(c->type & cJSON_StringIsConst))
            sanitize_string(&c->string);
        if (cJSON_IsString(c))
            sanitize_string(&c->valuestring);
        else if (cJSON_IsNumber(c) && !isfinite(c->valuedouble))
            cJSON_SetNumberValue(c, 0);
        else if (cJSON_IsObject(c) || cJSON_IsArray(c))
            json_make_safe(c);
    }
}

double round3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

static cJSON *test_to_json(const test_result *t)
{
    cJSON *o = cJSON_CreateObject();
    json_add_text(o, "name", t->name);
    cJSON_AddStringToObject(o, "verdict", test_verdict_name(t->verdict));
    cJSON_AddNumberToObject(o, "score", round3(t->score));
    cJSON_AddNumberToObject(o, "max_score", round3(t->max_score));
    cJSON_AddNumberToObject(o, "wall_s", round3(t->wall_s));
    json_add_text(o, "message", t->message);
    json_add_text(o, "output", t->output);
    if (t->nmetrics > 0) {
        cJSON *m = cJSON_AddObjectToObject(o, "metrics");
        for (size_t i = 0; i < t->nmetrics; i++) {
            char *k =
                utf8_sanitize(t->metrics[i].name, strlen(t->metrics[i].name));
            cJSON_AddNumberToObject(m, k, t->metrics[i].value);
            free(k);
        }
    }
    return o;
}

cJSON *exercise_result_to_json(const exercise_result *r)
{
    cJSON *o = cJSON_CreateObject();
    json_add_text(o, "id", r->id);
    cJSON_AddNumberToObject(o, "chapter", r->chapter);
    json_add_text(o, "title", r->title);
    cJSON_AddStringToObject(o, "verdict", exercise_verdict_name(r->verdict));
    cJSON_AddNumberToObject(o, "score", round3(r->score));
    cJSON_AddNumberToObject(o, "max_score", round3(r->max_score));
    cJSON_AddNumberToObject(o, "tests_passed", tests_passed(r));
    cJSON_AddNumberToObject(o, "tests_total", (double)r->ntests);
    cJSON_AddBoolToObject(o, "cached", r->cached);
    cJSON_AddNumberToObject(o, "wall_s", round3(r->wall_s));
    json_add_text(o, "hash", r->hash);
    json_add_text(o, "message", r->message);
    json_add_text(o, "build_log", r->build_log);
    cJSON *tests = cJSON_AddArrayToObject(o, "tests");
    for (size_t i = 0; i < r->ntests; i++)
        cJSON_AddItemToArray(tests, test_to_json(&r->tests[i]));
    return o;
}

static char *get_text(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v))
        return NULL;
    return xstrdup(v->valuestring);
}

static double get_num(const cJSON *o, const char *key, int *ok)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v)) {
        *ok = 0;
        return 0;
    }
    return v->valuedouble;
}

static int test_from_json(const cJSON *j, test_result *t)
{
    int ok = 1;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "verdict");
    t->name = get_text(j, "name");
    t->message = get_text(j, "message");
    t->output = get_text(j, "output");
    t->score = get_num(j, "score", &ok);
    t->max_score = get_num(j, "max_score", &ok);
    t->wall_s = get_num(j, "wall_s", &ok);
    if (!cJSON_IsString(v) || test_verdict_parse(v->valuestring, &t->verdict))
        ok = 0;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "metrics");
    if (cJSON_IsObject(m)) {
        size_t n = (size_t)cJSON_GetArraySize(m);
        t->metrics = xcalloc(n, sizeof *t->metrics);
        const cJSON *it;
        cJSON_ArrayForEach(it, m)
        {
            if (!cJSON_IsNumber(it))
                continue;
            t->metrics[t->nmetrics].name = xstrdup(it->string);
            t->metrics[t->nmetrics].value = it->valuedouble;
            t->nmetrics++;
        }
    }
    return ok && t->name ? 0 : -1;
}

int exercise_result_from_json(const cJSON *j, exercise_result *r)
{
    memset(r, 0, sizeof *r);
    int ok = 1;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "verdict");
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(j, "tests");
    r->id = get_text(j, "id");
    r->title = get_text(j, "title");
    r->message = get_text(j, "message");
    r->build_log = get_text(j, "build_log");
    r->hash = get_text(j, "hash");
    r->chapter = (int)get_num(j, "chapter", &ok);
    r->score = get_num(j, "score", &ok);
    r->max_score = get_num(j, "max_score", &ok);
    r->wall_s = get_num(j, "wall_s", &ok);
    if (!cJSON_IsString(v) ||
        exercise_verdict_parse(v->valuestring, &r->verdict) ||
        !cJSON_IsArray(tests) || r->id == NULL || r->hash == NULL)
        ok = 0;
    if (ok) {
        size_t n = (size_t)cJSON_GetArraySize(tests);
        r->tests = xcalloc(n, sizeof *r->tests);
        const cJSON *t;
        cJSON_ArrayForEach(t, tests)
        {
            if (test_from_json(t, &r->tests[r->ntests++]) != 0)
                ok = 0;
        }
    }
    if (!ok) {
        exercise_result_free(r);
        return -1;
    }
    return 0;
}

/* manifest.c: loading and validating exercises/manifest.json with cJSON.
 *
 * Validation is strict on purpose: a typo in an instructor's manifest must
 * be a clear one-line error, not an exercise that silently grades wrong. */
#include "workbook/manifest.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/i18n.h"
#include "base/strbuf.h"
#include "base/utf8.h"

/* Limits (grader/README.md, "Limits"). Exercise numbers are two digits,
 * so a manifest holds at most 100 exercises. */
enum {
    MANIFEST_MAX_BYTES = 4 << 20,
    MANIFEST_MAX_STRING = 4096, /* bytes of any one string */
    MANIFEST_MAX_LIST = 256,    /* elements of any one list */
    MAX_MEMORY_MB = 65536,
};
static const double MAX_TIME_LIMIT_S = 600;

static const char *const KNOWN_REQUIRES[] = {"openblas", "opencl", "cuda_sim",
                                             "numpy",    "gpu",    NULL};
static const char *const KNOWN_FIELDS[] = {"id",
                                           "chapter",
                                           "title",
                                           "title_zh",
                                           "points",
                                           "kind",
                                           "edit",
                                           "tests",
                                           "hints",
                                           "hints_zh",
                                           "lecture",
                                           "requires",
                                           "links",
                                           "libs",
                                           "cflags",
                                           "time_limit_s",
                                           "memory_limit_mb",
                                           "perf",
                                           "race_tier",
                                           NULL};

/* The manifest being parsed, and the exercise at hand. */
typedef struct {
    strbuf *err;
    const char *root; /* the workbook, whose files must exist; NULL: none
                         is looked at */
    const manifest *m;
    double def_time; /* the defaults of the limits */
    int def_mem;
    size_t index;   /* position in the exercises array */
    const char *id; /* may be NULL before the id is read */
} ctx;

/* One line: every string quoted from the manifest is shown with its
 * control characters visible and cut to a readable length. */
static int fail(ctx *c, const char *field, const char *fmt, const char *arg)
{
    sb_printf(c->err, "%s: exercise %zu", MANIFEST_PATH, c->index);
    if (c->id) {
        char *id = utf8_visible(c->id, 80);
        sb_printf(c->err, " \"%s\"", id);
        free(id);
    }
    if (field) {
        char *f = utf8_visible(field, 80);
        sb_printf(c->err, ": field \"%s\"", f);
        free(f);
    }
    sb_puts(c->err, ": ");
    char *shown = utf8_visible(arg ? arg : "", 200);
    sb_printf(c->err, fmt, shown);
    free(shown);
    return -1;
}

static int valid_id(const char *s)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        s[2] != '_' || s[3] == '\0')
        return 0;
    for (const char *p = s + 3; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
              *p == '_'))
            return 0;
    return 1;
}

/* A relative path inside the exercise folder: no "..", no absolute path. */
static int safe_relative(const char *p)
{
    if (p[0] == '\0' || p[0] == '/' || strstr(p, "..") != NULL)
        return 0;
    for (; *p; p++)
        if (!(isalnum((unsigned char)*p) || strchr("._-/", *p)))
            return 0;
    return 1;
}

static int get_string(ctx *c, const cJSON *o, const char *field, int required,
                      char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    *out = NULL;
    if (v == NULL)
        return required ? fail(c, field, "missing (a string is required)%s", "")
                        : 0;
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
        return fail(c, field, "must be a non-empty string%s", "");
    if (strlen(v->valuestring) > MANIFEST_MAX_STRING)
        return fail(c, field, "longer than the limit of 4096 bytes%s", "");
    *out = xstrdup(v->valuestring);
    return 0;
}

static int get_int(ctx *c, const cJSON *o, const char *field, int required,
                   int lo, int hi, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    if (v == NULL)
        return required
                   ? fail(c, field, "missing (an integer is required)%s", "")
                   : 0;
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
        v->valuedouble < lo || v->valuedouble > hi) {
        char range[64];
        snprintf(range, sizeof range, "%d..%d", lo, hi);
        return fail(c, field, "must be an integer in %s", range);
    }
    *out = (int)v->valuedouble;
    return 0;
}

static int get_list(ctx *c, const cJSON *o, const char *field, int required,
                    strlist *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    memset(out, 0, sizeof *out);
    if (v == NULL)
        return required ? fail(c, field,
                               "missing (a non-empty list of strings is "
                               "required)%s",
                               "")
                        : 0;
    if (!cJSON_IsArray(v))
        return fail(c, field, "must be a list of strings%s", "");
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (required && n == 0)
        return fail(c, field, "must not be empty%s", "");
    if (n > MANIFEST_MAX_LIST)
        return fail(c, field, "has more than the limit of 256 elements%s", "");
    const cJSON *item;
    cJSON_ArrayForEach(item, v)
    {
        if (!cJSON_IsString(item) || item->valuestring[0] == '\0')
            return fail(c, field, "every element must be a non-empty string%s",
                        "");
        if (strlen(item->valuestring) > MANIFEST_MAX_STRING)
            return fail(c, field,
                        "an element is longer than the limit of 4096 "
                        "bytes%s",
                        "");
        strlist_push(out, item->valuestring);
    }
    return 0;
}

static int check_files_exist(ctx *c, const char *field, const strlist *files)
{
    for (size_t i = 0; i < files->n; i++) {
        if (!safe_relative(files->v[i]))
            return fail(c, field,
                        "\"%s\" is not a plain relative path inside the "
                        "exercise folder",
                        files->v[i]);
        if (c->root == NULL)
            continue;
        strbuf p = {0};
        sb_printf(&p, "%s/exercises/%s/%s", c->root, c->id, files->v[i]);
        int ok = file_exists(sb_str(&p));
        sb_free(&p);
        if (!ok) {
            strbuf rel = {0};
            sb_printf(&rel, "exercises/%s/%s", c->id, files->v[i]);
            fail(c, field, "file %s does not exist", sb_str(&rel));
            sb_free(&rel);
            return -1;
        }
    }
    return 0;
}

/* One tier of p: {"min": x, "fraction": f} when higher is better,
 * {"max": x, "fraction": f} when lower is; each harder than the one
 * before and worth at least as much. */
static int parse_tier(ctx *c, const cJSON *t, perf_spec *p)
{
    const char *key = p->lower_is_better ? "max" : "min";
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(t, key);
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(t, "fraction");
    if (!cJSON_IsNumber(b) || !cJSON_IsNumber(fr) ||
        !isfinite(b->valuedouble) || fr->valuedouble <= 0 ||
        fr->valuedouble > 1)
        return fail(c, "perf.tiers",
                    "each tier needs a number \"%s\" and a \"fraction\" "
                    "in (0, 1]",
                    key);
    size_t k = p->ntiers;
    if (k > 0) {
        const perf_tier *prev = &p->tiers[k - 1];
        int harder = p->lower_is_better ? b->valuedouble < prev->bound
                                        : b->valuedouble > prev->bound;
        if (!harder || fr->valuedouble < prev->fraction)
            return fail(c, "perf.tiers",
                        "tiers must be in %s order of their bound and "
                        "increasing order of fraction",
                        p->lower_is_better ? "decreasing" : "increasing");
    }
    p->tiers[k].bound = b->valuedouble;
    p->tiers[k].fraction = fr->valuedouble;
    p->ntiers++;
    return 0;
}

static int parse_one_perf(ctx *c, const cJSON *o, perf_spec *p)
{
    if (!cJSON_IsObject(o))
        return fail(c, "perf",
                    "must be an object {test, metric, tiers} or a list of "
                    "them%s",
                    "");
    static const char *const known[] = {
        "test",   "metric",      "better",     "label",
        "advice", "label_zh",    "advice_zh",  "tiers",
        "driver", "baseline",    "clock",      "max_plausible",
        "cases",  "repetitions", "setup_free", "judge_counters",
        NULL};
    for (const cJSON *f = o->child; f; f = f->next)
        if (!str_in(f->string, known))
            return fail(c, "perf",
                        "unknown field \"%s\" (known: test, metric, better, "
                        "label, advice, label_zh, advice_zh, tiers, "
                        "driver, baseline, clock, "
                        "max_plausible, cases, repetitions, setup_free, "
                        "judge_counters)",
                        f->string);
    const cJSON *better = cJSON_GetObjectItemCaseSensitive(o, "better");
    if (better != NULL) {
        if (!cJSON_IsString(better) ||
            (strcmp(better->valuestring, "higher") != 0 &&
             strcmp(better->valuestring, "lower") != 0))
            return fail(c, "perf.better", "must be \"higher\" or \"lower\"%s",
                        "");
        p->lower_is_better = strcmp(better->valuestring, "lower") == 0;
    }
    if (get_string(c, o, "test", 1, &p->test) ||
        get_string(c, o, "metric", 1, &p->metric) ||
        get_string(c, o, "label", 0, &p->label) ||
        get_string(c, o, "advice", 0, &p->advice) ||
        get_string(c, o, "label_zh", 0, &p->label_zh) ||
        get_string(c, o, "advice_zh", 0, &p->advice_zh))
        return -1;
    if (p->label_zh && p->label == NULL)
        return fail(c, "perf.label_zh",
                    "translates \"label\", which is missing%s", "");
    if (p->advice_zh && p->advice == NULL)
        return fail(c, "perf.advice_zh",
                    "translates \"advice\", which is missing%s", "");
    const cJSON *tiers = cJSON_GetObjectItemCaseSensitive(o, "tiers");
    if (!cJSON_IsArray(tiers) || cJSON_GetArraySize(tiers) == 0)
        return fail(c, "perf.tiers",
                    "must be a non-empty list of {%s, fraction}",
                    p->lower_is_better ? "max" : "min");
    p->tiers = xcalloc((size_t)cJSON_GetArraySize(tiers), sizeof *p->tiers);
    const cJSON *t;
    cJSON_ArrayForEach(t, tiers)
    {
        if (parse_tier(c, t, p))
            return -1;
    }
    return 0;
}

/* perf's judge-mode fields: driver, baseline, clock, max_plausible, cases,
 * repetitions; all or none (driver decides). */
static int parse_perf_judge(ctx *c, const cJSON *p, perf_spec *perf)
{
    perf->repetitions = 5;
    if (get_string(c, p, "driver", 0, &perf->driver))
        return -1;
    if (perf->driver == NULL) {
        static const char *const judge_only[] = {
            "baseline",   "clock", "max_plausible", "cases", "repetitions",
            "setup_free", NULL};
        for (const char *const *f = judge_only; *f; f++)
            if (cJSON_GetObjectItemCaseSensitive(p, *f) != NULL)
                return fail(c, "perf.driver",
                            "missing: \"%s\" is only used with a driver", *f);
        return 0;
    }
    char *clock = NULL;
    if (get_string(c, p, "baseline", 1, &perf->baseline) ||
        get_string(c, p, "clock", 1, &clock))
        return -1;
    const int wall = strcmp(clock, "wall") == 0;
    const int cpu = strcmp(clock, "cpu") == 0;
    free(clock);
    if (!wall && !cpu)
        return fail(c, "perf.clock", "must be \"cpu\" or \"wall\"%s", "");
    perf->clock_wall = wall;
    const cJSON *mp = cJSON_GetObjectItemCaseSensitive(p, "max_plausible");
    if (!cJSON_IsNumber(mp) || !(mp->valuedouble > 0) ||
        !isfinite(mp->valuedouble))
        return fail(c, "perf.max_plausible",
                    "must be a positive number (the largest metric this "
                    "machine's peak allows)%s",
                    "");
    perf->max_plausible = mp->valuedouble;
    if (get_list(c, p, "cases", 1, &perf->cases) ||
        get_int(c, p, "repetitions", 0, 1, 51, &perf->repetitions))
        return -1;
    if (perf->repetitions == 0)
        perf->repetitions = 5;
    const cJSON *free_setup = cJSON_GetObjectItemCaseSensitive(p, "setup_free");
    if (free_setup != NULL && !cJSON_IsBool(free_setup))
        return fail(c, "perf.setup_free", "must be true or false%s", "");
    perf->setup_free = cJSON_IsTrue(free_setup);
    strlist files = {0};
    strlist_push(&files, perf->driver);
    strlist_push(&files, perf->baseline);
    int rc = check_files_exist(c, "perf", &files);
    strlist_free(&files);
    return rc;
}

/* One counter of a "sum" into terms (n of them so far), named once. */
static int add_counter(ctx *c, const cJSON *item, device_counter *terms,
                       size_t *n)
{
    const int k =
        cJSON_IsString(item) ? device_counter_find(item->valuestring) : -1;
    if (k < 0)
        return fail(c, "perf.judge_counters.sum",
                    "every element must name a counter of the device report "
                    "(%s, ...: hardware/cudasim/README.md, \"Device "
                    "process\")",
                    device_counter_name(DC_GLOBAL_LOAD_SECTORS));
    for (size_t i = 0; i < *n; i++)
        if ((int)terms[i] == k)
            return fail(c, "perf.judge_counters.sum", "names \"%s\" twice",
                        item->valuestring);
    terms[(*n)++] = (device_counter)k;
    return 0;
}

/* "sum": a non-empty list of counters, each once, into terms. */
static int parse_sum(ctx *c, const cJSON *o, device_counter *terms, size_t *n)
{
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(o, "sum");
    if (!cJSON_IsArray(sum) || cJSON_GetArraySize(sum) == 0 ||
        cJSON_GetArraySize(sum) > COUNTER_FORMULA_MAX_TERMS)
        return fail(c, "perf.judge_counters.sum",
                    "must be a non-empty list of counter names%s", "");
    const cJSON *item;
    cJSON_ArrayForEach(item, sum)
    {
        if (add_counter(c, item, terms, n) != 0)
            return -1;
    }
    return 0;
}

/* A bound of "require", if there: a number >= 0. */
static int parse_bound(ctx *c, const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (v == NULL)
        return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
        return fail(c, "perf.judge_counters.require",
                    "\"%s\" must be a number >= 0", key);
    *out = v->valuedouble;
    return 0;
}

/* "require": [{"sum": [...], "min": x, "max": y}, ...]. */
static int parse_require(ctx *c, const cJSON *jc, counter_formula *f)
{
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(jc, "require");
    if (req == NULL)
        return 0;
    if (!cJSON_IsArray(req) ||
        cJSON_GetArraySize(req) > COUNTER_FORMULA_MAX_BOUNDS)
        return fail(c, "perf.judge_counters.require",
                    "must be a list of at most 8 {\"sum\", \"min\", "
                    "\"max\"}%s",
                    "");
    static const char *const known[] = {"sum", "min", "max", NULL};
    const cJSON *item;
    cJSON_ArrayForEach(item, req)
    {
        counter_bound *b = &f->require[f->nrequire++];
        b->lo = -HUGE_VAL;
        b->hi = HUGE_VAL;
        if (!cJSON_IsObject(item))
            return fail(c, "perf.judge_counters.require",
                        "every element must be an object%s", "");
        for (const cJSON *k = item->child; k; k = k->next)
            if (!str_in(k->string, known))
                return fail(c, "perf.judge_counters.require",
                            "unknown field \"%s\" (known: sum, min, max)",
                            k->string);
        if (parse_sum(c, item, b->sum, &b->nsum) ||
            parse_bound(c, item, "min", &b->lo) ||
            parse_bound(c, item, "max", &b->hi))
            return -1;
        if (b->lo == -HUGE_VAL && b->hi == HUGE_VAL)
            return fail(c, "perf.judge_counters.require",
                        "every element needs \"min\" or \"max\"%s", "");
        if (b->lo > b->hi)
            return fail(c, "perf.judge_counters.require",
                        "\"min\" is above \"max\"%s", "");
    }
    return 0;
}

/* "judge_counters": {"sum": [counter, ...], "scale": x}: the metric as the
 * judge computes it from the device report; for kinds that have one, and
 * not beside the judge's own timing (driver). */
static int parse_judge_counters(ctx *c, const cJSON *p, const exercise *e,
                                perf_spec *perf)
{
    const cJSON *jc = cJSON_GetObjectItemCaseSensitive(p, "judge_counters");
    if (jc == NULL)
        return 0;
    if (!e->kind->device_counters)
        return fail(c, "perf.judge_counters",
                    "only for kinds whose device reports its counters "
                    "(cuda)%s",
                    "");
    if (perf->driver != NULL)
        return fail(c, "perf.judge_counters",
                    "cannot be used with \"driver\" (a test is graded by "
                    "its counters or by the judge's timing)%s",
                    "");
    static const char *const known[] = {"sum", "scale", "require", NULL};
    if (!cJSON_IsObject(jc))
        return fail(c, "perf.judge_counters",
                    "must be an object {\"sum\": [counters], \"scale\": "
                    "number}%s",
                    "");
    for (const cJSON *f = jc->child; f; f = f->next)
        if (!str_in(f->string, known))
            return fail(c, "perf.judge_counters",
                        "unknown field \"%s\" (known: sum, scale, require)",
                        f->string);
    counter_formula *f = &perf->judge_counters;
    if (parse_sum(c, jc, f->sum, &f->nsum) || parse_require(c, jc, f))
        return -1;
    f->scale = 1;
    const cJSON *scale = cJSON_GetObjectItemCaseSensitive(jc, "scale");
    if (scale != NULL) {
        if (!cJSON_IsNumber(scale) || !isfinite(scale->valuedouble) ||
            !(scale->valuedouble > 0))
            return fail(c, "perf.judge_counters.scale",
                        "must be a positive number%s", "");
        f->scale = scale->valuedouble;
    }
    return 0;
}

/* "perf": one spec or a list of them, each for a different test. */
static int parse_perf(ctx *c, const cJSON *o, exercise *e)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "perf");
    if (p == NULL || cJSON_IsNull(p))
        return 0;
    size_t n = cJSON_IsArray(p) ? (size_t)cJSON_GetArraySize(p) : 1;
    if (n == 0)
        return fail(c, "perf", "is an empty list%s", "");
    e->perf = xcalloc(n, sizeof *e->perf);
    const cJSON *item = cJSON_IsArray(p) ? p->child : p;
    for (; item != NULL && e->nperf < n; item = item->next) {
        perf_spec *s = &e->perf[e->nperf++];
        if (parse_one_perf(c, item, s) || parse_perf_judge(c, item, s) ||
            parse_judge_counters(c, item, e, s))
            return -1;
        for (size_t i = 0; i + 1 < e->nperf; i++)
            if (strcmp(e->perf[i].test, s->test) == 0)
                return fail(c, "perf.test", "\"%s\" has two performance specs",
                            s->test);
    }
    return 0;
}

/* "kind": one of the kinds of kind.c. */
static int parse_kind(ctx *c, const cJSON *o, exercise *e)
{
    char *name = NULL;
    if (get_string(c, o, "kind", 1, &name))
        return -1;
    e->kind = kind_find(name);
    if (e->kind == NULL) {
        strbuf why = {0};
        sb_printf(&why, "\"%s\" is not one of %s", name, kind_names());
        fail(c, "kind", "%s", sb_str(&why));
        sb_free(&why);
    }
    free(name);
    return e->kind ? 0 : -1;
}

/* Every member is known, and none appears twice. */
static int check_fields(ctx *c, const cJSON *o)
{
    for (const cJSON *f = o->child; f; f = f->next) {
        for (const cJSON *g = o->child; g != f; g = g->next)
            if (strcmp(g->string, f->string) == 0)
                return fail(c, f->string, "appears twice%s", "");
        if (!str_in(f->string, KNOWN_FIELDS))
            return fail(c, f->string,
                        "unknown field (known: id, chapter, "
                        "title, title_zh, points, kind, edit, tests, "
                        "hints, hints_zh, lecture, requires, links, "
                        "libs, cflags, time_limit_s, "
                        "memory_limit_mb, perf, race_tier)%s",
                        "");
    }
    return 0;
}

/* "id": NN_topic, numbers increasing, topics unique, a folder of its own. */
static int parse_id(ctx *c, const cJSON *o, exercise *e)
{
    if (get_string(c, o, "id", 1, &e->id))
        return -1;
    c->id = e->id;
    if (!valid_id(e->id))
        return fail(c, "id",
                    "\"%s\" is not NN_topic (two digits, '_', then "
                    "[a-z0-9_])",
                    e->id);
    e->number = (e->id[0] - '0') * 10 + (e->id[1] - '0');
    /* Gaps are allowed (a chapter can be inserted later, see
     * grader/scripts/renumber.sh); order and uniqueness are not optional. */
    const manifest *m = c->m;
    if (c->index == 0 && e->number != 0)
        return fail(c, "id", "the first exercise must be number %s", "00");
    if (c->index > 0 && e->number <= m->ex[c->index - 1].number)
        return fail(c, "id",
                    "numbers must increase in manifest order: this one "
                    "follows %s",
                    m->ex[c->index - 1].id);
    for (size_t i = 0; i < c->index; i++)
        if (strcmp(m->ex[i].id + 3, e->id + 3) == 0)
            return fail(c, "id", "topic \"%s\" is used twice", e->id + 3);
    if (c->root == NULL)
        return 0;
    char *dir = xasprintf("%s/exercises/%s", c->root, e->id);
    int has_dir = dir_exists(dir);
    free(dir);
    return has_dir ? 0
                   : fail(c, "id", "folder exercises/%s does not exist", e->id);
}

/* hints_zh (optional): the hints in Simplified Chinese, as many as hints,
 * in the same order. Call after hints is read. */
static int get_hints_zh(ctx *c, const cJSON *o, exercise *e)
{
    if (get_list(c, o, "hints_zh", 0, &e->hints_zh))
        return -1;
    if (cJSON_GetObjectItemCaseSensitive(o, "hints_zh") == NULL ||
        e->hints_zh.n == e->hints.n)
        return 0;
    char *counts = xasprintf("%zu, hints has %zu (the same count, the same "
                             "order)",
                             e->hints_zh.n, e->hints.n);
    fail(c, "hints_zh", "has %s", counts);
    free(counts);
    return -1;
}

static int parse_lists(ctx *c, const cJSON *o, exercise *e)
{
    return get_list(c, o, "edit", 1, &e->edit) ||
                   get_list(c, o, "tests", 1, &e->tests) ||
                   get_list(c, o, "hints", 1, &e->hints) ||
                   get_hints_zh(c, o, e) ||
                   get_list(c, o, "requires", 0, &e->requires) ||
                   get_list(c, o, "links", 0, &e->links) ||
                   get_list(c, o, "libs", 0, &e->libs) ||
                   get_list(c, o, "cflags", 0, &e->cflags) ||
                   get_string(c, o, "lecture", 0, &e->lecture)
               ? -1
               : 0;
}

/* The files: editable ones are never headers (headers declare the API the
 * tests rely on: they stay protected, see Integrity in grader/README.md),
 * tests are test_*, no file is both. */
static int check_files(ctx *c, const exercise *e)
{
    for (size_t i = 0; i < e->edit.n; i++) {
        const char *dot = strrchr(e->edit.v[i], '.');
        if (dot && (strcmp(dot, ".h") == 0 || strcmp(dot, ".cuh") == 0))
            return fail(c, "edit",
                        "\"%s\" is a header: headers are protected, a "
                        "student edits .c/.cu/.cl files only",
                        e->edit.v[i]);
    }
    if (check_files_exist(c, "edit", &e->edit) ||
        check_files_exist(c, "tests", &e->tests))
        return -1;
    for (size_t i = 0; i < e->tests.n; i++) {
        const char *base = strrchr(e->tests.v[i], '/');
        base = base ? base + 1 : e->tests.v[i];
        if (strncmp(base, "test_", 5) != 0)
            return fail(c, "tests", "\"%s\" must be named test_*",
                        e->tests.v[i]);
        if (strlist_has(&e->edit, e->tests.v[i]))
            return fail(c, "tests", "\"%s\" is also listed under edit",
                        e->tests.v[i]);
    }
    return 0;
}

/* requires, links, libs and cflags hold what they may. */
static int check_lists(ctx *c, const exercise *e)
{
    for (size_t i = 0; i < e->requires.n; i++)
        if (!str_in(e->requires.v[i], KNOWN_REQUIRES))
            return fail(c, "requires",
                        "\"%s\" is not one of openblas, opencl, cuda_sim, "
                        "numpy, gpu",
                        e->requires.v[i]);
    for (size_t i = 0; i < e->links.n; i++)
        if (manifest_find(c->m, e->links.v[i]) == NULL)
            return fail(c, "links",
                        "\"%s\" is not an earlier exercise of the manifest",
                        e->links.v[i]);
    for (size_t i = 0; i < e->libs.n; i++)
        if (!safe_relative(e->libs.v[i]) || strchr(e->libs.v[i], '/'))
            return fail(c, "libs", "\"%s\" is not a library name",
                        e->libs.v[i]);
    for (size_t i = 0; i < e->cflags.n; i++)
        if (e->cflags.v[i][0] != '-')
            return fail(c, "cflags", "\"%s\" is not a compiler flag",
                        e->cflags.v[i]);
    return 0;
}

/* time_limit_s and memory_limit_mb, or the manifest's defaults. */
static int parse_limits(ctx *c, const cJSON *o, exercise *e)
{
    e->time_limit_s = c->def_time;
    e->memory_limit_mb = c->def_mem;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "time_limit_s");
    if (t != NULL) {
        if (!cJSON_IsNumber(t) || !(t->valuedouble > 0) ||
            t->valuedouble > MAX_TIME_LIMIT_S)
            return fail(c, "time_limit_s", "must be a number in (0, 600]%s",
                        "");
        e->time_limit_s = t->valuedouble;
    }
    return get_int(c, o, "memory_limit_mb", 0, 16, MAX_MEMORY_MB,
                   &e->memory_limit_mb);
}

/* "race_tier": only for a kind that has one (kind.h). */
static int parse_race_tier(ctx *c, const cJSON *o, exercise *e)
{
    const cJSON *race = cJSON_GetObjectItemCaseSensitive(o, "race_tier");
    if (race == NULL)
        return 0;
    if (!cJSON_IsBool(race))
        return fail(c, "race_tier", "must be true or false%s", "");
    e->race_tier = cJSON_IsTrue(race);
    if (!e->race_tier || e->kind->race_tier)
        return 0;
    char *why = xasprintf("only exercises of kind %s have a race tier, this "
                          "one is \"%s\"",
                          kind_race_tier_names(), e->kind->name);
    fail(c, "race_tier", "%s", why);
    free(why);
    return -1;
}

static int parse_exercise(ctx *c, const cJSON *o, exercise *e)
{
    if (!cJSON_IsObject(o))
        return fail(c, NULL, "must be an object%s", "");
    if (check_fields(c, o) || parse_id(c, o, e) ||
        get_int(c, o, "chapter", 1, 0, 9, &e->chapter) ||
        get_string(c, o, "title", 1, &e->title) ||
        get_string(c, o, "title_zh", 0, &e->title_zh) ||
        get_int(c, o, "points", 1, 1, 1000, &e->points) ||
        parse_kind(c, o, e) || parse_lists(c, o, e) || check_files(c, e) ||
        check_lists(c, e) || parse_limits(c, o, e) || parse_perf(c, o, e) ||
        parse_race_tier(c, o, e))
        return -1;
    e->entry_json = cJSON_PrintUnformatted(o);
    if (e->entry_json == NULL)
        die_internal("out of memory");
    return 0;
}

static int parse_defaults(const cJSON *root, double *time_s, int *mem_mb,
                          strbuf *err)
{
    *time_s = 10;
    *mem_mb = 1024;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "defaults");
    if (d == NULL)
        return 0;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(d, "time_limit_s");
    const cJSON *mm = cJSON_GetObjectItemCaseSensitive(d, "memory_limit_mb");
    /* The same ranges as an exercise's own fields. */
    if (t && (!cJSON_IsNumber(t) || !(t->valuedouble > 0) ||
              t->valuedouble > MAX_TIME_LIMIT_S)) {
        sb_printf(err,
                  "%s: field \"defaults.time_limit_s\": must be a number in "
                  "(0, 600]",
                  MANIFEST_PATH);
        return -1;
    }
    if (mm && (!cJSON_IsNumber(mm) || mm->valuedouble < 16 ||
               mm->valuedouble > MAX_MEMORY_MB ||
               mm->valuedouble != floor(mm->valuedouble))) {
        sb_printf(err,
                  "%s: field \"defaults.memory_limit_mb\": must be an "
                  "integer in 16..65536",
                  MANIFEST_PATH);
        return -1;
    }
    if (t)
        *time_s = t->valuedouble;
    if (mm)
        *mem_mb = (int)mm->valuedouble;
    return 0;
}

int manifest_parse(const char *text, const char *root, manifest *m, strbuf *err)
{
    memset(m, 0, sizeof *m);
    cJSON *doc = cJSON_Parse(text);
    if (doc == NULL) {
        /* cJSON points at where parsing stopped: turn it into a line. */
        const char *at = cJSON_GetErrorPtr();
        int line = 1;
        for (const char *p = text; at && p < at && *p; p++)
            line += *p == '\n';
        sb_printf(err, "%s:%d: not valid JSON (parsing stopped here)",
                  MANIFEST_PATH, line);
        return -1;
    }
    int rc = -1;
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(doc, "format");
    const cJSON *course = cJSON_GetObjectItemCaseSensitive(doc, "course");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "exercises");
    const cJSON *cid = cJSON_GetObjectItemCaseSensitive(course, "id");
    const cJSON *ctitle = cJSON_GetObjectItemCaseSensitive(course, "title");
    double def_time;
    int def_mem;
    if (!cJSON_IsNumber(fmt) || fmt->valuedouble != 1) {
        sb_printf(err,
                  "%s: field \"format\": must be 1 (this grader reads "
                  "manifest format 1)",
                  MANIFEST_PATH);
    } else if (!cJSON_IsString(cid) || !cJSON_IsString(ctitle)) {
        sb_printf(err,
                  "%s: field \"course\": needs string fields \"id\" and "
                  "\"title\"",
                  MANIFEST_PATH);
    } else if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
        sb_printf(err, "%s: field \"exercises\": must be a non-empty list",
                  MANIFEST_PATH);
    } else if (parse_defaults(doc, &def_time, &def_mem, err) == 0) {
        m->course_id = xstrdup(cid->valuestring);
        m->course_title = xstrdup(ctitle->valuestring);
        size_t n = (size_t)cJSON_GetArraySize(list);
        m->ex = xcalloc(n, sizeof *m->ex);
        rc = 0;
        const cJSON *item;
        cJSON_ArrayForEach(item, list)
        {
            ctx c = {err, root, m, def_time, def_mem, m->n, NULL};
            exercise *e = &m->ex[m->n++];
            if (parse_exercise(&c, item, e)) {
                rc = -1;
                break;
            }
        }
        for (size_t i = 0; rc == 0 && i < m->n; i++)
            for (size_t k = 0; rc == 0 && k < m->ex[i].nperf; k++) {
                const perf_spec *p = &m->ex[i].perf[k];
                if (strchr(p->test, '/') == NULL) {
                    ctx c = {err, root, m, 0, 0, i, m->ex[i].id};
                    rc = fail(&c, "perf.test", "\"%s\" must be \"suite/name\"",
                              p->test);
                }
            }
    }
    cJSON_Delete(doc);
    if (rc != 0)
        manifest_free(m);
    return rc;
}

int manifest_load(const char *root, manifest *m, strbuf *err)
{
    char *path = path_join(root, MANIFEST_PATH);
    char *text = NULL;
    int rc = file_read(path, &text, NULL, MANIFEST_MAX_BYTES);
    free(path);
    if (rc != 0) {
        sb_printf(err, "%s: cannot read the manifest", MANIFEST_PATH);
        return -1;
    }
    rc = manifest_parse(text, root, m, err);
    free(text);
    return rc;
}

void manifest_edit_paths(const manifest *m, strlist *out)
{
    for (size_t i = 0; i < m->n; i++)
        for (size_t k = 0; k < m->ex[i].edit.n; k++)
            strlist_pushf(out, "exercises/%s/%s", m->ex[i].id,
                          m->ex[i].edit.v[k]);
}

int manifest_edit_paths_of(const char *text, strlist *out, strbuf *err)
{
    manifest m;
    if (manifest_parse(text, NULL, &m, err) != 0)
        return -1;
    manifest_edit_paths(&m, out);
    manifest_free(&m);
    return 0;
}

const perf_spec *manifest_perf_for(const exercise *ex, const char *test)
{
    for (size_t k = 0; test && k < ex->nperf; k++)
        if (strcmp(ex->perf[k].test, test) == 0)
            return &ex->perf[k];
    return NULL;
}

const char *perf_spec_label(const perf_spec *p)
{
    if (i18n_current() == I18N_ZH_CN && p->label_zh)
        return p->label_zh;
    return p->label ? p->label : p->metric;
}

const exercise *manifest_find(const manifest *m, const char *id)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->ex[i].id && strcmp(m->ex[i].id, id) == 0)
            return &m->ex[i];
    return NULL;
}

void manifest_free(manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        exercise *e = &m->ex[i];
        free(e->id);
        free(e->title);
        free(e->title_zh);
        free(e->lecture);
        strlist_free(&e->edit);
        strlist_free(&e->tests);
        strlist_free(&e->hints);
        strlist_free(&e->hints_zh);
        strlist_free(&e->requires);
        strlist_free(&e->links);
        strlist_free(&e->libs);
        strlist_free(&e->cflags);
        for (size_t k = 0; k < e->nperf; k++) {
            free(e->perf[k].test);
            free(e->perf[k].metric);
            free(e->perf[k].label);
            free(e->perf[k].advice);
            free(e->perf[k].label_zh);
            free(e->perf[k].advice_zh);
            free(e->perf[k].tiers);
            free(e->perf[k].driver);
            free(e->perf[k].baseline);
            strlist_free(&e->perf[k].cases);
        }
        free(e->perf);
        free(e->entry_json);
    }
    free(m->ex);
    free(m->course_id);
    free(m->course_title);
    memset(m, 0, sizeof *m);
}

const char *exercise_title(const exercise *ex)
{
    if (i18n_current() == I18N_ZH_CN && ex->title_zh != NULL)
        return ex->title_zh;
    return ex->title;
}

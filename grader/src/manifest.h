/* manifest.h: the exercise manifest (exercises/manifest.json), loaded and
 * validated. Field meanings: grader/README.md, "The manifest". */
#ifndef GRADER_MANIFEST_H
#define GRADER_MANIFEST_H

#include <stddef.h>

#include "strbuf.h"

#define MANIFEST_PATH "exercises/manifest.json"

typedef struct {
    char **v;
    size_t n;
} strlist;

typedef struct {
    double bound;    /* the metric must reach this (>= when higher is
                        better: "min"; <= when lower is: "max")... */
    double fraction; /* ...for this fraction of the test's points */
} perf_tier;

typedef struct {
    char *test;          /* "suite/name" */
    char *metric;        /* name passed to LL_METRIC */
    int lower_is_better; /* "better": "lower" (counters); default higher */
    char *label;         /* how messages name the metric (NULL: its name) */
    char *advice;        /* a question for a missed tier (may be NULL) */
    perf_tier *tiers;    /* in order: each one harder to reach */
    size_t ntiers;
} perf_spec;

typedef struct {
    char *id;
    int number; /* the NN of NN_topic */
    int chapter;
    char *title;
    int points;
    char *kind; /* c | c_perf | cuda | opencl */
    strlist edit, tests, hints, requires, links, libs, cflags;
    char *lecture; /* may be NULL */
    double time_limit_s;
    int memory_limit_mb;
    perf_spec *perf; /* the performance-graded tests (nperf, often 0) */
    size_t nperf;
    int race_tier;    /* cuda: also run every test under ThreadSanitizer */
    char *entry_json; /* the entry as compact JSON, part of the cache key */
} exercise;

typedef struct {
    char *course_id;
    char *course_title;
    exercise *ex;
    size_t n;
} manifest;

/* Parses and validates manifest text; root is the workbook root used to
 * check that every listed file exists. On error returns -1 and puts one
 * line in err: "<file>: exercise N "<id>": field "<f>": <problem>". */
int manifest_parse(const char *text, const char *root, manifest *m,
                   strbuf *err);
/* Reads ROOT/exercises/manifest.json and parses it. */
int manifest_load(const char *root, manifest *m, strbuf *err);
const exercise *manifest_find(const manifest *m, const char *id);
/* The performance spec of test "suite/name" of ex, or NULL. */
const perf_spec *manifest_perf_for(const exercise *ex, const char *test);
void manifest_free(manifest *m);

#endif

/* manifest.h: the exercise manifest (exercises/manifest.json), loaded and
 * validated. Field meanings: grader/README.md, "The manifest". */
#ifndef GRADER_MANIFEST_H
#define GRADER_MANIFEST_H

#include <stddef.h>

#include "base/strbuf.h"
#include "base/strlist.h"
#include "workbook/device_counters.h"
#include "workbook/kind.h"

#define MANIFEST_PATH "exercises/manifest.json"

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
    char *label_zh;      /* label and advice in Chinese ("label_zh", */
    char *advice_zh;     /* "advice_zh"; NULL: none, the English shows) */
    perf_tier *tiers;    /* in order: each one harder to reach */
    size_t ntiers;
    /* Judge mode's own timing (grade/perf_judge.h); driver NULL: none, the
     * perf test earns no performance points in judge mode. */
    char *driver;         /* the driver, a file of the exercise folder */
    char *baseline;       /* the same function, done by the trusted baseline
                             (and, with -DLL_PERF_NULL, the empty stub) */
    int clock_wall;       /* time wall clock (threads allowed); else CPU time */
    double max_plausible; /* a metric above it is flagged, never scored */
    strlist cases;        /* LL_PERF_CASE of each case timed */
    int repetitions;      /* runs of each case and program (default 5) */
    int setup_free;       /* the implementation may work before the timed part
                             (an engine preparing its weights): that work is
                             not checked */
    /* Judge mode, kinds with a device report: the metric computed from the
     * device process's totals ("judge_counters"); nsum 0: none, the perf
     * test earns no performance points in judge mode. */
    counter_formula judge_counters;
} perf_spec;

typedef struct {
    char *id;
    int number; /* the NN of NN_topic */
    int chapter;
    char *title;
    char *title_zh; /* the title in Chinese (NULL: none) */
    int points;
    const kind_spec *kind; /* how it is built and run (kind.h) */
    strlist edit, tests, hints, requires, links, libs, cflags;
    strlist hints_zh; /* the hints in Chinese: empty, or as many as hints */
    char *lecture;    /* may be NULL */
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
 * check that every listed folder and file exists (NULL: the files are not
 * looked at, e.g. a manifest read from git before its tree is on disk).
 * On error returns -1 and puts one line in err:
 * "<file>: exercise N "<id>": field "<f>": <problem>". */
int manifest_parse(const char *text, const char *root, manifest *m,
                   strbuf *err);
/* Appends "exercises/<id>/<file>" for every file an exercise of m lists
 * under "edit" (the files a student edits) to out. */
void manifest_edit_paths(const manifest *m, strlist *out);
/* Parses manifest text without looking at files (root NULL) and appends
 * its editable paths to out: 0, or -1 with err. */
int manifest_edit_paths_of(const char *text, strlist *out, strbuf *err);
/* Reads ROOT/exercises/manifest.json and parses it. */
int manifest_load(const char *root, manifest *m, strbuf *err);
const exercise *manifest_find(const manifest *m, const char *id);
/* The performance spec of test "suite/name" of ex, or NULL. */
const perf_spec *manifest_perf_for(const exercise *ex, const char *test);
/* How a person is told p's metric in the current language: label_zh in
 * Chinese mode when there is one, else label, else the metric's name. */
const char *perf_spec_label(const perf_spec *p);
void manifest_free(manifest *m);

/* The title to show: the Chinese one when the grader speaks Chinese and
 * the manifest has it (title_zh), else the English one. */
const char *exercise_title(const exercise *ex);

#endif

/* results_doc.h: the results document: every exercise's result as JSON, in
 * the versioned format of grader/schema/results-v1.schema.json, written by
 * `grader grade` and read back (checked) by `grader report` and
 * `grader leaderboard`. */
#ifndef GRADER_RESULTS_DOC_H
#define GRADER_RESULTS_DOC_H

#include <cjson/cJSON.h>

#include "base/strbuf.h"
#include "grade/results.h"

#define RESULTS_SCHEMA "llmlings-results/1"
#define GRADER_VERSION "0.1.0"

/* Limits of a results document read back (grader/README.md, "Limits"). */
#define RESULTS_MAX_BYTES (64 << 20)
#define RESULTS_MAX_EXERCISES 1000
#define RESULTS_MAX_TESTS 10000
#define RESULTS_MAX_SECONDS 1000000 /* an exercise sums its tests */
#define RESULTS_MAX_SCORE 1e9
#define RESULTS_MAX_COUNT 1000000

typedef struct {
    const char *course_id;
    const char *course_title;
    const exercise_result *results;
    size_t n;
    cJSON *extra; /* optional members added at top level (taken over) */
} results_doc;

/* The whole results document as pretty-printed text; caller frees. */
char *results_document_print(const results_doc *doc);

/* Parses and checks a results document: 0, or -1 with one line in err.
 * What it returns is safe to write anywhere: every string valid UTF-8
 * without control characters other than \n and \t, every number finite,
 * scores in 0..RESULTS_MAX_SCORE, counts and durations in range, exercise
 * ids and test names unique, no member twice in one object.
 * results_load reads at most RESULTS_MAX_BYTES from path. */
int results_parse(const char *text, size_t len, cJSON **doc, strbuf *err);
int results_load(const char *path, cJSON **doc, strbuf *err);

/* Small typed getters: "" / 0 / NULL when absent or of another type. */
const char *jstr(const cJSON *o, const char *key);
double jnum(const cJSON *o, const char *key);
const cJSON *jarr(const cJSON *o, const char *key);
/* A count (chapter, tests passed, ...): jnum cut to 0..RESULTS_MAX_COUNT,
 * so a cast to int never overflows. */
int jcount(const cJSON *o, const char *key);

/* Performance metrics worth a board (GFLOP/s, tokens/s, ratios); the
 * baselines and error bounds tests also report are not. */
int metric_is_headline(const char *name);
/* Text for one failed test: its message, then what the program printed. */
char *test_feedback(const cJSON *test);

/* j made safe (json_make_safe) and pretty-printed, with a newline. Caller
 * frees. */
char *json_text(cJSON *j);

#endif

/* results.h: what grading produces, per test and per exercise. */
#ifndef GRADER_RESULTS_H
#define GRADER_RESULTS_H

#include <stddef.h>

#include "run/harness_records.h"

typedef enum {
    TV_PASSED,
    TV_FAILED,
    TV_CRASHED,
    TV_TIMEOUT,
    TV_MEMORY, /* memory limit */
    TV_SKIPPED,
    TV_NOT_RUN, /* the exercise did not build */
    TV_RACE,    /* cuda race tier: ThreadSanitizer reported a data race */
} test_verdict;

typedef enum {
    EV_PASSED,
    EV_FAILED,
    EV_BUILD_ERROR,
    EV_SKIPPED, /* needs hardware or software that is missing */
    EV_TAMPERED,
} exercise_verdict;

typedef struct {
    char *name; /* "suite/name" */
    test_verdict verdict;
    char *message; /* why it did not pass; NULL when passed */
    char *output;  /* the program's output worth showing; may be NULL */
    double wall_s;
    double score, max_score;
    metric *metrics;
    size_t nmetrics;
} test_result;

typedef struct {
    char *id;
    int chapter;
    char *title;
    exercise_verdict verdict;
    double score, max_score;
    test_result *tests;
    size_t ntests;
    char *message;   /* exercise-level explanation; may be NULL */
    char *build_log; /* compiler output (warnings or errors); may be NULL */
    char *hash;      /* content hash of every input */
    int cached;      /* reused from an earlier grading */
    double wall_s;
} exercise_result;

const char *test_verdict_name(test_verdict v);
const char *exercise_verdict_name(exercise_verdict v);
int test_verdict_parse(const char *s, test_verdict *v);
int exercise_verdict_parse(const char *s, exercise_verdict *v);
int tests_passed(const exercise_result *r);
/* Frees what t owns and zeroes it. */
void test_result_free(test_result *t);
void exercise_result_free(exercise_result *r);

#endif

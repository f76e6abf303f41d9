/* run_tests.h: running every test of a built exercise, every way its kind
 * asks (kind.h: the first run, then the variants), within the exercise's
 * time budget, and turning each run into a verdict (verdict.h).
 *
 * The test program is out of the run user's reach once built, and its hash
 * is checked before every test as well: a program changed by an earlier
 * test makes the exercise "tampered".
 *
 * Tests may run several at once (test_plan.jobs, each in a worker of
 * worker_pool.h, whose interrupt rule then applies): most of a test's time is
 * waiting (Criterion starting its worker, the sanitizers' start and exit),
 * and an endless loop then costs one time limit, not one per test. Tests
 * whose timings are graded run one after another (grading.c decides). */
#ifndef GRADER_RUN_TESTS_H
#define GRADER_RUN_TESTS_H

#include "base/strbuf.h"
#include "grade/judge.h"
#include "grade/results.h"
#include "workbook/manifest.h"

typedef struct {
    const exercise *ex;
    const char *dir;        /* the build folder, with its programs */
    const char *tree;       /* its staged tree, with a trailing '/' */
    const char *const *env; /* more environment for every run, or NULL */
    const char *preload;    /* the kind's preloaded library (absolute), or
                               NULL when it is not built */
    int first_failure_only; /* stop after the first test not passed */
    int jobs;               /* tests run at once (each in a forked worker);
                               0 or 1: one after another, in this process */
    const judge_expectations *expect; /* judge mode: one per test, and
                                         every run is decided by its check
                                         records (verdict_judge); NULL:
                                         local grading */
    void (*on_step)(const char *what, void *ctx); /* each test; may be NULL */
    void *step_ctx;
} test_plan;

/* Runs the tests of out (named, not run yet: result_add_tests) and fills
 * in their results; a program changed on the way rejects the exercise
 * (out->verdict EV_TAMPERED). Returns 0, or -1 when the grader could not
 * run a test (err). */
int run_tests(const test_plan *p, exercise_result *out, strbuf *err);

#endif

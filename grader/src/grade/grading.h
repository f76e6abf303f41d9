/* grading.h: grading one exercise, as a straight sequence of steps:
 * check that its protected files have pristine copies (integrity.h),
 * collect its inputs, reuse a cached result, check its requirements,
 * build it, list its tests, (judge mode: get the reference's expectations),
 * inspect the student's code, run the tests, score them (verdict.h). */
#ifndef GRADER_GRADING_H
#define GRADER_GRADING_H

#include "base/strbuf.h"
#include "compile/inputs.h"
#include "grade/judge.h"
#include "grade/result_cache.h"
#include "grade/results.h"
#include "integrity/integrity.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

typedef struct {
    build_options build; /* which build: edit base, -Werror, folder tag */
    const integrity *ig; /* the graded tree the view shows (NULL: none) */
    result_cache *cache; /* earlier results (NULL: none) */
    int use_cache;       /* reuse a result whose inputs are unchanged */
    int store_cache;     /* remember this result; a failing exercise then
                            also names its failing prerequisites */
    void (*on_step)(const char *what, void *ctx); /* may be NULL */
    void *step_ctx;
    const char *const *run_env; /* set in every test run ("NAME=VALUE",
                                   NULL-ended), after the kind's: e.g. a
                                   seed for the inputs; NULL: none */
    int first_failure_only;     /* stop at the first test that does not pass
                                   (the rest stay "not run"): enough to know
                                   that a mutant is caught */
    int test_jobs;              /* tests at once (run_tests.h); 0: the
                                   default (4); a kind whose timings are
                                   graded always runs one at a time */
    const judge_options *judge; /* judge mode (judge.h): the build must be
                                   an observing one (-DLL_OBSERVE) and the
                                   reference's expectations decide; NULL:
                                   local grading */
} grade_options;

/* Grades ex of the tree v shows into out (owned by the caller:
 * exercise_result_free). Returns 0, or EXIT_INTERNAL with err set when
 * the grader itself failed. A student's compile error, crash or timeout
 * is a verdict, never an error here. */
int grade_exercise(const graded_view *v, const exercise *ex,
                   const grade_options *o, exercise_result *out, strbuf *err);

/* The cached result of the student's build of ex (v: the tree it was
 * graded in), if its inputs are unchanged since. Returns 1 and fills out
 * when there is one, else 0. */
int grade_cached(const graded_view *v, const result_cache *cache,
                 const exercise *ex, exercise_result *out);

#endif

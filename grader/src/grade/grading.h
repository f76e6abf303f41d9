/* grading.h: grading one exercise: inputs -> cache or build -> one
 * sandboxed run per test -> verdicts and score. */
#ifndef GRADER_GRADING_H
#define GRADER_GRADING_H

#include "base/strbuf.h"
#include "build/build.h"
#include "grade/results.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

typedef struct {
    build_options build;
    const char *tag; /* build folder suffix, so verify never clobbers the
                        student's builds; NULL for none */
    int use_cache;   /* reuse a result whose inputs are unchanged */
    int store_cache; /* remember this result */
    void (*progress)(const char *what, void *ctx); /* may be NULL */
    void *progress_ctx;
} grade_options;

/* Grades ex into out (owned by the caller: exercise_result_free).
 * Returns 0, or 3 with err set when the grader itself failed. A student's
 * compile error, crash or timeout is a verdict, never an error here. */
int grade_exercise(const workbook *wb, const exercise *ex,
                   const grade_options *o, exercise_result *out, strbuf *err);

/* The last cached result of ex, if its inputs are unchanged since.
 * Returns 1 and fills out when there is one, else 0. */
int grade_cached(const workbook *wb, const exercise *ex, exercise_result *out);

#endif

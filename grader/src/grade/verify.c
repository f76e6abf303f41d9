/* verify.c: see verify.h. */
#include "grade/verify.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/exit_codes.h"
#include "base/term.h"
#include "grade/grading.h"

static int grade_with(const graded_view *v, const exercise *ex,
                      const char *edit_base, int werror, const char *tag,
                      exercise_result *r)
{
    grade_options o = {
        .build = {edit_base, werror, NULL, tag},
        .use_cache = 0,
        .store_cache = 0,
    };
    strbuf err = {0};
    int rc = grade_exercise(v, ex, &o, r, &err);
    if (rc != 0)
        fprintf(stderr, "grader: internal error in %s: %s\n", ex->id,
                sb_str(&err));
    sb_free(&err);
    return rc;
}

/* Appends to why what is wrong with the starter's result; returns 1 if ok. */
static int starter_ok(const exercise_result *r, strbuf *why)
{
    if (r->verdict == EV_BUILD_ERROR) {
        sb_printf(why, "starter does not compile cleanly with -Werror:\n%s",
                  r->build_log ? r->build_log : (r->message ? r->message : ""));
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < r->ntests; i++)
        if (r->tests[i].verdict == TV_PASSED) {
            sb_printf(why,
                      "starter passes test %s (every test must fail on "
                      "the starter)\n",
                      r->tests[i].name);
            ok = 0;
        }
    return ok;
}

static int solution_ok(const exercise_result *r, strbuf *why)
{
    if (r->verdict == EV_BUILD_ERROR) {
        sb_printf(why, "solution does not compile: %s\n%s",
                  r->message ? r->message : "",
                  r->build_log ? r->build_log : "");
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < r->ntests; i++) {
        const test_result *t = &r->tests[i];
        if (t->verdict != TV_PASSED) {
            sb_printf(why, "solution fails %s: %s: %s\n", t->name,
                      test_verdict_name(t->verdict),
                      t->message ? t->message : "");
            if (t->output)
                sb_printf(why, "%s\n", t->output);
            ok = 0;
        }
    }
    return ok;
}

static int verify_one(const graded_view *v, const exercise *ex, int color)
{
    double start = monotonic_seconds();
    exercise_result starter, solution;
    strbuf why = {0};
    if (grade_with(v, ex, "exercises", 1, "verify-starter", &starter) != 0)
        return EXIT_INTERNAL;
    if (grade_with(v, ex, "solutions-private", 0, "verify-solution",
                   &solution) != 0) {
        exercise_result_free(&starter);
        return EXIT_INTERNAL;
    }
    int ok = starter_ok(&starter, &why);
    ok = solution_ok(&solution, &why) && ok;
    if (solution.verdict == EV_SKIPPED) {
        printf("  %-24s skipped: %s\n", ex->id,
               solution.message ? solution.message : "");
    } else {
        printf("  %-24s starter %d/%zu pass  solution %d/%zu pass, %.1f/%d "
               "points  %.1fs  %s%s%s\n",
               ex->id, tests_passed(&starter), starter.ntests,
               tests_passed(&solution), solution.ntests, solution.score,
               ex->points, monotonic_seconds() - start,
               paint(color, ok ? GREEN : RED), ok ? "ok" : "NOT PROVEN",
               paint(color, RESET));
        if (!ok) {
            const char *p = sb_str(&why);
            while (*p) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);
                printf("      %.*s\n", (int)len, p);
                if (!nl)
                    break;
                p = nl + 1;
            }
        }
    }
    fflush(stdout);
    exercise_result_free(&starter);
    exercise_result_free(&solution);
    sb_free(&why);
    return ok ? EXIT_ALL_PASSED : EXIT_SOME_FAILED;
}

int verify_exercises(const graded_view *v, const char *const *ids, int n,
                     int color)
{
    printf("verify: every starter must fail every test, every solution must "
           "pass them all\n");
    int failed = 0, proven = 0, total = 0;
    for (size_t i = 0; i < v->m->n; i++) {
        const exercise *ex = &v->m->ex[i];
        int wanted = n == 0;
        for (int k = 0; k < n; k++)
            wanted |= strcmp(ids[k], ex->id) == 0;
        if (!wanted)
            continue;
        total++;
        int rc = verify_one(v, ex, color);
        if (rc == 3)
            return EXIT_INTERNAL;
        if (rc == 0)
            proven++;
        else
            failed++;
    }
    printf("verify: %d passed, %d failed\n", proven, failed);
    return failed ? 1 : 0;
}

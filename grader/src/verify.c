/* verify.c: see verify.h. */
#include "verify.h"
#include "clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "files.h"
#include "grading.h"
#include "report_table.h"

static int grade_with(const workbook *wb, const exercise *ex,
                      const char *edit_base, int werror, const char *tag,
                      exercise_result *r)
{
    grade_options o = {
        .build = {edit_base, werror},
        .tag = tag,
        .use_cache = 0,
        .store_cache = 0,
    };
    strbuf err = {0};
    int rc = grade_exercise(wb, ex, &o, r, &err);
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

/* A passing test of the solution graded by counters (lower is better:
 * the simulator's counts, the same on every machine) must reach the top
 * tier; timed tiers depend on the machine and are not required. */
static int below_counter_tier(const exercise *ex, const test_result *t)
{
    const perf_spec *p = manifest_perf_for(ex, t->name);
    return p && p->lower_is_better && t->score < t->max_score - 1e-9;
}

static int solution_ok(const exercise *ex, const exercise_result *r,
                       strbuf *why)
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
        } else if (below_counter_tier(ex, t)) {
            sb_printf(why,
                      "solution fails %s: below the top tier of its "
                      "counter: %s\n",
                      t->name, t->message ? t->message : "");
            ok = 0;
        }
    }
    return ok;
}

static int verify_one(const workbook *wb, const exercise *ex, int color)
{
    double start = monotonic_seconds();
    exercise_result starter, solution;
    strbuf why = {0};
    if (grade_with(wb, ex, "exercises", 1, "verify-starter", &starter) != 0)
        return 3;
    if (grade_with(wb, ex, "solutions-private", 0, "verify-solution",
                   &solution) != 0) {
        exercise_result_free(&starter);
        return 3;
    }
    int ok = starter_ok(&starter, &why);
    ok = solution_ok(ex, &solution, &why) && ok;
    if (solution.verdict == EV_SKIPPED) {
        printf("  %-24s skipped: %s\n", ex->id,
               solution.message ? solution.message : "");
    } else {
        printf("  %-24s starter %d/%zu pass  solution %d/%zu pass, %.1f/%d "
               "points  %.1fs  %s%s%s\n",
               ex->id, tests_passed(&starter), starter.ntests,
               tests_passed(&solution), solution.ntests, solution.score,
               ex->points, monotonic_seconds() - start,
               color ? (ok ? "\033[32m" : "\033[31m") : "",
               ok ? "ok" : "NOT PROVEN", color ? "\033[0m" : "");
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
    return ok ? 0 : 1;
}

int verify_exercises(const workbook *wb, const char *const *ids, int n,
                     int color)
{
    printf("verify: every starter must fail every test, every solution must "
           "pass them all\n");
    int failed = 0, proven = 0, total = 0;
    for (size_t i = 0; i < wb->m.n; i++) {
        const exercise *ex = &wb->m.ex[i];
        int wanted = n == 0;
        for (int k = 0; k < n; k++)
            wanted |= strcmp(ids[k], ex->id) == 0;
        if (!wanted)
            continue;
        total++;
        int rc = verify_one(wb, ex, color);
        if (rc == 3)
            return 3;
        if (rc == 0)
            proven++;
        else
            failed++;
    }
    printf("verify: %d passed, %d failed\n", proven, failed);
    return failed ? 1 : 0;
}

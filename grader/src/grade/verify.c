/* verify.c: see verify.h. */
#include "grade/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/exit_codes.h"
#include "base/files.h"
#include "base/i18n.h"
#include "base/term.h"
#include "grade/grading.h"
#include "grade/judge_compare.h"
#include "grade/mutants.h"
#include "grade/verdict.h"

/* The two seeds of judge mode's proof: fixed, so a proof repeats; two, so
 * a test whose checks do not depend on the seed is seen. */
static const char SEED_A[] = "5eed000000000001", SEED_B[] = "5eed000000000002";

/* "grader: <why>" on stderr, in the current language. */
static void print_error(const char *why)
{
    char *msg = i18n_message(why);
    fprintf(stderr, "grader: %s\n", msg);
    free(msg);
}

/* The word at the end of an exercise's line: proven or not. */
static const char *proven_word(int ok)
{
    return ok ? _("ok") : _("NOT PROVEN");
}

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
        fprintf(stderr, _("grader: internal error in %s: %s\n"), ex->id,
                sb_str(&err));
    sb_free(&err);
    return rc;
}

/* Appends to why what is wrong with the starter's result; returns 1 if ok. */
static int starter_ok(const exercise_result *r, strbuf *why)
{
    if (r->verdict == EV_BUILD_ERROR) {
        sb_printf(why, _("starter does not compile cleanly with -Werror:\n%s"),
                  r->build_log ? r->build_log : (r->message ? r->message : ""));
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < r->ntests; i++)
        if (r->tests[i].verdict == TV_PASSED) {
            sb_printf(why,
                      _("starter passes test %s (every test must fail on "
                        "the starter)\n"),
                      r->tests[i].name);
            ok = 0;
        }
    return ok;
}

/* A passing test graded by counters must reach the top tier
 * (below_counter_top_tier, verdict.h). */
static int solution_ok(const exercise *ex, const exercise_result *r,
                       strbuf *why)
{
    if (r->verdict == EV_BUILD_ERROR) {
        char *msg = i18n_message(r->message ? r->message : "");
        sb_printf(why, _("solution does not compile: %s\n%s"), msg,
                  r->build_log ? r->build_log : "");
        free(msg);
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < r->ntests; i++) {
        const test_result *t = &r->tests[i];
        char *msg = i18n_message(t->message ? t->message : "");
        if (t->verdict != TV_PASSED) {
            sb_printf(why, _("solution fails %s: %s: %s\n"), t->name,
                      test_verdict_name(t->verdict), msg);
            if (t->output)
                sb_printf(why, "%s\n", t->output);
            ok = 0;
        } else if (below_counter_top_tier(ex, t)) {
            sb_printf(why,
                      _("solution fails %s: below the top tier of its "
                        "counter: %s\n"),
                      t->name, msg);
            ok = 0;
        }
        free(msg);
    }
    return ok;
}

/* Prints the lines of why, indented under the exercise's line. */
static void print_why(const strbuf *why)
{
    const char *p = sb_str(why);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        printf("      %.*s\n", (int)len, p);
        if (!nl)
            break;
        p = nl + 1;
    }
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
    ok = solution_ok(ex, &solution, &why) && ok;
    if (solution.verdict == EV_SKIPPED) {
        char *msg = i18n_message(solution.message ? solution.message : "");
        printf(_("  %-24s skipped: %s\n"), ex->id, msg);
        free(msg);
    } else {
        printf(_("  %-24s starter %d/%zu pass  solution %d/%zu pass, %.1f/%d "
                 "points  %.1fs  %s%s%s\n"),
               ex->id, tests_passed(&starter), starter.ntests,
               tests_passed(&solution), solution.ntests, solution.score,
               ex->points, monotonic_seconds() - start,
               paint(color, ok ? GREEN : RED), proven_word(ok),
               paint(color, RESET));
        if (!ok)
            print_why(&why);
    }
    fflush(stdout);
    exercise_result_free(&starter);
    exercise_result_free(&solution);
    sb_free(&why);
    return ok ? EXIT_ALL_PASSED : EXIT_SOME_FAILED;
}

/* ---- instructor mutants -------------------------------------------------- */

static int verify_mutants_one(const graded_view *v, const exercise *ex,
                              const judge_options *judge, int color)
{
    const double start = monotonic_seconds();
    mutant_tally t;
    strbuf why = {0}, err = {0};
    if (mutants_verify(v, ex, judge, &t, &why, &err) != 0) {
        fprintf(stderr, _("grader: internal error in %s (mutants): %s\n"),
                ex->id, sb_str(&err));
        sb_free(&why);
        sb_free(&err);
        return EXIT_INTERNAL;
    }
    const int ok = why.len == 0;
    char judged[64] = "", judged_mutants[64] = "";
    if (judge)
        snprintf(judged, sizeof judged, _(" (judge mode %d/%d)"),
                 t.judge_passing, t.judge_variants);
    if (t.judge_mutants > 0)
        snprintf(judged_mutants, sizeof judged_mutants,
                 _(" (judge mode %d/%d)"), t.judge_killed, t.judge_mutants);
    printf(_("  %-24s mutants %d/%d killed%s  variants %d/%d pass%s  %.1fs  "
             "%s%s%s\n"),
           ex->id, t.killed, t.mutants, judged_mutants, t.passing, t.variants,
           judged, monotonic_seconds() - start, paint(color, ok ? GREEN : RED),
           proven_word(ok), paint(color, RESET));
    if (!ok)
        print_why(&why);
    fflush(stdout);
    sb_free(&why);
    sb_free(&err);
    return ok ? EXIT_ALL_PASSED : EXIT_SOME_FAILED;
}

/* ---- judge mode --------------------------------------------------------- */

static int judge_grade(const graded_view *v, const exercise *ex,
                       const judge_options *j, const char *edit_base,
                       const char *tag, exercise_result *r)
{
    static const char *const observe[] = {"LL_OBSERVE", NULL};
    grade_options o = {
        .build = {edit_base, 0, observe, tag},
        .run_env = (const char *const *)j->env,
        .judge = j,
    };
    strbuf err = {0};
    int rc = grade_exercise(v, ex, &o, r, &err);
    if (rc != 0)
        fprintf(stderr, _("grader: internal error in %s (judge mode): %s\n"),
                ex->id, sb_str(&err));
    sb_free(&err);
    return rc;
}

/* How many tests of r have expectations that differ between the seeds;
 * names the others in why. -1: internal error. */
static int seeded_tests(const graded_view *v, const exercise *ex,
                        const judge_options *a, const judge_options *b,
                        const exercise_result *r, strbuf *why)
{
    strlist names = {0};
    for (size_t i = 0; i < r->ntests; i++)
        strlist_push(&names, r->tests[i].name);
    judge_expectations ea, eb;
    strbuf err = {0};
    int seeded = -1;
    if (judge_expect(v, ex, a, &names, &ea, &err) == 0) {
        if (judge_expect(v, ex, b, &names, &eb, &err) == 0) {
            seeded = 0;
            for (size_t i = 0; i < names.n; i++) {
                const int skipped = ea.v[i].skip_reason || eb.v[i].skip_reason;
                if (skipped || check_logs_differ(&ea.v[i].log, &eb.v[i].log))
                    seeded++;
                else
                    sb_printf(why,
                              _("judge: test %s checks nothing that depends "
                                "on its seed (draw its data with "
                                "ll_rand_*)\n"),
                              names.v[i]);
            }
            judge_expectations_free(&eb);
        }
        judge_expectations_free(&ea);
    }
    if (seeded < 0)
        print_error(sb_str(&err));
    sb_free(&err);
    strlist_free(&names);
    return seeded;
}

/* The solution's counter-graded tests in judge mode (their metric from the
 * device report): their metric and points; a test below its top tier is
 * named in why (the reference must reach it, as locally). Returns 0 when
 * one is below. */
static int judge_counter_tiers(const exercise *ex, const exercise_result *r,
                               strbuf *lines, strbuf *why)
{
    int ok = 1;
    for (size_t i = 0; i < r->ntests; i++) {
        const test_result *t = &r->tests[i];
        const perf_spec *p = manifest_perf_for(ex, t->name);
        if (p == NULL || p->judge_counters.nsum == 0)
            continue;
        sb_printf(lines, _("  %-24s judge counters: %s"), ex->id, t->name);
        for (size_t k = 0; k < t->nmetrics; k++)
            sb_printf(lines, " %s %.6g", t->metrics[k].name,
                      t->metrics[k].value);
        sb_printf(lines, _(" -> %.2f/%.2f points\n"), t->score, t->max_score);
        if (below_counter_top_tier(ex, t) ||
            (t->verdict == TV_PASSED && t->nmetrics == 0)) {
            sb_printf(why,
                      _("judge: solution's %s is below its top counter tier "
                        "in judge mode: %s\n"),
                      t->name, t->message ? t->message : "");
            ok = 0;
        }
    }
    return ok;
}

/* The judge's own timing of the solution (perf_judge.h), when it has one:
 * its metric and the share of the perf test's points it earned. */
static void print_judge_perf(const exercise *ex, const exercise_result *r)
{
    if (ex->perf == NULL || ex->perf->driver == NULL)
        return;
    for (size_t i = 0; i < r->ntests; i++) {
        const test_result *t = &r->tests[i];
        if (strcmp(t->name, ex->perf->test) != 0)
            continue;
        printf(_("  %-24s judge timing: "), ex->id);
        for (size_t k = 0; k < t->nmetrics; k++)
            printf("%s %.3g  ", t->metrics[k].name, t->metrics[k].value);
        char *msg = i18n_message(t->message);
        printf(_("-> %.1f/%.1f points%s%s\n"), t->score, t->max_score,
               msg ? ": " : "", msg ? msg : "");
        free(msg);
    }
}

static int verify_judge_one(const graded_view *v, const exercise *ex,
                            const judge_options *a, const judge_options *b,
                            int color)
{
    double start = monotonic_seconds();
    exercise_result starter, solution;
    if (judge_grade(v, ex, a, a->reference, "judge-verify-solution",
                    &solution) != 0)
        return EXIT_INTERNAL;
    if (judge_grade(v, ex, a, "exercises", "judge-verify-starter", &starter) !=
        0) {
        exercise_result_free(&solution);
        return EXIT_INTERNAL;
    }
    strbuf why = {0};
    int ok = 1;
    for (size_t i = 0; i < solution.ntests; i++)
        if (solution.tests[i].verdict != TV_PASSED &&
            solution.tests[i].verdict != TV_SKIPPED) {
            char *msg = i18n_message(
                solution.tests[i].message ? solution.tests[i].message : "");
            sb_printf(&why, _("judge: solution fails %s: %s: %s\n"),
                      solution.tests[i].name,
                      test_verdict_name(solution.tests[i].verdict), msg);
            free(msg);
            ok = 0;
        }
    if (solution.verdict == EV_BUILD_ERROR) {
        sb_printf(&why,
                  _("judge: the observing build of the solution does not "
                    "compile:\n%s"),
                  solution.build_log ? solution.build_log : "");
        ok = 0;
    }
    strbuf counters = {0};
    if (solution.verdict != EV_BUILD_ERROR &&
        !judge_counter_tiers(ex, &solution, &counters, &why))
        ok = 0;
    for (size_t i = 0; i < starter.ntests; i++)
        if (starter.tests[i].verdict == TV_PASSED) {
            sb_printf(&why, _("judge: starter passes test %s\n"),
                      starter.tests[i].name);
            ok = 0;
        }
    int seeded = ok ? seeded_tests(v, ex, a, b, &solution, &why) : 0;
    if (seeded < 0) {
        exercise_result_free(&starter);
        exercise_result_free(&solution);
        sb_free(&why);
        sb_free(&counters);
        return EXIT_INTERNAL;
    }
    ok = ok && (size_t)seeded == solution.ntests;
    printf(_("  %-24s judge: starter %d/%zu pass  solution %d/%zu pass  "
             "seeded %d/%zu  %.1fs  %s%s%s\n"),
           ex->id, tests_passed(&starter), starter.ntests,
           tests_passed(&solution), solution.ntests, seeded, solution.ntests,
           monotonic_seconds() - start, paint(color, ok ? GREEN : RED),
           proven_word(ok), paint(color, RESET));
    fputs(sb_str(&counters), stdout);
    sb_free(&counters);
    if (!ok)
        print_why(&why);
    print_judge_perf(ex, &solution);
    fflush(stdout);
    exercise_result_free(&starter);
    exercise_result_free(&solution);
    sb_free(&why);
    return ok ? EXIT_ALL_PASSED : EXIT_SOME_FAILED;
}

int verify_exercises(const graded_view *v, const char *const *ids, int n,
                     const verify_options *o)
{
    judge_options a, b;
    if (o->judge) {
        strbuf err = {0};
        if (judge_init(&a, v->wb->root, SEED_A, &err) != 0 ||
            judge_init(&b, v->wb->root, SEED_B, &err) != 0) {
            print_error(sb_str(&err));
            sb_free(&err);
            return EXIT_USAGE;
        }
    }
    const int color = o->color;
    printf(_("verify: every starter must fail every test, every solution must "
             "pass them all%s\n"),
           o->judge ? _("; in judge mode too, every test depending on its seed")
                    : "");
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
        if (rc == EXIT_ALL_PASSED && o->mutants)
            rc = verify_mutants_one(v, ex, o->judge ? &a : NULL, color);
        if (rc == EXIT_ALL_PASSED && o->judge)
            rc = verify_judge_one(v, ex, &a, &b, color);
        if (rc == EXIT_INTERNAL)
            break;
        if (rc == 0)
            proven++;
        else
            failed++;
    }
    if (o->judge) {
        judge_options_free(&a);
        judge_options_free(&b);
    }
    if (proven + failed < total)
        return EXIT_INTERNAL;
    printf(_("verify: %d passed, %d failed\n"), proven, failed);
    return failed ? 1 : 0;
}

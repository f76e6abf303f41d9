/* table.c: see table.h. */
#include "report/table.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/term.h"

static const char *verdict_color(exercise_verdict v)
{
    switch (v) {
    case EV_PASSED: return GREEN;
    case EV_SKIPPED: return YELLOW;
    default: return RED;
    }
}

static const char *test_color(test_verdict v)
{
    switch (v) {
    case TV_PASSED: return GREEN;
    case TV_SKIPPED:
    case TV_NOT_RUN: return YELLOW;
    default: return RED;
    }
}

static void print_row(FILE *f, const exercise_result *r, int color)
{
    char tests[32] = "";
    if (r->ntests > 0)
        snprintf(tests, sizeof tests, _("%d/%zu tests"), tests_passed(r),
                 r->ntests);
    fprintf(f, "  %-3d %-24s %s%-12s%s %6.1f/%-4.0f %s%s%s\n", r->chapter,
            r->id, paint(color, verdict_color(r->verdict)),
            exercise_verdict_name(r->verdict), paint(color, RESET), r->score,
            r->max_score, tests, r->cached ? _("  (unchanged)") : "", "");
}

void table_print_grade(FILE *f, const manifest *m, const exercise_result *rs,
                       size_t n, const char *next_id, int color)
{
    double score = 0, max = 0;
    size_t passed = 0;
    const exercise_result *next = NULL;
    fprintf(f, "\n  %-3s %-24s %-12s %11s\n", "ch", "exercise", "verdict",
            "score");
    for (size_t i = 0; i < n; i++) {
        print_row(f, &rs[i], color);
        score += rs[i].score;
        max += rs[i].max_score;
        if (rs[i].verdict == EV_PASSED)
            passed++;
        else if (next == NULL && rs[i].verdict != EV_SKIPPED)
            next = &rs[i];
    }
    fprintf(f, _("\n%s%s: %zu/%zu exercises passed, %.1f/%.0f points%s\n"),
            paint(color, BOLD), m->course_title, passed, n, score, max,
            paint(color, RESET));
    if (next && next_id == NULL)
        next_id = next->id;
    if (next)
        fprintf(f,
                _("Next: %s — run `make watch` (it re-checks on every save) "
                  "or `make check EX=%s` to see what to fix.\n"),
                next_id, next_id);
    else if (passed == n)
        fprintf(f, "%s", _("Everything passes. Well done!\n"));
}

static void indent(FILE *f, const char *text, const char *pad)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(f, "%s%.*s\n", pad, (int)len, p);
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* The measured figures of a test, and for the performance-graded test how
 * its metric maps onto the tiers, so a passing-but-slow program is not a
 * mystery "passed, 0 points". */
static void print_metrics(FILE *f, const exercise *ex, const test_result *t,
                          int color)
{
    if (t->nmetrics == 0)
        return;
    fprintf(f, "               %s", paint(color, DIM));
    for (size_t i = 0; i < t->nmetrics; i++) {
        const double v = t->metrics[i].value;
        /* counts in full (221184, not 2.21e+05); measured values to 3 digits */
        if (v == (double)(long long)v && v > -1e15 && v < 1e15)
            fprintf(f, "%s%s %lld", i ? ", " : "", t->metrics[i].name,
                    (long long)v);
        else
            fprintf(f, "%s%s %.3g", i ? ", " : "", t->metrics[i].name, v);
    }
    fprintf(f, "%s\n", paint(color, RESET));
    const perf_spec *p = manifest_perf_for(ex, t->name);
    if (p == NULL || t->verdict != TV_PASSED)
        return;
    fprintf(f, _("               %s: %s tiers"),
            p->lower_is_better ? _("counters") : _("speed"),
            perf_spec_label(p));
    for (size_t i = 0; i < p->ntiers; i++)
        fprintf(f, "%s%s %.6g: %.0f%%", i ? ", " : " ",
                p->lower_is_better ? "<=" : ">=", p->tiers[i].bound,
                100.0 * p->tiers[i].fraction);
    fprintf(f, _(" -> %.1f/%.1f points\n"), t->score, t->max_score);
    if (t->message && t->score < t->max_score - 1e-9) {
        /* the tier reached and what the next one needs (verdict.c) */
        char *msg = i18n_message(t->message);
        indent(f, msg, "               ");
        free(msg);
    }
}

static const test_result *first_failure(const exercise_result *r)
{
    for (size_t i = 0; i < r->ntests; i++)
        if (r->tests[i].verdict != TV_PASSED)
            return &r->tests[i];
    return NULL;
}

void table_print_check_body(FILE *f, const exercise *ex,
                            const exercise_result *r, int color)
{
    fprintf(f, "\n%s%s%s — %s\n", paint(color, BOLD), ex->id,
            paint(color, RESET), exercise_title(ex));
    if (r->verdict == EV_BUILD_ERROR) {
        char *msg = i18n_message(r->message);
        fprintf(f, "  %sbuild_error%s: %s\n", paint(color, RED),
                paint(color, RESET), msg ? msg : _("does not compile"));
        free(msg);
        if (r->build_log)
            indent(f, r->build_log, "    ");
        return;
    }
    if (r->verdict == EV_SKIPPED && r->ntests == 0) {
        char *msg = i18n_message(r->message);
        fprintf(f, "  %sskipped%s: %s\n", paint(color, YELLOW),
                paint(color, RESET), msg ? msg : "");
        free(msg);
        return;
    }
    /* what to fix before the tests matter (a linked exercise of the
     * student's that does not pass) comes first */
    if (r->verdict == EV_FAILED && r->message) {
        char *msg = i18n_message(r->message);
        fprintf(f, _("  %sFirst:%s %s\n"), paint(color, YELLOW),
                paint(color, RESET), msg);
        free(msg);
    }
    for (size_t i = 0; i < r->ntests; i++) {
        const test_result *t = &r->tests[i];
        fprintf(f, "  %s%-12s%s %s\n", paint(color, test_color(t->verdict)),
                test_verdict_name(t->verdict), paint(color, RESET), t->name);
        print_metrics(f, ex, t, color);
    }
    if (r->build_log && r->build_log[0]) {
        fprintf(f, _("\n  %scompiler warnings:%s\n"), paint(color, YELLOW),
                paint(color, RESET));
        indent(f, r->build_log, "    ");
    }
    fprintf(f, _("\n  %d/%zu tests passed, %.1f/%.0f points%s\n"),
            tests_passed(r), r->ntests, r->score, r->max_score,
            r->cached ? _(" (unchanged since the last check)") : "");
    const test_result *first = first_failure(r);
    if (first) {
        fprintf(f, _("\n%sFirst failure%s: %s\n"), paint(color, BOLD),
                paint(color, RESET), first->name);
        if (first->message) {
            char *msg = i18n_message(first->message);
            indent(f, msg, "  ");
            free(msg);
        }
        if (first->output) {
            fprintf(f, _("\n  %swhat the program printed:%s\n"),
                    paint(color, DIM), paint(color, RESET));
            indent(f, first->output, "    ");
        }
    }
}

void table_print_check(FILE *f, const exercise *ex, const exercise_result *r,
                       int color)
{
    table_print_check_body(f, ex, r, color);
    if (r->verdict == EV_BUILD_ERROR) {
        fprintf(f,
                _("\nFix the first error above (the file and line are "
                  "yours), save, and run `make check EX=%s` again.\n"),
                ex->id);
    } else if (r->verdict == EV_PASSED) {
        fprintf(f,
                _("\n%sAll tests pass.%s On to the next one: `make next`.\n"),
                paint(color, GREEN), paint(color, RESET));
    } else if (first_failure(r)) {
        fprintf(f,
                _("\nWhat to do: read the task in exercises/%s/README.md, "
                  "fix exercises/%s/%s,\nsave, and run `make check EX=%s` "
                  "again. Stuck? `make hint EX=%s`.\n"
                  "Tip: `make watch` re-checks on every save.\n"),
                ex->id, ex->id, ex->edit.v[0], ex->id, ex->id);
    }
}

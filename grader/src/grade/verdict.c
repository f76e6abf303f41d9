/* verdict.c: see verdict.h. */
#include "grade/verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/i18n.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "grade/judge_compare.h"
#include "run/checkers.h"
#include "run/output.h"
#include "run/sanitizer_headline.h"

/* ThreadSanitizer's exit status when it found a race (TSAN_OPTIONS of the
 * cuda kind: exitcode=66). */
enum { TSAN_RACE_STATUS = 66 };

/* The usual name of a signal a test program may die of. */
static const char *signal_name(int sig)
{
    switch (sig) {
    case 4: return "SIGILL";
    case 6: return "SIGABRT";
    case 7: return "SIGBUS";
    case 8: return "SIGFPE";
    case 9: return "SIGKILL";
    case 11: return "SIGSEGV";
    case 24: return "SIGXCPU";
    case 25: return "SIGXFSZ";
    default: return "a signal";
    }
}

/* The first fact that holds decides: the sandbox's (deadline, memory),
 * a forged record, then the harness's records, then how the process
 * ended. */
void verdict_decide(const run_facts *f, test_result *t)
{
    const sandbox_result *sr = f->sr;
    const harness_records *rep = f->rec;
    char *san = sanitizer_summary(sr->err);
    if (san)
        remove_all(san, f->tree);
    /* the report's paths as the student knows them */
    char *err = xstrdup(sr->err ? sr->err : "");
    remove_all(err, f->tree);
    char *asan = asan_headline(err);
    if (asan == NULL)
        asan = ubsan_headline(err);
    char *leak = leak_headline(err);
    free(err);
    if (asan) { /* the kind, the student's file:line, what happened */
        free(san);
        san = asan;
    } else if (leak && san && strstr(san, "LeakSanitizer")) {
        free(san); /* a leak fails the test; the leak's headline says it */
        san = NULL;
    }
    if (sr->timed_out) {
        t->verdict = TV_TIMEOUT;
        t->message = xasprintf(
            "did not finish within %.3g s (an endless loop, or waiting for "
            "something that never comes?%s)",
            f->time_limit_s, f->timeout_hint ? f->timeout_hint : "");
    } else if (sr->memory_exceeded) {
        t->verdict = TV_MEMORY;
        t->message =
            xasprintf("used more than %ld MB of memory", f->memory_limit_mb);
    } else if (rep->forged) {
        t->verdict = TV_FAILED;
        t->message = xstrdup(
            "the test's report holds a \"done\" record the test harness did "
            "not write: code that forges the grader's records fails");
    } else if (rep->skip_reason) {
        t->verdict = TV_SKIPPED;
        t->message = xasprintf("skipped: %s", rep->skip_reason);
    } else if (rep->nfails > 0) {
        /* the harness's end-of-test leak check: LeakSanitizer's report
         * says how much and where it was allocated */
        const char *first =
            leak && starts_with(rep->first_fail, "(end of test)")
                ? leak
                : rep->first_fail;
        t->verdict = TV_FAILED;
        t->message = rep->nfails > 1
                         ? xasprintf("%s (and %d more failed checks)", first,
                                     rep->nfails - 1)
                         : xstrdup(first);
    } else if (rep->crash_signal) {
        t->verdict = TV_CRASHED;
        t->message = xasprintf("crashed with %s%s%s", rep->crash_signal,
                               san ? ": " : "", san ? san : "");
    } else if (san) {
        t->verdict = TV_CRASHED;
        t->message = san == asan
                         ? xstrdup(san)
                         : xasprintf("stopped by the sanitizer: %s", san);
    } else if (leak) {
        t->verdict = TV_FAILED;
        t->message = xstrdup(leak);
    } else if (!rep->started) {
        t->verdict = sr->signaled ? TV_CRASHED : TV_FAILED;
        t->message = sr->signaled
                         ? xasprintf("the test program was killed by %s "
                                     "before the test started",
                                     signal_name(sr->term_signal))
                         : xstrdup("the test never started (the program "
                                   "stopped before the test body ran)");
    } else if (!rep->done) {
        t->verdict = TV_FAILED;
        t->message = xstrdup(
            "the test ended before its checks finished (did the code call "
            "exit(), _exit(), abort() or exec, or crash?)");
    } else if (!sr->exited || sr->exit_code != 0) {
        t->verdict = TV_FAILED;
        t->message = sr->exited ? xasprintf("the checks passed, but the test "
                                            "program exited with status %d",
                                            sr->exit_code)
                                : xasprintf("the checks passed, but the test "
                                            "program was killed by %s",
                                            signal_name(sr->term_signal));
    } else if (sr->leftovers > 0) {
        t->verdict = TV_FAILED;
        t->message = xasprintf(
            "the checks passed, but the test left %d process%s running "
            "after it ended (the grader killed %s): wait for every process "
            "you start",
            sr->leftovers, sr->leftovers == 1 ? "" : "es",
            sr->leftovers == 1 ? "it" : "them");
    } else {
        t->verdict = TV_PASSED;
    }
    free(san);
    free(leak);
}

void verdict_judge(const run_facts *f, const check_log *expected,
                   const device_report *expected_device, const void *observed,
                   size_t len, test_result *t)
{
    check_log seen;
    check_log_parse(observed, len, &seen);
    judge_outcome j;
    judge_compare(expected, &seen, &j);
    const int by_device = expected_device != NULL && f->device_run;
    const char *no_report = NULL; /* fails the test if nothing else does */
    if (j.status == JUDGE_MATCH && !f->real_gpu && !by_device)
        judge_gpu_work(expected, &seen, &j);
    else if (j.status == JUDGE_MATCH && by_device && f->device != NULL)
        judge_device_work(expected_device, f->device, expected, &seen,
                          f->device_spec, &j);
    else if (by_device && f->device == NULL)
        no_report = f->device_missing ? f->device_missing : "there is none";
    check_log_free(&seen);
    if (j.status == JUDGE_MISMATCH || j.status == JUDGE_CORRUPT) {
        t->verdict = TV_FAILED;
        t->message = j.message;
        return;
    }
    /* How the process ended, with its own claims of success set aside. */
    harness_records rec = *f->rec;
    rec.done = 1;
    rec.forged = 0;
    rec.skip_reason = NULL;
    run_facts g = *f;
    g.rec = &rec;
    verdict_decide(&g, t);
    if (t->verdict != TV_PASSED) {
        judge_outcome_free(&j);
        return;
    }
    if (f->rec->skip_reason) {
        t->verdict = TV_FAILED;
        t->message = xstrdup("the test's process said the test was skipped; "
                             "in judge mode only the reference run can skip "
                             "a test");
    } else if (j.status != JUDGE_MATCH) {
        t->verdict = TV_FAILED;
        t->message = j.message;
        j.message = NULL;
    } else if (no_report != NULL) {
        t->verdict = TV_FAILED;
        t->message = xasprintf(
            "%s gave no usable report of the test's GPU work (%s): the "
            "kernels' work cannot be confirmed (did the test's code end the "
            "device process, keep it alive after the test, or run the "
            "kernels where it cannot see them?)",
            f->device_spec && f->device_spec->process ? f->device_spec->process
                                                      : "the device process",
            no_report);
    }
    judge_outcome_free(&j);
}

/* The metric a test process reported itself, or NULL. */
static const metric *own_metric(const harness_records *rec, const char *name)
{
    for (size_t i = 0; i < rec->nmetrics; i++)
        if (strcmp(rec->metrics[i].name, name) == 0)
            return &rec->metrics[i];
    return NULL;
}

static void add_metric(test_result *t, const char *name, double value)
{
    t->metrics = xreallocarray(t->metrics, t->nmetrics + 1, sizeof *t->metrics);
    t->metrics[t->nmetrics].name = xstrdup(name);
    t->metrics[t->nmetrics++].value = value;
}

void verdict_judge_counters(const perf_spec *ps, const device_report *d,
                            const harness_records *rec, test_result *t)
{
    const char *label = ps->label ? ps->label : ps->metric;
    const counter_bound *broken =
        counter_formula_broken(&ps->judge_counters, d->count);
    if (broken != NULL) {
        strbuf names = {0};
        for (size_t i = 0; i < broken->nsum; i++)
            sb_printf(&names, "%s%s", i ? " + " : "",
                      device_counter_name(broken->sum[i]));
        const double v = counter_bound_value(broken, d->count);
        t->verdict = TV_FAILED;
        t->message = xasprintf(
            "the simulator's device process counted %s = %.0f over the whole "
            "test, but this test needs %s %.0f (the test's own check of its "
            "counts did not see that: were they changed from the test's "
            "process?)",
            sb_str(&names), v, v < broken->lo ? "at least" : "at most",
            v < broken->lo ? broken->lo : broken->hi);
        sb_free(&names);
        return;
    }
    if (d->count[DC_UNCOUNTED_ACCESSES] > 0) {
        t->message = xasprintf(
            "correct, but the simulator could not count %llu of the kernels' "
            "accesses, so %s is unknown: no performance tier (0%% of this "
            "test's points)",
            d->count[DC_UNCOUNTED_ACCESSES], label);
        return;
    }
    const double value = counter_formula_value(&ps->judge_counters, d->count);
    const metric *own = own_metric(rec, ps->metric);
    if (own != NULL &&
        fabs(own->value - value) > 1e-9 * fmax(1.0, fabs(value))) {
        t->message = xasprintf(
            "correct, but the test's process reported %s %.10g where the "
            "simulator's device process counted %.10g over the whole test: "
            "a forged metric or counters reset by the test's code earn no "
            "performance tier (0%% of this test's points)",
            label, own->value, value);
        add_metric(t, "judge_forged_metric", own->value);
        return;
    }
    add_metric(t, ps->metric, value);
}

void verdict_read_tsan(const sandbox_result *sr, const char *tree,
                       test_result *t)
{
    char *race = sr->exited && sr->exit_code == TSAN_RACE_STATUS
                     ? tsan_race_message(sr->err, tree)
                     : NULL;
    if (race != NULL) {
        t->verdict = TV_RACE;
        free(t->message);
        t->message = race;
    } else if (t->verdict != TV_PASSED) {
        char *m = xasprintf("in the race tier (the same test built with "
                            "ThreadSanitizer): %s",
                            t->message ? t->message : "it did not pass");
        free(t->message);
        t->message = m;
    }
}

/* Makes *t the result of a later run that failed, its message prefixed
 * with why, the times of both runs added. */
static void take_failure(test_result *t, test_result *later, const char *why)
{
    double wall = t->wall_s + later->wall_s;
    char *msg = xasprintf("%s%s", why, later->message ? later->message : "");
    free(later->message);
    later->message = msg;
    test_result_free(t);
    *t = *later;
    t->wall_s = wall;
}

/* Metrics of a later passing run that the first run did not report join
 * t's (a test built by nvcc reports GPU timings that the simulator's run
 * cannot; for names both report, the first run's value stays). */
static void add_new_metrics(test_result *t, const test_result *later)
{
    for (size_t i = 0; i < later->nmetrics; i++) {
        int known = 0;
        for (size_t k = 0; k < t->nmetrics && !known; k++)
            known = strcmp(t->metrics[k].name, later->metrics[i].name) == 0;
        if (known)
            continue;
        t->metrics =
            xreallocarray(t->metrics, t->nmetrics + 1, sizeof *t->metrics);
        t->metrics[t->nmetrics].name = xstrdup(later->metrics[i].name);
        t->metrics[t->nmetrics++].value = later->metrics[i].value;
    }
}

/* A finding of a checker's run (READ_OCLGRIND): its message. */
static int has_finding(const test_result *later)
{
    return later->message && later->message[0];
}

void verdict_combine(const run_variant *v, test_result *t, test_result *later)
{
    switch (v->outcome) {
    case OUTCOME_MUST_PASS:
        if (later->verdict != TV_PASSED) {
            take_failure(t, later, v->prefix);
            return;
        }
        t->wall_s += later->wall_s;
        add_new_metrics(t, later);
        break;
    case OUTCOME_FINDING_FAILS:
        t->wall_s += later->wall_s;
        if (has_finding(later)) {
            t->verdict = TV_FAILED;
            free(t->message);
            t->message = xasprintf("%s%s", v->prefix, later->message);
        }
        break;
    case OUTCOME_FINDING_EXPLAINS:
        if (has_finding(later)) {
            char *m = xasprintf("%s%s%s", t->message ? t->message : "failed",
                                v->prefix, later->message);
            free(t->message);
            t->message = m;
        }
        break;
    }
    test_result_free(later);
}

void result_init(const exercise *ex, const char *hash, exercise_result *r)
{
    memset(r, 0, sizeof *r);
    r->id = xstrdup(ex->id);
    r->title = xstrdup(ex->title);
    r->chapter = ex->chapter;
    r->hash = xstrdup(hash);
    r->max_score = ex->points;
}

void result_add_tests(exercise_result *r, char **names, size_t n)
{
    r->tests = xcalloc(n, sizeof *r->tests);
    for (size_t i = 0; i < n; i++) {
        r->tests[i].name = xstrdup(names[i]);
        r->tests[i].verdict = TV_NOT_RUN;
    }
    r->ntests = n;
}

void result_reject(exercise_result *r, exercise_verdict v, char *message)
{
    r->verdict = v;
    free(r->message);
    r->message = message;
    for (size_t i = 0; i < r->ntests; i++) {
        test_result *t = &r->tests[i];
        t->verdict = TV_NOT_RUN;
        t->score = 0;
        free(t->message);
        t->message = xstrdup(message);
    }
    r->score = 0;
}

/* The value of metric `name` that t reported, or NULL. */
static const metric *find_metric(const test_result *t, const char *name)
{
    for (size_t i = 0; i < t->nmetrics; i++)
        if (strcmp(t->metrics[i].name, name) == 0)
            return &t->metrics[i];
    return NULL;
}

/* How many of p's tiers the value reaches: the highest k whose bound it
 * meets (>= min when higher is better, <= max when lower is). */
static size_t tiers_reached(const perf_spec *p, double v)
{
    size_t reached = 0;
    for (size_t k = 0; k < p->ntiers; k++)
        if (p->lower_is_better ? v <= p->tiers[k].bound
                               : v >= p->tiers[k].bound)
            reached = k + 1;
    return reached;
}

/* The precision that prints v as a person writes it with "%.*g": counts
 * in full (221184, not 2.21e+05), measured values to 3 digits. */
static int digits(double v)
{
    return v == floor(v) && fabs(v) < 1e15 ? 15 : 3;
}

/* Why a correct test did not get all its points: the metric, the tier it
 * reached and what the next one needs ("global load sectors 4096: tier 1
 * of 4 (25% of this test's points); tier 2 needs <= 1024: are neighbouring
 * threads reading neighbouring addresses?"). Composed in English like every
 * stored message; one format per case, with the value a number and the
 * label and advice each a %s of their own, so that the display can match
 * it and fill in the Chinese (grader/i18n/zh-CN.po, the manifest's
 * label_zh and advice_zh). */
static char *perf_message(const perf_spec *p, const metric *m, size_t reached)
{
    const char *name = p->label ? p->label : p->metric;
    if (m == NULL)
        return xasprintf(N_("correct, but the test did not report %s: no "
                            "performance tier (0%% of this test's points)"),
                         p->metric);
    const double f = reached ? p->tiers[reached - 1].fraction : 0.0;
    const double v = m->value, bound = p->tiers[reached].bound;
    const int dv = digits(v), db = digits(bound);
    const size_t n = p->ntiers, next = reached + 1;
    if (p->lower_is_better && p->advice)
        return xasprintf(N_("correct; %s %.*g: tier %zu of %zu (%.0f%% of "
                            "this test's points); tier %zu needs <= %.*g: %s"),
                         name, dv, v, reached, n, f * 100, next, db, bound,
                         p->advice);
    if (p->lower_is_better)
        return xasprintf(N_("correct; %s %.*g: tier %zu of %zu (%.0f%% of "
                            "this test's points); tier %zu needs <= %.*g"),
                         name, dv, v, reached, n, f * 100, next, db, bound);
    if (p->advice)
        return xasprintf(N_("correct; %s %.*g: tier %zu of %zu (%.0f%% of "
                            "this test's points); tier %zu needs >= %.*g: %s"),
                         name, dv, v, reached, n, f * 100, next, db, bound,
                         p->advice);
    return xasprintf(N_("correct; %s %.*g: tier %zu of %zu (%.0f%% of this "
                        "test's points); tier %zu needs >= %.*g"),
                     name, dv, v, reached, n, f * 100, next, db, bound);
}

void score_exercise(const exercise *ex, exercise_result *r)
{
    double share = r->ntests ? (double)ex->points / (double)r->ntests : 0;
    r->score = 0;
    r->max_score = ex->points;
    int all = r->ntests > 0;
    for (size_t i = 0; i < r->ntests; i++) {
        test_result *t = &r->tests[i];
        t->max_score = share;
        t->score = t->verdict == TV_PASSED ? share : 0;
        const perf_spec *p = manifest_perf_for(ex, t->name);
        if (t->verdict == TV_PASSED && p) {
            const metric *m = find_metric(t, p->metric);
            size_t reached = m ? tiers_reached(p, m->value) : 0;
            double f = reached ? p->tiers[reached - 1].fraction : 0.0;
            t->score = share * f;
            if (reached < p->ntiers && t->message == NULL)
                t->message = perf_message(p, m, reached);
        }
        r->score += t->score;
        all = all && t->verdict == TV_PASSED;
    }
    int any_skipped = 0;
    for (size_t i = 0; i < r->ntests; i++)
        any_skipped |= r->tests[i].verdict == TV_SKIPPED;
    r->verdict = all ? EV_PASSED : (any_skipped ? EV_SKIPPED : EV_FAILED);
}

int below_counter_top_tier(const exercise *ex, const test_result *t)
{
    const perf_spec *p = manifest_perf_for(ex, t->name);
    return t->verdict == TV_PASSED && p && p->lower_is_better &&
           t->score < t->max_score - 1e-9;
}

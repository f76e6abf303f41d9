/* run_tests.c: see run_tests.h. */
#include "grade/run_tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/text.h"
#include "base/utf8.h"
#include "compile/folder.h"
#include "grade/result_json.h"
#include "grade/verdict.h"
#include "run/checkers.h"
#include "run/device_report.h"
#include "run/output.h"
#include "run/runner.h"
#include "run/worker_pool.h"
#include "sandbox/sandbox.h"

enum {
    OUTPUT_SHOWN = 4000, /* bytes of a stream kept in the result */
    MAX_JOBS = 16        /* tests at once, at most */
};

/* Seconds each test may add to the exercise's time budget beyond its own
 * limit (starting, killing, reading the records). */
static const double TEST_OVERHEAD_S = 1.0;

/* Whether variant v applies to ex at all: its tier is asked for, and the
 * build left the program it runs. */
static int variant_available(const test_plan *p, const run_variant *v)
{
    if (v->race_tier_only && !p->ex->race_tier)
        return 0;
    char *program = build_program_path(p->dir, p->ex, v->program);
    int there = file_exists(program);
    free(program);
    return there;
}

/* Whether v runs after a test whose verdict so far is `now`. */
static int variant_due(const run_variant *v, test_verdict now)
{
    if (v->when == WHEN_PASSED)
        return now == TV_PASSED;
    return now == TV_FAILED || now == TV_CRASHED || now == TV_TIMEOUT ||
           now == TV_RACE;
}

/* The test's time limits its runs may use, in all: the first run, then
 * the longer of the variants that follow a pass and those that follow a
 * failure (a test takes one road or the other). */
static double runs_per_test(const test_plan *p)
{
    double after[2] = {0, 0}; /* [WHEN_PASSED], [WHEN_FAILED] */
    const kind_spec *k = p->ex->kind;
    for (size_t i = 0; i < k->nvariants; i++)
        if (variant_available(p, &k->variants[i]))
            after[k->variants[i].when] += k->variants[i].time_factor;
    return 1 + (after[0] > after[1] ? after[0] : after[1]);
}

/* What the program printed, for a test that did not pass. */
static char *run_output(const test_plan *p, const sandbox_result *sr)
{
    strbuf out = {0};
    output_append_stream(&out, "stdout", sr->out, sr->out_len, sr->out_total,
                         OUTPUT_SHOWN);
    output_append_stream(&out, "stderr", sr->err, sr->err_len, sr->err_total,
                         OUTPUT_SHOWN);
    char *text = NULL;
    if (out.len > 0) {
        remove_all(out.data, p->tree);
        text = utf8_sanitize(out.data, strlen(out.data));
        if (p->ex->kind->pocl_paths)
            opencl_clean_paths(text);
        defuse_workflow_commands(&text);
    }
    sb_free(&out);
    return text;
}

/* oclgrind's run of a test: its first finding is the message. Where the
 * race tier asks whether a passing test stays right (OUTCOME_FINDING_FAILS),
 * a check that fails under oclgrind is a finding too: it runs the
 * work-items in another order than PoCL, which exposes a missing barrier
 * that PoCL's own barriers hide. */
static void read_oclgrind(const run_variant *v, const sandbox_result *sr,
                          const char *tree, test_result *t)
{
    char *finding = oclgrind_finding(sr->err, tree);
    if ((finding == NULL || finding[0] == '\0') &&
        v->outcome == OUTCOME_FINDING_FAILS && t->verdict == TV_FAILED &&
        t->message != NULL) {
        free(finding);
        finding = xasprintf("the test fails when the work-items run in "
                            "oclgrind's order (a missing barrier?): %s",
                            t->message);
    }
    free(t->message);
    t->message = finding;
}

/* Whether run v has no layer that records the GPU's work (result_origin.h
 * of the simulator, cltrack): a real GPU, or a wrapper (oclgrind) instead
 * of the kind's preloaded library. Judge mode then does not ask for it. */
static int untracked_gpu(const test_plan *p, const run_variant *v)
{
    if (v == NULL)
        return 0;
    return v->program == PROGRAM_GPU ||
           (v->wrapper != WRAP_NONE && p->preload != NULL);
}

/* Whether judge mode asks run v (NULL: the first run) for a device report:
 * the kind has one, and v runs its plain test program without a wrapper
 * (the race tier's build and a real GPU have no device process). */
static int device_run(const test_plan *p, const run_variant *v)
{
    return p->expect != NULL && p->ex->kind->device_report &&
           (v == NULL ||
            (v->program == PROGRAM_TEST && v->wrapper == WRAP_NONE));
}

/* One run of test `name` as v (NULL: its first run) into t. Returns 0, 1
 * when the variant's wrapper is missing (t untouched), -1 (err). */
static int run_once(const test_plan *p, size_t index, const char *name,
                    const run_variant *v, double limit, test_result *t,
                    strbuf *err)
{
    char *program =
        build_program_path(p->dir, p->ex, v ? v->program : PROGRAM_TEST);
    const test_run_request q = {.ex = p->ex,
                                .dir = p->dir,
                                .tree = p->tree,
                                .program = program,
                                .variant = v,
                                .index = index,
                                .test = name,
                                .wall_limit_s = limit,
                                .env = p->env,
                                .preload = p->preload,
                                .record_checks = p->expect != NULL,
                                .device_report = device_run(p, v)};
    test_run run;
    int rc = test_run_once(&q, &run, err);
    free(program);
    if (rc != 0)
        return rc;
    device_report device;
    strbuf no_device = {0};
    const int have_device =
        q.device_report &&
        device_report_parse(run.sr.report, run.sr.report_len,
                            run.sr.report_total, &device, &no_device) == 0;
    const run_facts f = {&run.sr,
                         &run.rec,
                         limit,
                         p->ex->memory_limit_mb,
                         p->ex->kind->timeout_hint,
                         p->tree,
                         untracked_gpu(p, v),
                         q.device_report,
                         have_device ? &device : NULL,
                         sb_str(&no_device),
                         p->ex->kind->device_report};
    t->name = xstrdup(name);
    t->wall_s = run.sr.wall_s;
    /* A wrapped run (oclgrind) sees another device than the reference's
     * run did (its name, its order of work-items), so its observations are
     * not compared; it can only add a finding against a test (see
     * read_oclgrind), never pass one. */
    const int wrapped = v != NULL && v->wrapper != WRAP_NONE;
    const judge_expectation *e = p->expect ? &p->expect->v[index] : NULL;
    if (e && !wrapped)
        verdict_judge(&f, &e->log, e->has_device ? &e->device : NULL,
                      run.checks, run.checks_len, t);
    else
        verdict_decide(&f, t);
    const perf_spec *ps = manifest_perf_for(p->ex, name);
    const int counted = e && v == NULL && t->verdict == TV_PASSED && ps &&
                        ps->judge_counters.nsum > 0;
    if (counted && e->has_device && have_device)
        verdict_judge_counters(ps, &device, &run.rec, t);
    else if (counted && !e->has_device && t->message == NULL)
        t->message = xasprintf(
            "correct; the reference run gave no device report (a simulator "
            "without the device process), so judge mode scores no counter "
            "tier (0%% of this test's points)");
    if (have_device)
        device_report_free(&device);
    sb_free(&no_device);
    const variant_reading reading = v ? v->reading : READ_HARNESS;
    if (reading == READ_TSAN)
        verdict_read_tsan(&run.sr, p->tree, t);
    if (reading == READ_OCLGRIND) /* only its finding is wanted */
        read_oclgrind(v, &run.sr, p->tree, t);
    defuse_workflow_commands(&t->message);
    if (p->ex->kind->pocl_paths)
        opencl_clean_paths(t->message);
    if (t->verdict != TV_PASSED)
        t->output = run_output(p, &run.sr);
    if (p->expect == NULL) { /* a judge believes no metric of the process */
        t->metrics = run.rec.metrics;
        t->nmetrics = run.rec.nmetrics;
        run.rec.metrics = NULL;
        run.rec.nmetrics = 0;
    }
    test_run_free(&run);
    return 0;
}

/* The time limit of variant v's run, from the test's limit. */
static double variant_limit(const run_variant *v, double limit,
                            test_verdict now)
{
    double cap = now == TV_TIMEOUT && v->time_cap_after_timeout_s > 0
                     ? v->time_cap_after_timeout_s
                     : v->time_cap_s;
    double l = limit * v->time_factor;
    return cap > 0 && cap < l ? cap : l;
}

/* Runs test `name` every way its kind asks; limit is the test's own time
 * limit, left what remains of the exercise's budget (it caps the first
 * run only). */
static int run_test(const test_plan *p, size_t index, const char *name,
                    double limit, double left, test_result *t, strbuf *err)
{
    const char *skip = p->expect ? p->expect->v[index].skip_reason : NULL;
    if (skip != NULL) { /* the reference could not run it here either */
        t->name = xstrdup(name);
        t->verdict = TV_SKIPPED;
        t->message = xasprintf("skipped: %s", skip);
        return 0;
    }
    if (run_once(p, index, name, NULL, left < limit ? left : limit, t, err) !=
        0)
        return -1;
    const kind_spec *k = p->ex->kind;
    for (size_t i = 0; i < k->nvariants; i++) {
        const run_variant *v = &k->variants[i];
        if (!variant_due(v, t->verdict) || !variant_available(p, v))
            continue;
        test_result later = {0};
        int rc = run_once(p, index, name, v,
                          variant_limit(v, limit, t->verdict), &later, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            verdict_combine(v, t, &later);
    }
    return 0;
}

/* Whether the program still is the one built; else out is rejected. */
static int program_unchanged(const char *program, const char *hash,
                             exercise_result *out, size_t i)
{
    char now[65];
    sha256_file(program, now);
    if (strcmp(now, hash) == 0)
        return 1;
    result_reject(out, EV_TAMPERED,
                  xasprintf("the test program was changed while its "
                            "tests ran (by test %s or earlier): "
                            "tampering with the grader's files is "
                            "rejected",
                            out->tests[i > 0 ? i - 1 : 0].name));
    return 0;
}

static void budget_used_up(test_result *t, double budget)
{
    t->verdict = TV_TIMEOUT;
    t->message = xasprintf("not run: the exercise's time budget of "
                           "%.3g s was used up by the tests before",
                           budget);
}

/* ---- several tests at once ------------------------------------------------
 *
 * Each test runs in a worker (worker_pool.h), which runs it exactly as the
 * sequential loop does (sandbox.c kills and reaps every descendant of the
 * process that runs a program, so each run needs a process of its own)
 * and sends back "R" and its result as JSON, or "E" and the grader's
 * error. */

typedef struct {
    const test_plan *p;
    exercise_result *out;
    const char *program, *hash; /* the test program and its hash as built */
    double budget, start;       /* the exercise's time budget, and since when */
    double left; /* what remains of it for the test that starts next */
} tests_at_once;

/* In the parent, before test i starts: the program unchanged, and time
 * left in the budget. */
static job_start before_test(size_t i, void *ctx)
{
    tests_at_once *a = ctx;
    if (!program_unchanged(a->program, a->hash, a->out, i))
        return JOB_STOP;
    a->left = a->budget - (monotonic_seconds() - a->start);
    if (a->left < 0.1) {
        budget_used_up(&a->out->tests[i], a->budget);
        return JOB_SKIP;
    }
    return JOB_START;
}

/* In the worker: runs test i, writes "R" and its result, or "E" and the
 * error. */
static void run_test_in_worker(size_t i, int slot, strbuf *out, void *ctx)
{
    (void)slot;
    const tests_at_once *a = ctx;
    strbuf err = {0};
    test_result t = {0};
    if (sandbox_init(&err) == 0 &&
        run_test(a->p, i, a->out->tests[i].name, a->p->ex->time_limit_s,
                 a->left, &t, &err) == 0) {
        exercise_result one = {
            .id = "test", .title = "", .hash = "", .tests = &t, .ntests = 1};
        cJSON *j = exercise_result_to_json(&one);
        char *text = cJSON_PrintUnformatted(j);
        sb_printf(out, "R%s", text ? text : "");
        free(text);
        cJSON_Delete(j);
    } else {
        sb_printf(out, "E%s", sb_str(&err));
    }
    test_result_free(&t);
    sb_free(&err);
}

/* In the parent: takes test i's result from its worker. */
static int take_test_result(size_t i, const worker_result *r, void *ctx,
                            strbuf *err)
{
    tests_at_once *a = ctx;
    int rc = -1;
    if (r->complete && r->data[0] == 'R') {
        cJSON *j = cJSON_Parse(r->data + 1);
        exercise_result one;
        if (j && exercise_result_from_json(j, &one) == 0 && one.ntests == 1) {
            test_result_free(&a->out->tests[i]);
            a->out->tests[i] = one.tests[0];
            memset(&one.tests[0], 0, sizeof one.tests[0]);
            exercise_result_free(&one);
            rc = 0;
        }
        cJSON_Delete(j);
    } else if (r->complete && r->data[0] == 'E') {
        sb_puts(err, r->data + 1);
    }
    if (rc != 0 && err->len == 0)
        sb_printf(err, "the worker running test %s ended without a result",
                  a->out->tests[i].name);
    return rc;
}

/* "running a, b" for the screen: the tests under way. */
static void report_running(const size_t *running, size_t n, void *ctx)
{
    const tests_at_once *a = ctx;
    if (a->p->on_step == NULL || n == 0)
        return;
    strbuf sb = {0};
    for (size_t k = 0; k < n && k < 2; k++)
        sb_printf(&sb, "%s%s", k ? ", " : "running ",
                  a->out->tests[running[k]].name);
    if (n > 2)
        sb_printf(&sb, " and %zu more", n - 2);
    a->p->on_step(sb_str(&sb), a->p->step_ctx);
    sb_free(&sb);
}

static int run_tests_at_once(const test_plan *p, exercise_result *out,
                             const char *program, const char *hash,
                             double budget, strbuf *err)
{
    tests_at_once a = {.p = p,
                       .out = out,
                       .program = program,
                       .hash = hash,
                       .budget = budget,
                       .start = monotonic_seconds()};
    const worker_pool pool = {
        .njobs = out->ntests,
        .width = p->jobs < MAX_JOBS ? p->jobs : MAX_JOBS,
        .work = run_test_in_worker,
        .before_start = before_test,
        .on_result = take_test_result,
        .on_change = report_running,
        .ctx = &a,
    };
    return worker_pool_run(&pool, err);
}

int run_tests(const test_plan *p, exercise_result *out, strbuf *err)
{
    char *program = build_program_path(p->dir, p->ex, PROGRAM_TEST);
    char program_hash[65];
    sha256_file(program, program_hash);
    double limit = p->ex->time_limit_s;
    double budget =
        (double)out->ntests * (runs_per_test(p) * limit + TEST_OVERHEAD_S);
    if (p->jobs > 1 && out->ntests > 1 && !p->first_failure_only) {
        int rc = run_tests_at_once(p, out, program, program_hash, budget, err);
        free(program);
        return rc;
    }
    double start = monotonic_seconds();
    int rc = 0;
    for (size_t i = 0; i < out->ntests && rc == 0; i++) {
        test_result *t = &out->tests[i];
        if (p->on_step)
            p->on_step(t->name, p->step_ctx);
        /* Without Landlock the grader's own user could change the program
         * from inside a test: later tests would run the student's program
         * instead of the tests. */
        if (!program_unchanged(program, program_hash, out, i))
            break;
        double left = budget - (monotonic_seconds() - start);
        if (left < 0.1) {
            budget_used_up(t, budget);
            continue;
        }
        char *name = t->name;
        t->name = NULL;
        rc = run_test(p, i, name, limit, left, t, err);
        free(name);
        if (p->first_failure_only && t->verdict != TV_PASSED)
            break;
    }
    free(program);
    return rc;
}

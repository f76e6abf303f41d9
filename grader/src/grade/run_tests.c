/* run_tests.c: see run_tests.h. */
#include "grade/run_tests.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

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
                         sb_str(&no_device)};
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

/* ---- Ctrl-C while tests run at once
 * ------------------------------------------
 *
 * The runs' processes start sessions of their own, so the terminal's
 * SIGINT does not reach them, and once the grader is gone nothing would
 * kill them. While tests run at once, a SIGINT, SIGTERM or SIGHUP is
 * noted, and the loop kills every process below the grader before the
 * grader dies of the signal; at any other time the signal acts as usual. */

static volatile sig_atomic_t interrupted;   /* the signal, or 0 */
static volatile sig_atomic_t running_tests; /* run_tests_at_once is on */

static void on_interrupt(int sig)
{
    if (!running_tests) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    interrupted = sig;
}

void run_tests_catch_interrupts(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal the caller ignores (nohup, a background job) stays so */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- several tests at once ------------------------------------------------
 *
 * Each test runs in a forked copy of the grader (a worker), which runs it
 * exactly as the sequential loop does (sandbox.c kills and reaps every
 * descendant of the process that runs a program, so each run needs a
 * process of its own) and sends the result back as JSON on a pipe. */

typedef struct {
    pid_t pid; /* 0: free */
    int fd;
    size_t index;
    strbuf data;
} worker;

static void write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        data += n;
        len -= (size_t)n;
    }
}

/* The worker's side: runs test i, writes "R" and its result as JSON, or
 * "E" and the grader's error, then exits. */
static _Noreturn void worker_main(const test_plan *p, const char *name,
                                  size_t i, double limit, double left, int fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGINT, SIG_DFL); /* the grader cleans up (die_interrupted) */
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    strbuf err = {0}, msg = {0};
    test_result t = {0};
    if (sandbox_init(&err) == 0 &&
        run_test(p, i, name, limit, left, &t, &err) == 0) {
        exercise_result one = {
            .id = "test", .title = "", .hash = "", .tests = &t, .ntests = 1};
        cJSON *j = exercise_result_to_json(&one);
        char *text = cJSON_PrintUnformatted(j);
        sb_printf(&msg, "R%s", text ? text : "");
        free(text);
        cJSON_Delete(j);
    } else {
        sb_printf(&msg, "E%s", sb_str(&err));
    }
    write_all(fd, msg.data, msg.len);
    _exit(0);
}

static int start_worker(const test_plan *p, exercise_result *out, size_t i,
                        double limit, double left, worker *w, strbuf *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        sb_printf(err, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        sb_printf(err, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        worker_main(p, out->tests[i].name, i, limit, left, fds[1]);
    }
    close(fds[1]);
    *w = (worker){.pid = pid, .fd = fds[0], .index = i};
    return 0;
}

/* Takes worker w's result into out->tests[w->index]; frees w. */
static int finish_worker(worker *w, exercise_result *out, strbuf *err)
{
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    close(w->fd);
    int rc = -1;
    const char *data = sb_str(&w->data);
    if (data[0] == 'R') {
        cJSON *j = cJSON_Parse(data + 1);
        exercise_result one;
        if (j && exercise_result_from_json(j, &one) == 0 && one.ntests == 1) {
            test_result_free(&out->tests[w->index]);
            out->tests[w->index] = one.tests[0];
            memset(&one.tests[0], 0, sizeof one.tests[0]);
            exercise_result_free(&one);
            rc = 0;
        }
        cJSON_Delete(j);
    } else if (data[0] == 'E') {
        sb_puts(err, data + 1);
    }
    if (rc != 0 && err->len == 0)
        sb_printf(err, "the worker running test %s ended without a result",
                  out->tests[w->index].name);
    sb_free(&w->data);
    w->pid = 0;
    return rc;
}

/* "running a, b" for the screen: the tests under way, in order. */
static void report_running(const test_plan *p, const exercise_result *out,
                           const worker *w, size_t nw)
{
    if (p->on_step == NULL)
        return;
    strbuf sb = {0};
    size_t shown = 0, more = 0;
    for (size_t k = 0; k < nw; k++) {
        if (w[k].pid == 0)
            continue;
        if (shown < 2)
            sb_printf(&sb, "%s%s", shown ? ", " : "running ",
                      out->tests[w[k].index].name);
        else
            more++;
        shown++;
    }
    if (more)
        sb_printf(&sb, " and %zu more", more);
    if (sb.len)
        p->on_step(sb_str(&sb), p->step_ctx);
    sb_free(&sb);
}

/* Reads what the running workers sent; finishes those done. */
static int collect_workers(const test_plan *p, exercise_result *out, worker *w,
                           size_t nw, strbuf *err)
{
    struct pollfd fds[MAX_JOBS];
    size_t at[MAX_JOBS], n = 0;
    for (size_t k = 0; k < nw; k++)
        if (w[k].pid) {
            fds[n] = (struct pollfd){w[k].fd, POLLIN, 0};
            at[n++] = k;
        }
    if (n == 0)
        return 0;
    if (poll(fds, n, -1) < 0)
        return errno == EINTR ? 0 : -1;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        worker *x = &w[at[i]];
        char buf[8192];
        ssize_t got = read(x->fd, buf, sizeof buf);
        if (got > 0) {
            sb_append(&x->data, buf, (size_t)got);
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (finish_worker(x, out, err) != 0)
            rc = -1;
        report_running(p, out, w, nw);
    }
    return rc;
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

/* Kills the workers and everything below them, then dies of the signal. */
static _Noreturn void die_interrupted(worker *w, size_t nw)
{
    for (size_t k = 0; k < nw; k++)
        if (w[k].pid)
            kill(w[k].pid, SIGKILL);
    (void)sandbox_kill_descendants();
    const int sig = interrupted;
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig);
}

static int run_tests_at_once(const test_plan *p, exercise_result *out,
                             const char *program, const char *hash,
                             double budget, strbuf *err)
{
    worker w[MAX_JOBS] = {{0}};
    const size_t nw = p->jobs < MAX_JOBS ? (size_t)p->jobs : MAX_JOBS;
    const double start = monotonic_seconds();
    size_t next = 0;
    int rc = 0, tampered = 0;
    running_tests = 1;
    for (;;) {
        if (interrupted)
            die_interrupted(w, nw);
        size_t running = 0, free_at = nw;
        for (size_t k = 0; k < nw; k++) {
            if (w[k].pid)
                running++;
            else if (free_at == nw)
                free_at = k;
        }
        if (rc == 0 && !tampered && next < out->ntests && free_at < nw) {
            test_result *t = &out->tests[next];
            double left = budget - (monotonic_seconds() - start);
            if (!program_unchanged(program, hash, out, next)) {
                tampered = 1;
            } else if (left < 0.1) {
                budget_used_up(t, budget);
                next++;
            } else {
                rc = start_worker(p, out, next, p->ex->time_limit_s, left,
                                  &w[free_at], err);
                next++;
                report_running(p, out, w, nw);
            }
            continue;
        }
        if (running == 0)
            break;
        if (collect_workers(p, out, w, nw, err) != 0)
            rc = -1;
    }
    running_tests = 0;
    return rc;
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

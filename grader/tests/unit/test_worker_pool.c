/* Unit tests for the worker pool (run/worker_pool.h): every job's result
 * reaches the parent under its own job whatever order the workers end in,
 * a worker that dies is told as such, a result larger than a pipe holds
 * arrives whole, the width bounds the workers at once, before_start and
 * on_result steer the starts, and an interrupt while a pool runs leaves
 * no process behind. */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "run/worker_pool.h"

enum { MAX_TEST_JOBS = 16, LARGE = 1 << 20 };

/* What a test's pool saw in the parent. */
typedef struct {
    size_t njobs;
    int width;
    char *data[MAX_TEST_JOBS]; /* each job's result, NULL: none came */
    size_t len[MAX_TEST_JOBS];
    int status[MAX_TEST_JOBS], complete[MAX_TEST_JOBS];
    size_t results;                  /* on_result calls */
    size_t end_order[MAX_TEST_JOBS]; /* the jobs, in the order they ended */
    size_t most_running; /* the most jobs on_change saw running at once */
    int was_running[MAX_TEST_JOBS]; /* on_change named the job */
    int slot_bad;                   /* a worker's slot was outside 0..width-1 */
    size_t stop_at; /* before_start says JOB_STOP here (0: never) */
    size_t skip;    /* before_start says JOB_SKIP here (0: never) */
    size_t fail_at; /* on_result fails here (0: never) */
} seen;

static void sleep_ms(long ms)
{
    const struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Job i sleeps longer the earlier it is (the last ends first), then
 * writes "job I in slot S". */
static void work_reversed(size_t i, int slot, strbuf *out, void *ctx)
{
    const seen *s = ctx;
    sleep_ms(40 * (long)(s->njobs - i));
    sb_printf(out, "job %zu in slot %d", i, slot);
}

/* Job 1 is killed, job 2 exits 3 without returning, the rest write. */
static void work_dying(size_t i, int slot, strbuf *out, void *ctx)
{
    (void)slot;
    (void)ctx;
    sb_printf(out, "partial %zu", i);
    if (i == 1)
        kill(getpid(), SIGKILL);
    if (i == 2)
        _exit(3);
}

/* Job i writes LARGE bytes: byte k is (k * 7 + i) % 251. */
static void work_large(size_t i, int slot, strbuf *out, void *ctx)
{
    (void)slot;
    (void)ctx;
    char *buf = malloc(LARGE);
    for (size_t k = 0; k < LARGE; k++)
        buf[k] = (char)((k * 7 + i) % 251);
    sb_append(out, buf, LARGE);
    free(buf);
}

static job_start steer_start(size_t i, void *ctx)
{
    const seen *s = ctx;
    if (s->stop_at && i == s->stop_at)
        return JOB_STOP;
    if (s->skip && i == s->skip)
        return JOB_SKIP;
    return JOB_START;
}

static int keep_result(size_t i, const worker_result *r, void *ctx, strbuf *err)
{
    seen *s = ctx;
    cr_assert_lt(i, s->njobs, "on_result for job %zu of %zu", i, s->njobs);
    cr_assert_null(s->data[i], "job %zu's result came twice", i);
    cr_assert_eq(r->data[r->len], '\0', "job %zu: data not NUL-ended", i);
    s->data[i] = malloc(r->len + 1);
    memcpy(s->data[i], r->data, r->len + 1);
    s->len[i] = r->len;
    s->status[i] = r->status;
    s->complete[i] = r->complete;
    s->end_order[s->results++] = i;
    if (s->fail_at && i == s->fail_at) {
        sb_printf(err, "job %zu failed", i);
        return -1;
    }
    return 0;
}

static void count_running(const size_t *running, size_t n, void *ctx)
{
    seen *s = ctx;
    if (n > s->most_running)
        s->most_running = n;
    for (size_t k = 0; k < n; k++) {
        const size_t job = running[k];
        cr_assert_lt(job, s->njobs, "on_change: job %zu of %zu", job, s->njobs);
        cr_assert_null(s->data[job], "on_change: job %zu ended already", job);
        for (size_t m = 0; m < k; m++)
            cr_assert_neq(running[m], job, "on_change: job %zu twice", job);
        s->was_running[job] = 1;
    }
}

/* Runs s's pool with `work`; returns worker_pool_run's answer. */
static int run_pool(seen *s, void (*work)(size_t, int, strbuf *, void *),
                    strbuf *err)
{
    const worker_pool p = {.njobs = s->njobs,
                           .width = s->width,
                           .work = work,
                           .before_start = steer_start,
                           .on_result = keep_result,
                           .on_change = count_running,
                           .ctx = s};
    return worker_pool_run(&p, err);
}

static void free_seen(seen *s)
{
    for (size_t i = 0; i < MAX_TEST_JOBS; i++)
        free(s->data[i]);
}

/* Checks that every job's result is "job I in slot S", S below the width,
 * and that they ended in `order` (when not NULL). */
static void check_results(const seen *s, const size_t *order)
{
    cr_assert_eq(s->results, s->njobs, "expected %zu results, got %zu",
                 s->njobs, s->results);
    for (size_t i = 0; i < s->njobs; i++) {
        cr_assert_not_null(s->data[i], "job %zu: no result", i);
        cr_assert(s->was_running[i], "job %zu: on_change never named it", i);
        cr_assert(s->complete[i], "job %zu: not complete (status %d)", i,
                  s->status[i]);
        size_t job = 0;
        int slot = -1;
        cr_assert_eq(sscanf(s->data[i], "job %zu in slot %d", &job, &slot), 2,
                     "job %zu: expected \"job %zu in slot S\", got \"%s\"", i,
                     i, s->data[i]);
        cr_assert_eq(job, i, "job %zu: expected its own result, got job %zu's",
                     i, job);
        cr_assert(slot >= 0 && slot < s->width && (size_t)slot < s->njobs,
                  "job %zu: expected a slot in 0..%d, got %d", i, s->width - 1,
                  slot);
        if (order)
            cr_assert_eq(s->end_order[i], order[i],
                         "expected job %zu to end as number %zu, got job %zu",
                         order[i], i, s->end_order[i]);
    }
}

/* Runs njobs of work_reversed with `width` workers and checks every
 * result, the order they ended in (order, or NULL: any) and the most
 * workers at once (most). */
static void check_width(size_t njobs, int width, const size_t *order,
                        size_t most)
{
    seen s = {.njobs = njobs, .width = width};
    strbuf err = {0};
    cr_assert_eq(run_pool(&s, work_reversed, &err), 0, "%s", sb_str(&err));
    check_results(&s, order);
    cr_assert_eq(s.most_running, most, "expected %zu at once, got %zu", most,
                 s.most_running);
    free_seen(&s);
    sb_free(&err);
}

Test(worker_pool, results_land_under_their_own_jobs)
{
    const size_t reversed[] = {3, 2, 1, 0}; /* the last job sleeps least */
    check_width(4, 4, reversed, 4);
}

Test(worker_pool, width_one_runs_one_after_another)
{
    const size_t in_order[] = {0, 1, 2, 3};
    check_width(4, 1, in_order, 1);
}

Test(worker_pool, width_above_the_jobs_starts_each_job_once)
{
    check_width(3, 10, NULL, 3);
}

Test(worker_pool, width_between_runs_at_most_that_many)
{
    check_width(7, 3, NULL, 3);
}

Test(worker_pool, a_dying_worker_is_told_with_its_status)
{
    seen s = {.njobs = 4, .width = 2};
    strbuf err = {0};
    cr_assert_eq(run_pool(&s, work_dying, &err), 0, "%s", sb_str(&err));
    cr_assert_eq(s.results, 4, "expected 4 results, got %zu", s.results);
    cr_assert_not(s.complete[1], "a killed worker counts as complete");
    cr_assert(WIFSIGNALED(s.status[1]) && WTERMSIG(s.status[1]) == SIGKILL,
              "expected status: killed by SIGKILL, got %d", s.status[1]);
    cr_assert_not(s.complete[2], "a worker that exited 3 counts as complete");
    cr_assert(WIFEXITED(s.status[2]) && WEXITSTATUS(s.status[2]) == 3,
              "expected status: exit 3, got %d", s.status[2]);
    for (size_t i = 0; i < 4; i += 3) {
        char want[32];
        snprintf(want, sizeof want, "partial %zu", i);
        cr_assert(s.complete[i], "job %zu: expected complete", i);
        cr_assert_str_eq(s.data[i], want);
    }
    free_seen(&s);
    sb_free(&err);
}

Test(worker_pool, a_result_larger_than_a_pipe_arrives_whole)
{
    seen s = {.njobs = 3, .width = 3};
    strbuf err = {0};
    cr_assert_eq(run_pool(&s, work_large, &err), 0, "%s", sb_str(&err));
    for (size_t i = 0; i < 3; i++) {
        cr_assert(s.complete[i], "job %zu: not complete (status %d)", i,
                  s.status[i]);
        cr_assert_eq(s.len[i], LARGE, "job %zu: expected %d bytes, got %zu", i,
                     LARGE, s.len[i]);
        for (size_t k = 0; k < LARGE; k++)
            if (s.data[i][k] != (char)((k * 7 + i) % 251))
                cr_assert_fail("job %zu: byte %zu: expected %d, got %d", i, k,
                               (int)((k * 7 + i) % 251), s.data[i][k]);
    }
    free_seen(&s);
    sb_free(&err);
}

Test(worker_pool, skip_and_stop_start_no_worker)
{
    seen s = {.njobs = 6, .width = 2, .skip = 1, .stop_at = 4};
    strbuf err = {0};
    cr_assert_eq(run_pool(&s, work_reversed, &err), 0, "%s", sb_str(&err));
    cr_assert_eq(s.results, 3, "expected results of jobs 0, 2, 3, got %zu",
                 s.results);
    const size_t none[] = {1, 4, 5};
    for (size_t k = 0; k < 3; k++)
        cr_assert_null(s.data[none[k]], "job %zu ran", none[k]);
    free_seen(&s);
    sb_free(&err);
}

Test(worker_pool, a_failed_result_stops_the_starts)
{
    seen s = {.njobs = 5, .width = 1, .fail_at = 1};
    strbuf err = {0};
    cr_assert_eq(run_pool(&s, work_reversed, &err), -1);
    cr_assert_str_eq(sb_str(&err), "job 1 failed");
    cr_assert_eq(s.results, 2, "expected results of jobs 0 and 1, got %zu",
                 s.results);
    free_seen(&s);
    sb_free(&err);
}

Test(worker_pool, no_jobs_start_no_worker)
{
    seen s = {.njobs = 0, .width = 4};
    strbuf err = {0};
    cr_assert_eq(run_pool(&s, work_reversed, &err), 0);
    cr_assert_eq(s.results, 0);
    sb_free(&err);
}

/* ---- interrupts: a grader process of its own, signalled from here ---- */

static int report_fd = -1; /* the pipe each worker reports its pids on */

/* A worker that leaves a process in a session of its own (as a sandboxed
 * run does), reports both pids, and waits to be killed. */
static void work_leaving_a_process(size_t i, int slot, strbuf *out, void *ctx)
{
    (void)i;
    (void)slot;
    (void)out;
    (void)ctx;
    const pid_t left = fork();
    if (left == 0) {
        setsid();
        for (;;)
            pause();
    }
    const int pids[2] = {getpid(), left};
    if (write(report_fd, pids, sizeof pids) != (ssize_t)sizeof pids)
        _exit(1);
    for (;;)
        pause();
}

static int ignore_result(size_t i, const worker_result *r, void *ctx,
                         strbuf *err)
{
    (void)i;
    (void)r;
    (void)ctx;
    (void)err;
    return 0;
}

/* Forks a grader that catches interrupts and runs two such workers;
 * fills pids with the workers' and their processes' pids (-1: not
 * reported within 10 s). */
static pid_t start_interruptible_grader(int pids[4])
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    const pid_t grader = fork();
    cr_assert_geq(grader, 0);
    if (grader == 0) {
        close(fds[0]);
        report_fd = fds[1];
        prctl(PR_SET_CHILD_SUBREAPER, 1); /* as sandbox_init makes it */
        worker_pool_catch_interrupts();
        const worker_pool p = {.njobs = 2,
                               .width = 2,
                               .work = work_leaving_a_process,
                               .on_result = ignore_result};
        strbuf err = {0};
        worker_pool_run(&p, &err);
        _exit(0); /* not reached: the workers never end */
    }
    close(fds[1]);
    for (size_t i = 0; i < 4; i++)
        pids[i] = -1;
    size_t got = 0;
    struct pollfd in = {fds[0], POLLIN, 0};
    while (got < 4 * sizeof(int) && poll(&in, 1, 10000) > 0) {
        const ssize_t n =
            read(fds[0], (char *)pids + got, 4 * sizeof(int) - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fds[0]);
    return grader;
}

/* The wait status of child pid, once it ends; -1 when it has not ended
 * within 10 s. */
static int wait_for(pid_t pid)
{
    for (int i = 0; i < 1000; i++) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        sleep_ms(10);
    }
    return -1;
}

/* Kills the grader and what it left, when a check below fails. */
static void kill_all(pid_t grader, const int pids[4])
{
    kill(grader, SIGKILL);
    for (size_t i = 0; i < 4; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGKILL);
}

Test(worker_pool, an_interrupt_kills_every_process_and_the_grader)
{
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t k = 0; k < 3; k++) {
        int pids[4];
        const pid_t grader = start_interruptible_grader(pids);
        for (size_t i = 0; i < 4; i++)
            if (pids[i] <= 0) {
                kill_all(grader, pids);
                cr_assert_fail("expected two workers to report, got %zu",
                               i / 2);
            }
        cr_assert_eq(kill(grader, sigs[k]), 0);
        const int status = wait_for(grader);
        int alive = -1;
        for (size_t i = 0; i < 4 && alive < 0; i++)
            if (kill(pids[i], 0) == 0 || errno != ESRCH)
                alive = pids[i];
        const int died =
            status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sigs[k];
        if (!died || alive != -1)
            kill_all(grader, pids);
        cr_assert(died,
                  "expected the grader to die of signal %d, got status %d "
                  "(-1: still alive after 10 s)",
                  sigs[k], status);
        cr_assert_eq(alive, -1, "signal %d: process %d outlived the grader",
                     sigs[k], alive);
    }
}

Test(worker_pool, an_interrupt_outside_a_pool_acts_as_usual)
{
    const pid_t grader = fork();
    cr_assert_geq(grader, 0);
    if (grader == 0) {
        worker_pool_catch_interrupts();
        raise(SIGTERM);
        _exit(0);
    }
    int status = 0;
    cr_assert_eq(waitpid(grader, &status, 0), grader);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
              "expected death by SIGTERM, got status %d", status);
}

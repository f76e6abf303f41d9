/* worker_pool.h: jobs run in forked copies of the grader (workers), at
 * most `width` at once, each handing its result back to the parent as
 * bytes over a pipe.
 *
 * The parent starts the jobs in order, each as soon as a worker's place
 * is free, and hears of every job as its worker ends (on_result), in the
 * order they end: the result the worker wrote, and whether the worker
 * ended cleanly. A worker is a copy of the parent's memory at its start:
 * what the parent set up before then (in before_start too) is there, and
 * nothing the worker changes comes back but through its result.
 *
 * Interrupts. The work below a worker may start sessions of its own (the
 * sandbox's runs), which the terminal's Ctrl-C does not reach and which
 * nothing would kill once the grader is gone. After
 * worker_pool_catch_interrupts(), a SIGINT, SIGTERM or SIGHUP that comes
 * while a pool runs is noted, and the pool kills its workers and every
 * process below the grader (sandbox_kill_descendants), then the grader
 * dies of the signal (one that comes while a callback runs in the parent
 * waits for it to return). At any other time the signal acts as usual. A
 * worker takes those signals' default action and dies with the grader
 * (PR_SET_PDEATHSIG). */
#ifndef GRADER_WORKER_POOL_H
#define GRADER_WORKER_POOL_H

#include <stddef.h>
#include <sys/types.h>

#include "base/strbuf.h"

/* What to do with the next job (before_start's answer). */
typedef enum {
    JOB_START, /* run it in a worker */
    JOB_SKIP,  /* the caller settled it without a worker: on to the next */
    JOB_STOP   /* start no more jobs, this one neither; the running ones
                  end as usual */
} job_start;

/* How one worker ended. */
typedef struct {
    const char *data; /* what it wrote, NUL-terminated (data[len] == 0) */
    size_t len;
    int status;   /* its wait status (waitpid) */
    int complete; /* 1: work returned and the whole result was written
                     (exit status 0); 0: the worker stopped on the way (a
                     crash, a kill) and data may be cut short or empty */
} worker_result;

typedef struct {
    size_t njobs;
    int width; /* workers at once (below 1 counts as 1; more than njobs
                  starts njobs) */
    /* In the worker: does job `job`, appending its result to out. slot is
     * the worker's place, 0..width-1: no two workers that run at the same
     * time share one (a folder or a build tag of their own, say). */
    void (*work)(size_t job, int slot, strbuf *out, void *ctx);
    /* In the parent, right before job `job` would start (what it stores in
     * ctx, that job's worker sees). NULL: every job starts. */
    job_start (*before_start)(size_t job, void *ctx);
    /* In the parent, as job `job`'s worker ends. Returns 0, or -1 after
     * writing why to err: no more jobs start, and worker_pool_run returns
     * -1 once the running ones have ended. */
    int (*on_result)(size_t job, const worker_result *r, void *ctx,
                     strbuf *err);
    /* In the parent, after each start and each end: the jobs running, in
     * the order of their slots. May be NULL. */
    void (*on_change)(const size_t *running, size_t n, void *ctx);
    void *ctx;
} worker_pool;

/* Runs p's jobs and returns once every worker started has ended and been
 * reaped: 0, or -1 when a worker could not be started or on_result said
 * so (err). Jobs after such an error are not started. */
int worker_pool_run(const worker_pool *p, strbuf *err);

/* Forks one worker with a pipe back to this process, for a caller that
 * waits on it its own way (the watch's check): returns the worker's pid in
 * the parent, *fd the pipe's read end; 0 in the worker, *fd its write end
 * (both close on exec); -1 when it cannot (err). Standard streams are
 * flushed first. */
pid_t worker_fork(int *fd, strbuf *err);

/* Once per grader process that runs pools: installs the interrupt rule
 * above for SIGINT, SIGTERM and SIGHUP. Signals the caller ignores (nohup,
 * a background job) stay ignored. */
void worker_pool_catch_interrupts(void);

#endif

/* 41_thread_pool: threads that stay alive and meet cheaply. Edit this file
 * until `make check EX=41_thread_pool` passes.
 *
 * Lecture: lectures/05_engine.md#threads-that-stay-alive
 *
 * One way to build it (the lecture explains each part):
 *   - pool_new starts n - 1 workers; each loops: wait for a new job, run
 *     it, say that it has finished;
 *   - pool_run posts the job by bumping a counter of jobs posted (the
 *     "generation"), runs its own part (thread 0), then waits for the
 *     workers;
 *   - pool_meet: each thread counts the meetings it has reached, in a
 *     counter of its own, and waits until every thread's counter has caught
 *     up (counters that only grow need no resetting between meetings);
 *   - waiting: spin on the counter for a few microseconds (with a pause
 *     instruction), then sched_yield; a worker without a job for a few
 *     milliseconds sleeps on a condition variable, so that an idle pool uses
 *     no CPU. Mind the lost wake-up: the worker must not go to sleep after
 *     pool_run has posted a job and decided that nobody needed waking.
 */
#define _POSIX_C_SOURCE 200809L
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct Pool {
    int n; /* threads, the caller included */
    /* TODO: the worker threads, the job and ctx being run, a counter of
     * jobs posted, one meeting counter per thread (each in a cache line of
     * its own: _Alignas(64)), a stop flag, and a mutex and a condition
     * variable for sleeping workers. */
};

Pool *pool_new(int n)
{
    /* TODO: reject n < 1; start n - 1 workers (on failure, stop the ones
     * started and return NULL). */
    Pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->n = n;
    return p;
}

int pool_size(const Pool *p)
{
    return p->n;
}

void pool_run(Pool *p, pool_job job, void *ctx)
{
    /* TODO: post the job, wake sleeping workers, run job(ctx, 0) here, wait
     * until every worker has finished it. */
    (void)p;
    (void)job;
    (void)ctx;
}

void pool_meet(Pool *p, int thread)
{
    /* TODO: count this thread's arrival, wait for everyone's. */
    (void)p;
    (void)thread;
}

void pool_free(Pool *p)
{
    /* TODO: tell the workers to stop (wake the sleeping ones), join them,
     * free everything. */
    free(p);
}

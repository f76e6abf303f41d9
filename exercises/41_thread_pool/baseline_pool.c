/* baseline_pool.c: what the judge times 41_thread_pool against
 * (perf_pool.c): a "pool" that starts and joins its threads on every run,
 * as 13_parallel_for does on every call, with a pthread barrier for
 * pool_meet. Built with -DLL_PERF_NULL it is the empty stub instead (a run
 * does nothing), whose time is the driver's own cost, taken off both sides
 * of the ratio. */
#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

enum { MOST_THREADS = 64 };

struct Pool {
    int n;
    pthread_barrier_t meeting;
};

Pool *pool_new(int n)
{
    if (n < 1 || n > MOST_THREADS)
        return NULL;
    Pool *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->n = n;
    if (pthread_barrier_init(&p->meeting, NULL, (unsigned)n) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

int pool_size(const Pool *p)
{
    return p->n;
}

#ifdef LL_PERF_NULL

void pool_run(Pool *p, pool_job job, void *ctx)
{
    (void)p;
    (void)job;
    (void)ctx;
}

#else

typedef struct {
    pool_job job;
    void *ctx;
    int thread;
} Part;

static void *run_part(void *arg)
{
    const Part *part = arg;
    part->job(part->ctx, part->thread);
    return NULL;
}

void pool_run(Pool *p, pool_job job, void *ctx)
{
    pthread_t threads[MOST_THREADS];
    Part parts[MOST_THREADS];
    int started = 1;
    for (int t = 1; t < p->n; t++) {
        parts[t] = (Part){job, ctx, t};
        if (pthread_create(&threads[t], NULL, run_part, &parts[t]) != 0)
            break;
        started++;
    }
    job(ctx, 0);
    for (int t = 1; t < started; t++)
        pthread_join(threads[t], NULL);
}

#endif /* LL_PERF_NULL */

void pool_meet(Pool *p, int thread)
{
    (void)thread;
    pthread_barrier_wait(&p->meeting);
}

void pool_free(Pool *p)
{
    if (p == NULL)
        return;
    pthread_barrier_destroy(&p->meeting);
    free(p);
}

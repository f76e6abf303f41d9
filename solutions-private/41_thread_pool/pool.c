/* 41_thread_pool: reference solution.
 *
 * Two counters that only ever grow carry every signal:
 *   - `posted`, the number of jobs posted so far: a worker that has run job
 *     k waits until it reads a number other than k, then runs the new job;
 *   - one `arrived` counter per thread, in a cache line of its own: the
 *     number of meetings it has reached. A thread at its k-th meeting sets
 *     its counter to k and waits until every counter is at least k. The end
 *     of a run is one more meeting, so the counters stay in step across
 *     runs and nothing ever needs resetting.
 * A waiting thread first spins (another core is usually a fraction of a
 * microsecond away), then yields its core, and a worker without a job for
 * a while sleeps on a condition variable, so that an idle pool uses no
 * CPU. `sleepers` tells pool_run whether anyone needs waking up.
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

/* How long a waiting thread spins before it yields the core at every poll:
 * a sched_yield is a system call that delays noticing the other thread. */
#define SPIN_NS 50000LL
/* How long a worker waits for the next job before it sleeps. */
#define SLEEP_NS 2000000LL

typedef struct {
    _Alignas(64) atomic_uint count; /* meetings this thread has reached */
} Arrivals;

typedef struct {
    Pool *pool;
    int thread;
} Worker;

struct Pool {
    /* what pool_run posts, in one cache line: read by every worker */
    _Alignas(64) atomic_uint posted;
    pool_job job;
    void *ctx;
    int n;
    Arrivals *arrived; /* [n] */
    Worker *workers;   /* [n], 0 unused: the caller is thread 0 */
    pthread_t *threads;
    int started; /* workers 1 .. started are running */
    /* written by sleeping workers and pool_free only */
    _Alignas(64) atomic_int sleepers;
    atomic_bool stop;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

/* ---- waiting ----------------------------------------------------------- */

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause(); /* spin politely: frees the core's resources */
#endif
}

typedef struct {
    unsigned polls;
    long long start, waited; /* ns; the clock is read every 64 polls */
} Wait;

/* One poll of a wait: spin for the first SPIN_NS, then yield. */
static void wait_a_little(Wait *w)
{
    if ((w->polls++ & 63) == 0) {
        const long long t = now_ns();
        if (w->polls == 1)
            w->start = t;
        w->waited = t - w->start;
    }
    if (w->waited < SPIN_NS)
        cpu_relax();
    else
        sched_yield();
}

/* ---- meetings ---------------------------------------------------------- */

/* Thread `thread` reaches its next meeting; returns that meeting's number.
 * Release: what it wrote before is visible to whoever reads the number. */
static unsigned arrive(Pool *p, int thread)
{
    atomic_uint *c = &p->arrived[thread].count;
    const unsigned k = atomic_load_explicit(c, memory_order_relaxed) + 1;
    atomic_store_explicit(c, k, memory_order_release);
    return k;
}

/* Until every thread has reached meeting k (the difference, not `<`, so
 * that the counters may wrap around). */
static void wait_for_all(Pool *p, unsigned k)
{
    for (int i = 0; i < p->n; i++) {
        const atomic_uint *c = &p->arrived[i].count;
        Wait w = {0};
        while ((int)(atomic_load_explicit(c, memory_order_acquire) - k) < 0)
            wait_a_little(&w);
    }
}

void pool_meet(Pool *p, int thread)
{
    if (p->n > 1)
        wait_for_all(p, arrive(p, thread));
}

/* ---- workers ----------------------------------------------------------- */

/* Until a job other than `seen` is posted (or the pool stops): spins and
 * yields for SLEEP_NS, then sleeps. Returns the job's number. */
static unsigned wait_for_job(Pool *p, unsigned seen)
{
    for (Wait w = {0}; w.waited < SLEEP_NS; wait_a_little(&w)) {
        const unsigned j =
            atomic_load_explicit(&p->posted, memory_order_acquire);
        if (j != seen || atomic_load(&p->stop))
            return j;
    }
    /* Counted as a sleeper before looking again, under the lock: pool_run
     * bumps `posted` before it reads `sleepers`, so either it sees this
     * sleeper and wakes it, or this check sees the new job. */
    pthread_mutex_lock(&p->lock);
    atomic_fetch_add(&p->sleepers, 1);
    while (atomic_load(&p->posted) == seen && !atomic_load(&p->stop))
        pthread_cond_wait(&p->wake, &p->lock);
    atomic_fetch_sub(&p->sleepers, 1);
    pthread_mutex_unlock(&p->lock);
    return atomic_load(&p->posted);
}

static void *worker_main(void *arg)
{
    const Worker *w = arg;
    Pool *p = w->pool;
    /* 0, the number the pool starts with, not what `posted` says now: the
     * first job may be posted before this thread first runs */
    unsigned seen = 0;
    for (;;) {
        seen = wait_for_job(p, seen);
        if (atomic_load(&p->stop))
            return NULL;
        p->job(p->ctx, w->thread);
        arrive(p, w->thread); /* the run's last meeting */
    }
}

void pool_run(Pool *p, pool_job job, void *ctx)
{
    if (p->n == 1) {
        job(ctx, 0);
        return;
    }
    p->job = job;
    p->ctx = ctx;
    atomic_fetch_add(&p->posted, 1); /* seq_cst: ordered with `sleepers` */
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
    job(ctx, 0);
    pool_meet(p, 0); /* every worker's last meeting of the run */
}

/* ---- life -------------------------------------------------------------- */

int pool_size(const Pool *p)
{
    return p->n;
}

void pool_free(Pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->stop, true);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 1; i <= p->started; i++)
        pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p->threads);
    free(p->workers);
    free(p->arrived);
    free(p);
}

Pool *pool_new(int n)
{
    if (n < 1)
        return NULL;
    /* aligned: the pool's cache lines must not share a line with anything */
    Pool *p = aligned_alloc(64, (sizeof *p + 63) / 64 * 64);
    if (!p)
        return NULL;
    memset(p, 0, sizeof *p);
    p->n = n;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->arrived = aligned_alloc(64, (size_t)n * sizeof *p->arrived);
    p->workers = calloc((size_t)n, sizeof *p->workers);
    p->threads = calloc((size_t)n, sizeof *p->threads);
    if (!p->arrived || !p->workers || !p->threads) {
        pool_free(p);
        return NULL;
    }
    memset(p->arrived, 0, (size_t)n * sizeof *p->arrived);
    for (int i = 1; i < n; i++) {
        p->workers[i] = (Worker){p, i};
        if (pthread_create(&p->threads[i], NULL, worker_main, &p->workers[i]) !=
            0) {
            pool_free(p); /* stops and joins the ones already started */
            return NULL;
        }
        p->started = i;
    }
    return p;
}

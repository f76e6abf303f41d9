/* Tests for 13_parallel_for. Students: read them, do not edit them. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "llmlings.h"
#include "parallel_for.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

enum { MAX_CALLS = 64 };

/* What the bodies saw: a visit counter per index and a log of calls. */
typedef struct record {
    atomic_int *visits;
    size_t n;
    pthread_mutex_t lock;
    int ncalls;
    struct {
        size_t begin, end;
        int tid;
        pthread_t self;
    } calls[MAX_CALLS];
} record;

static record *record_new(size_t n)
{
    record *r = calloc(1, sizeof *r);
    LL_CHECK_NOT_NULL(r, "calloc in the test setup");
    r->visits = malloc((n ? n : 1) * sizeof *r->visits);
    LL_CHECK_NOT_NULL(r->visits, "malloc in the test setup");
    for (size_t i = 0; i < n; i++)
        atomic_init(&r->visits[i], 0);
    r->n = n;
    pthread_mutex_init(&r->lock, NULL);
    return r;
}

static void record_free(record *r)
{
    pthread_mutex_destroy(&r->lock);
    free(r->visits);
    free(r);
}

static void log_call(record *r, size_t begin, size_t end, int tid)
{
    pthread_mutex_lock(&r->lock);
    if (r->ncalls < MAX_CALLS) {
        r->calls[r->ncalls].begin = begin;
        r->calls[r->ncalls].end = end;
        r->calls[r->ncalls].tid = tid;
        r->calls[r->ncalls].self = pthread_self();
    }
    r->ncalls++;
    pthread_mutex_unlock(&r->lock);
}

static void count_body(void *ctx, size_t begin, size_t end, int tid)
{
    record *r = ctx;
    log_call(r, begin, end, tid);
    for (size_t i = begin; i < end && i < r->n; i++)
        atomic_fetch_add(&r->visits[i], 1);
}

static void check_each_once(const record *r, const char *what)
{
    for (size_t i = 0; i < r->n; i++) {
        const int v = atomic_load(&r->visits[i]);
        LL_CHECK(v == 1, "%s: index %zu was visited %d times, expected once",
                 what, i, v);
    }
}

static void check_no_empty_call(const record *r, const char *what)
{
    for (int c = 0; c < r->ncalls && c < MAX_CALLS; c++)
        LL_CHECK(r->calls[c].begin < r->calls[c].end,
                 "%s: body called with the empty range [%zu, %zu) (tid %d)",
                 what, r->calls[c].begin, r->calls[c].end, r->calls[c].tid);
}

LL_TEST(parallel_for, every_index_exactly_once)
{
    const size_t n = 10007;
    record *r = record_new(n);
    LL_CHECK_INT_EQ(parallel_for(n, 4, count_body, r), 0,
                    "parallel_for(10007, 4 threads) return value");
    check_each_once(r, "parallel_for(10007, 4 threads)");
    LL_CHECK_INT_EQ(r->ncalls, 4, "body calls for n=10007 on 4 threads");
    record_free(r);
}

LL_TEST(parallel_for, fewer_indices_than_threads_and_none)
{
    record *r = record_new(3);
    LL_CHECK_INT_EQ(parallel_for(3, 8, count_body, r), 0,
                    "parallel_for(n=3, 8 threads) return value");
    check_each_once(r, "parallel_for(n=3, 8 threads)");
    check_no_empty_call(r, "parallel_for(n=3, 8 threads)");
    LL_CHECK_INT_EQ(r->ncalls, 3,
                    "body calls for n=3 on 8 threads (only non-empty chunks)");
    record_free(r);

    r = record_new(0);
    LL_CHECK_INT_EQ(parallel_for(0, 4, count_body, r), 0,
                    "parallel_for(n=0, 4 threads) return value");
    LL_CHECK_INT_EQ(r->ncalls, 0, "body calls for n=0");
    record_free(r);
}

LL_TEST(parallel_for, one_thread_gets_one_chunk)
{
    const size_t n = 1000;
    record *r = record_new(n);
    LL_CHECK_INT_EQ(parallel_for(n, 1, count_body, r), 0,
                    "parallel_for(1000, 1 thread) return value");
    check_each_once(r, "parallel_for(1000, 1 thread)");
    LL_CHECK_INT_EQ(r->ncalls, 1, "body calls with 1 thread");
    LL_CHECK(r->calls[0].begin == 0 && r->calls[0].end == n &&
                 r->calls[0].tid == 0,
             "1 thread: expected one call [0, 1000) tid 0, got [%zu, %zu) "
             "tid %d",
             r->calls[0].begin, r->calls[0].end, r->calls[0].tid);
    record_free(r);
}

LL_TEST(parallel_for, static_chunks)
{
    const size_t n = 103;
    const int T = 5;
    record *r = record_new(n);
    LL_CHECK_INT_EQ(parallel_for(n, T, count_body, r), 0,
                    "parallel_for(103, 5 threads) return value");
    check_each_once(r, "parallel_for(103, 5 threads)");
    LL_CHECK_INT_EQ(r->ncalls, T, "body calls for n=103 on 5 threads");
    for (int c = 0; c < r->ncalls && c < MAX_CALLS; c++) {
        const int t = r->calls[c].tid;
        LL_CHECK(t >= 0 && t < T, "tid %d out of range 0..4", t);
        const size_t b = (size_t)t * n / (size_t)T,
                     e = (size_t)(t + 1) * n / (size_t)T;
        LL_CHECK(r->calls[c].begin == b && r->calls[c].end == e,
                 "n=103, 5 threads: chunk of tid %d expected [%zu, %zu) "
                 "(t*n/T), got [%zu, %zu)",
                 t, b, e, r->calls[c].begin, r->calls[c].end);
    }
    record_free(r);
}

/* Each body waits until all T bodies have started. Run one after the
 * other, the first would wait forever: we give up after 3 seconds. */
typedef struct rendezvous {
    record *r;
    atomic_int arrived;
    atomic_int gave_up;
    int T;
} rendezvous;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void meet_body(void *ctx, size_t begin, size_t end, int tid)
{
    rendezvous *z = ctx;
    count_body(z->r, begin, end, tid);
    atomic_fetch_add(&z->arrived, 1);
    const double deadline = now_s() + 3.0;
    while (atomic_load(&z->arrived) < z->T && !atomic_load(&z->gave_up)) {
        if (now_s() > deadline) /* remember how many had started */
            atomic_store(&z->gave_up, atomic_load(&z->arrived));
        sched_yield();
    }
}

LL_TEST(parallel_for, chunks_run_at_the_same_time)
{
    const int T = 4;
    rendezvous z = {.r = record_new(64), .T = T};
    atomic_init(&z.arrived, 0);
    atomic_init(&z.gave_up, 0);
    LL_CHECK_INT_EQ(parallel_for(64, T, meet_body, &z), 0,
                    "parallel_for(64, 4 threads) return value");
    check_each_once(z.r, "parallel_for(64, 4 threads)");
    LL_CHECK(!atomic_load(&z.gave_up),
             "4 chunks each wait for all 4 to start: after 3 s only %d of 4 "
             "had started (are the chunks run one after the other?)",
             atomic_load(&z.gave_up));
    int distinct = 0;
    for (int i = 0; i < z.r->ncalls && i < MAX_CALLS; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++)
            seen |= pthread_equal(z.r->calls[i].self, z.r->calls[j].self);
        distinct += !seen;
    }
    LL_CHECK_INT_EQ(distinct, T, "distinct threads that ran the 4 chunks");
    record_free(z.r);
}

LL_TEST(parallel_for, bad_arguments)
{
    record *r = record_new(10);
    LL_CHECK_INT_EQ(parallel_for(10, 0, count_body, r), -1,
                    "parallel_for with 0 threads");
    LL_CHECK_INT_EQ(parallel_for(10, -2, count_body, r), -1,
                    "parallel_for with -2 threads");
    LL_CHECK_INT_EQ(parallel_for(10, 2, NULL, r), -1,
                    "parallel_for with a NULL body");
    LL_CHECK_INT_EQ(r->ncalls, 0, "body calls after bad arguments");
    record_free(r);
}

/* perf_pool.c: the judge's timing driver for 41_thread_pool (grader/README.md,
 * "Performance in judge mode"). Students: you never need it; local grading
 * times your pool in test_pool.c.
 *
 * One run: a pool of 2 threads, one warm-up run, then the timed part: R
 * runs of a tiny job (R from the case, LL_PERF_CASE), on the wall clock.
 * Each run is one post and one meeting (the end of the run), so R runs
 * cost R meetings of your pool; the baseline (baseline_pool.c) starts and
 * joins a thread on every run instead, as 13_parallel_for does, so the
 * ratio of the two times is the local test's meetings_vs_spawn. The job
 * adds a seeded value per run and thread into a sum per thread: the sums
 * after the timed part are checked against the reference's (a run that
 * skips a thread, or returns before every part has finished, changes
 * them). */
#include "llmlings.h"
#include "pool.h"

#include <stdint.h>
#include <stdlib.h>

enum { THREADS = 2, MOST_RUNS = 1000000 };

typedef struct {
    const uint32_t *values; /* one seeded value per run */
    long run;               /* the run being made (set between runs) */
    uint64_t sums[THREADS];
} Work;

/* Thread t of run r adds the run's value times t + 1 into its own sum. */
static void add_job(void *ctx, int thread)
{
    Work *w = ctx;
    w->sums[thread] += (uint64_t)w->values[w->run] * (uint64_t)(thread + 1);
}

LL_PERF_DRIVER(pool, speed_vs_creating_threads)
{
    const long runs = atol(ll_perf_case("5000"));
    LL_CHECK(runs >= 1 && runs <= MOST_RUNS,
             "the perf case must be a number of runs from 1 to 1000000");
    uint32_t *values = ll_alloc((size_t)runs * sizeof *values);
    for (long r = 0; r < runs; r++)
        values[r] = ll_rand_u32();
    uint32_t warm_up = ll_rand_u32();
    Work w = {&warm_up, 0, {0}};
    Pool *p = pool_new(THREADS);
    LL_CHECK_NOT_NULL(p, "pool_new(2)");
    pool_run(p, add_job, &w); /* the warm-up: threads started and met once */
    Work timed = {values, 0, {0}};

    ll_perf_begin();
    for (timed.run = 0; timed.run < runs; timed.run++)
        pool_run(p, add_job, &timed);
    ll_perf_end();

    pool_free(p);
    uint64_t want[THREADS] = {0};
    LL_ORACLE
    {
        for (long r = 0; r < runs; r++)
            for (int t = 0; t < THREADS; t++)
                want[t] += (uint64_t)values[r] * (uint64_t)(t + 1);
    }
    LL_CHECK_UINT_EQ(timed.sums[0], want[0],
                     "thread 0's sum of its parts over the timed runs");
    LL_CHECK_UINT_EQ(timed.sums[1], want[1],
                     "thread 1's sum of its parts over the timed runs");
    free(values);
}

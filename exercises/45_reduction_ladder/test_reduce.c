/* Tests for 45_reduction_ladder. Students: read them, do not edit them.
 *
 * Correctness first: seeded small integers (-8..8), so every partial sum is
 * an integer below 2^24, exact in float in any order: the sum must come
 * back exactly. Sizes from 1 (63 blocks with nothing to do) to over
 * 100000 (several elements per thread).
 *
 * Then four performance tests, the rungs of the ladder, each on the sum of
 * 65536 seeded elements (4 per thread of the first pass) and each graded
 * in the simulator by one counter of the two launches (the lecture's "The
 * reduction ladder"):
 *   - ladder/no_divergence:     divergent branches (lanes of a warp that
 *                               go different ways at a branch);
 *   - ladder/no_bank_conflicts: shared-memory bank conflicts;
 *   - ladder/coalesced_loads:   global load sectors (65536 floats are
 *                               8192 sectors, the 64 partial sums 8 more);
 *   - ladder/warp_shuffles:     shared-memory requests (a tree in shared
 *                               memory needs dozens per block; shuffles
 *                               leave a handful).
 * On a GPU each also reports the measured time against a plain copy.
 */
#include "llmlings.h"
#include "reduce.h"

#include <cuda_runtime.h>

#include "gpu_perf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Device memory the code under test must free before it returns (the
 * simulator names the line of each buffer left allocated; under nvcc there
 * is nothing to check). */
#ifdef __CUDASIM__
#define DEVICE_MARK() cudasimAllocationMark()
static void check_freed(unsigned long long mark, const char *call)
{
    char why[600];
    LL_CHECK(cudasimLeaksSince(mark, why, sizeof why) == 0,
             "%s left device memory allocated: %s", call, why);
}
#else
#define DEVICE_MARK() 0ull
static void check_freed(unsigned long long mark, const char *call)
{
    (void)mark, (void)call;
}
#endif

/* n seeded small integers on the device, and a result slot (NaN). */
typedef struct device_case {
    float *in, *sum;
    int n;
} device_case;

static device_case upload(const float *x, int n)
{
    device_case d = {NULL, NULL, n};
    LL_CHECK_INT_EQ(cudaMalloc(&d.in, (size_t)n * sizeof(float)), cudaSuccess,
                    "cudaMalloc in the test setup");
    LL_CHECK_INT_EQ(cudaMalloc(&d.sum, sizeof(float)), cudaSuccess,
                    "cudaMalloc in the test setup");
    LL_CHECK_INT_EQ(
        cudaMemcpy(d.in, x, (size_t)n * sizeof(float), cudaMemcpyHostToDevice),
        cudaSuccess, "cudaMemcpy in the test setup");
    LL_CHECK_INT_EQ(cudaMemset(d.sum, 0xff, sizeof(float)), cudaSuccess,
                    "cudaMemset in the test setup");
    return d;
}

static void release(device_case *d)
{
    cudaFree(d->in);
    cudaFree(d->sum);
}

static float *seeded_integers(int n)
{
    float *x = (float *)ll_alloc((size_t)n * sizeof(float));
    for (int i = 0; i < n; i++)
        x[i] = (float)ll_rand_int(-8, 8);
    return x;
}

/* Calls reduce_sum on d and checks the sum against x's (exact). */
static void call_and_check(const device_case *d, const float *x)
{
    char what[120];
    snprintf(what, sizeof what, "reduce_sum(n = %d)", d->n);
    const unsigned long long mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(reduce_sum(d->in, d->n, d->sum), cudaSuccess, what);
    LL_CHECK_INT_EQ(cudaDeviceSynchronize(), cudaSuccess, what);
    check_freed(mark, "reduce_sum");
    float got = NAN;
    LL_CHECK_INT_EQ(
        cudaMemcpy(&got, d->sum, sizeof got, cudaMemcpyDeviceToHost),
        cudaSuccess, "cudaMemcpy of the result");
    double want = 0.0;
    LL_ORACLE
    {
        long long s = 0;
        for (int i = 0; i < d->n; i++)
            s += (long long)x[i];
        want = (double)s;
    }
    snprintf(what, sizeof what,
             "reduce_sum(n = %d) (small integers: the sum is exact)", d->n);
    LL_CHECK_FLOAT_NEAR(got, want, 0.0, what);
}

static void check_sum(int n)
{
    float *x = seeded_integers(n);
    device_case d = upload(x, n);
    call_and_check(&d, x);
    release(&d);
    free(x);
}

LL_TEST(ladder, small_n)
{
    check_sum(1); /* 63 blocks of the first pass have nothing to do */
    check_sum(2);
    check_sum(REDUCE_BLOCK - 1);
    check_sum(REDUCE_BLOCK);
    check_sum(1000);
}

LL_TEST(ladder, large_n)
{
    check_sum(REDUCE_GRID * REDUCE_BLOCK);         /* one per thread */
    check_sum(2 * REDUCE_GRID * REDUCE_BLOCK + 7); /* a ragged end */
    check_sum((int)ll_rand_int(100000, 200000));
}

#ifndef __CUDASIM__
static int time_reduce(void *arg)
{
    const device_case *d = (const device_case *)arg;
    return reduce_sum(d->in, d->n, d->sum);
}
#endif

/* The sum of 65536 seeded elements, checked; the counts of the call are
 * reported as metrics (each rung's test is graded by one of them). */
static void graded_run(void)
{
    enum { N = 4 * REDUCE_GRID * REDUCE_BLOCK };
    float *x = seeded_integers(N);
    device_case d = upload(x, N);
    gp_start();
    call_and_check(&d, x);
    const gp_counts g = gp_count();
    /* checked in every build, so the race tier (which does not count)
     * makes the same checks */
    LL_CHECK(!g.available ||
                 (g.launches >= 1 && g.load_sectors >= N * sizeof(float) / 32),
             "reduce_sum(n = %d): %llu launches and %llu load sectors, but "
             "the input alone is %zu sectors: the sum must be computed by "
             "kernels",
             N, g.launches, g.load_sectors, N * sizeof(float) / 32);
    if (g.available)
        gp_report(&g);
#ifndef __CUDASIM__
    float *scratch = NULL;
    if (cudaMalloc(&scratch, N * sizeof(float)) == cudaSuccess)
        gp_time_against_copy(time_reduce, &d, d.in, scratch, N);
    cudaFree(scratch);
#endif
    release(&d);
    free(x);
}

/* Graded by divergent branches: with `if (t % (2 * stride) == 0)` every
 * warp runs both sides of the branch at every level of the tree. */
LL_TEST(ladder, no_divergence)
{
    graded_run();
}

/* Graded by shared-memory bank conflicts: `s[2 * stride * t]` puts the
 * active threads of a warp 2, 4, 8, ... words apart. */
LL_TEST(ladder, no_bank_conflicts)
{
    graded_run();
}

/* Graded by global load sectors: a thread summing a contiguous chunk makes
 * neighbouring threads read addresses a chunk apart. */
LL_TEST(ladder, coalesced_loads)
{
    graded_run();
}

/* Graded by shared-memory requests: the last five levels of a tree (and
 * the first ones, within each warp) need no shared memory with shuffles. */
LL_TEST(ladder, warp_shuffles)
{
    graded_run();
}

/* Tests for 20_warp_reduce. Students: read them, do not edit them.
 *
 * The inputs are seeded (the grader may pick other values and sizes than
 * you see). Sums are of integers of at most 1000 in magnitude over fewer
 * than 16384 elements: every partial sum is an integer below 2^24, exact in
 * float in any order, so the sum must come back exactly. Maxima are exact
 * integers. Sizes are not multiples of 32 or of the block, so the last
 * warp is partly past the end, and the largest value is placed in every
 * lane of a warp in turn: a shuffle step that skips some lanes loses it.
 * This exercise runs in the race tier (ThreadSanitizer): a warp's total
 * added without an atomic is reported as a data race even when the result
 * comes out right. Sizes stay small because the race tier is slow. */
#include "llmlings.h"
#include "warp_reduce.h"

#include <cuda_runtime.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* Device memory the code under test must free before it returns: the
 * simulator counts every cudaMalloc and names the line of each buffer left
 * allocated (under nvcc there is no such count, and nothing to check). */
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

/* warp_sum of n seeded integers in [-1000, 1000]. */
static void check_sum(int n)
{
    float *x = (float *)ll_alloc((size_t)n * sizeof(float));
    for (int i = 0; i < n; i++)
        x[i] = (float)ll_rand_int(-1000, 1000);
    float got = -12345.0f, want = 0.0f;
    char what[200];
    snprintf(what, sizeof what, "warp_sum(x, n = %d) return value", n);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(warp_sum(x, n, &got), cudaSuccess, what);
    check_freed(device_mark, "warp_sum");
    LL_ORACLE
    {
        long long s = 0;
        for (int i = 0; i < n; i++)
            s += (long long)x[i];
        want = (float)s;
    }
    snprintf(what, sizeof what,
             "warp_sum of %d seeded integers (%d warp(s), the last one with %d "
             "lanes inside the array)",
             n, (n + 31) / 32, n % 32 ? n % 32 : 32);
    LL_CHECK_FLOAT_NEAR(got, want, 0.0, what);
    free(x);
}

/* warp_max(x, n), its return value checked; the result. */
static int run_max(const int *x, int n, const char *kind)
{
    int got = 12345;
    char what[200];
    snprintf(what, sizeof what, "warp_max(%s, n = %d) return value", kind, n);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(warp_max(x, n, &got), cudaSuccess, what);
    check_freed(device_mark, "warp_max");
    return got;
}

static void check_max(const int *x, int n, const char *kind)
{
    const int got = run_max(x, n, kind);
    int want = INT_MIN;
    LL_ORACLE
    {
        for (int i = 0; i < n; i++)
            want = x[i] > want ? x[i] : want;
    }
    char what[200];
    snprintf(what, sizeof what, "warp_max(%s, n = %d)", kind, n);
    LL_CHECK_INT_EQ(got, want, what);
}

LL_TEST(warp_reduce, sum_one_warp_and_a_bit)
{
    check_sum(32);
    check_sum(33); /* the second warp has one live lane */
    check_sum((int)ll_rand_int(2, 31));
}

LL_TEST(warp_reduce, sum_many_blocks)
{
    check_sum(1000); /* 16 blocks, last warp 8 lanes */
    check_sum(1301); /* 21 blocks, last warp 21 lanes */
    int n = (int)ll_rand_int(WARP_BLOCK + 1, 1200);
    n += n % 32 == 0; /* a partial last warp */
    check_sum(n);
}

LL_TEST(warp_reduce, max_position_anywhere)
{
    const int n = 301;
    int *x = (int *)ll_alloc((size_t)n * sizeof(int));
    const int where[] = {0, 31, 32, 150, n - 1, (int)ll_rand_int(0, n - 1)};
    char kind[80];
    for (size_t k = 0; k < sizeof where / sizeof where[0]; k++) {
        for (int i = 0; i < n; i++)
            x[i] = (int)ll_rand_int(-100000, 100000);
        x[where[k]] = 100001 + (int)ll_rand_int(0, 1000); /* the maximum */
        snprintf(kind, sizeof kind, "seeded values, the largest at x[%d]",
                 where[k]);
        check_max(x, n, kind);
    }
    free(x);
}

LL_TEST(warp_reduce, max_in_every_lane)
{
    /* 32 calls on 64 values (a block of two warps): call L puts the unique
     * maximum in lane L of a seeded warp; results[L] is what came back */
    const int n = WARP_BLOCK;
    int *x = (int *)ll_alloc((size_t)n * sizeof(int));
    float got[32], want[32];
    for (int lane = 0; lane < 32; lane++) {
        for (int i = 0; i < n; i++)
            x[i] = (int)ll_rand_int(-(1 << 22), 1 << 22);
        const int at = 32 * (int)ll_rand_int(0, 1) + lane;
        x[at] = (1 << 22) + 1 + (int)ll_rand_int(0, 1000);
        got[lane] = (float)run_max(x, n,
                                   "seeded values, the largest in one "
                                   "lane");
        LL_ORACLE
        {
            want[lane] = (float)x[at];
        }
    }
    LL_CHECK_FLOATS_NEAR(got, want, 32, 0.0f, 0.0f,
                         "warp_max of 64 seeded values with the maximum in "
                         "lane L of warp 0 or 1: element [L]");
    free(x);
}

LL_TEST(warp_reduce, max_of_negative_values)
{
    /* every value is negative: a max that starts from 0 (or pads with 0)
     * returns 0 */
    const int n = (int)ll_rand_int(40, 100);
    int *x = (int *)ll_alloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++)
        x[i] = (int)ll_rand_int(-100000, -1);
    check_max(x, n, "seeded negative values");
    /* near INT_MIN: a padding value other than INT_MIN (-1000000, say)
     * wins against all of them */
    for (int i = 0; i < n; i++)
        x[i] = INT_MIN + (int)ll_rand_int(0, 1000);
    check_max(x, n, "seeded values in [INT_MIN, INT_MIN + 1000]");
    const int one = -3;
    check_max(&one, 1, "the single value -3");
    free(x);
}

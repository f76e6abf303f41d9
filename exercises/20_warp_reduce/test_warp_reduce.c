/* Tests for 20_warp_reduce. Students: read them, do not edit them.
 *
 * Sums are of small integers (exact in float in any order) and checked
 * against a 64-bit integer loop; maxima against a plain loop. Sizes are not
 * multiples of 32 or of the block, so the last warp is partly past the
 * end. This exercise runs in the race tier (ThreadSanitizer): a warp's
 * total added without an atomic is reported as a data race even when the
 * result comes out right. Sizes stay small because the race tier is slow. */
#include "llmlings.h"
#include "warp_reduce.h"

#include <cuda_runtime.h>

#include <limits.h>
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

static void check_sum(int n, int mul)
{
    float *x = (float *)malloc((size_t)n * sizeof(float));
    LL_CHECK_NOT_NULL(x, "malloc in the test setup");
    long long want = 0;
    for (int i = 0; i < n; i++) {
        const int v = (int)(((long long)i * mul) % 23) - 10;
        x[i] = (float)v;
        want += v;
    }
    float got = -12345.0f;
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(warp_sum(x, n, &got), cudaSuccess, "warp_sum return value");
    check_freed(device_mark, "warp_sum");
    LL_CHECK(got == (float)want,
             "warp_sum(n = %d): expected %lld, got %.1f (%d warps, the last "
             "one with %d lanes inside the array)",
             n, want, (double)got, (n + 31) / 32, n % 32 ? n % 32 : 32);
    free(x);
}

static void check_max(const int *x, int n, const char *what)
{
    int want = INT_MIN;
    for (int i = 0; i < n; i++)
        want = x[i] > want ? x[i] : want;
    int got = 12345;
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(warp_max(x, n, &got), cudaSuccess, "warp_max return value");
    check_freed(device_mark, "warp_max");
    LL_CHECK(got == want, "warp_max(%s, n = %d): expected %d, got %d", what, n,
             want, got);
}

LL_TEST(warp_reduce, sum_one_warp_and_a_bit)
{
    check_sum(32, 5);
    check_sum(33, 7); /* the second warp has one live lane */
}

LL_TEST(warp_reduce, sum_many_blocks)
{
    check_sum(1000, 3);  /* 16 blocks, last warp 8 lanes */
    check_sum(1301, 11); /* 21 blocks, last warp 21 lanes */
}

LL_TEST(warp_reduce, max_position_anywhere)
{
    const int n = 301;
    int *x = (int *)malloc((size_t)n * sizeof(int));
    LL_CHECK_NOT_NULL(x, "malloc in the test setup");
    const int where[] = {0, 31, 32, 150, n - 1};
    for (size_t k = 0; k < sizeof where / sizeof where[0]; k++) {
        for (int i = 0; i < n; i++)
            x[i] = (i * 37) % 1000;  /* 0..999 */
        x[where[k]] = 5000 + (int)k; /* the unique maximum */
        check_max(x, n, "one large value among 0..999");
    }
    free(x);
}

LL_TEST(warp_reduce, max_of_negative_values)
{
    /* every value is negative: a max that starts from 0 (or pads with 0)
     * returns 0 */
    const int n = 77;
    int x[77];
    for (int i = 0; i < n; i++)
        x[i] = -1000 - (i * 13) % 50;
    x[40] = -7;
    check_max(x, n, "negative values, the largest -7");
    const int one = -3;
    check_max(&one, 1, "a single -3");
}

/* Tests for 19_block_reduce. Students: read them, do not edit them.
 *
 * The inputs are small integers, so every partial sum is an integer below
 * 2^24 and exact in float in any order: the expected sum, computed here
 * with 64-bit integers, must come back exactly. This exercise also runs in
 * the race tier (ThreadSanitizer): a missing __syncthreads is reported as a
 * data race even when the sum happens to come out right. Sizes stay small
 * because the race tier is slow. */
#include "block_reduce.h"
#include "llmlings.h"

#include <cuda_runtime.h>

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

/* x[i] = ((i * mul) % 19) - 9 + offset: integers in [-9 + offset, 9 +
 * offset]. */
static void check_sum(int n, int mul, int offset)
{
    float *x = (float *)malloc((size_t)n * sizeof(float));
    LL_CHECK_NOT_NULL(x, "malloc in the test setup");
    long long want = 0;
    for (int i = 0; i < n; i++) {
        const int v = (int)(((long long)i * mul) % 19) - 9 + offset;
        x[i] = (float)v;
        want += v;
    }
    float got = -12345.0f;
    char what[120];
    snprintf(what, sizeof what, "block_reduce_sum(n = %d) return value", n);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(block_reduce_sum(x, n, &got), cudaSuccess, what);
    check_freed(device_mark, "block_reduce_sum");
    LL_CHECK(got == (float)want,
             "block_reduce_sum(n = %d): expected %lld, got %.1f (%d block(s) "
             "of %d threads)",
             n, want, (double)got, (n + REDUCE_BLOCK - 1) / REDUCE_BLOCK,
             REDUCE_BLOCK);
    free(x);
}

LL_TEST(block_reduce, one_block)
{
    check_sum(REDUCE_BLOCK, 7, 1); /* exactly one full block */
    check_sum(37, 5, 2);           /* one block, mostly padding */
}

LL_TEST(block_reduce, several_blocks_ragged_end)
{
    check_sum(1000, 11, 1); /* 8 blocks, the last one 104 elements */
}

LL_TEST(block_reduce, two_passes)
{
    /* 11 block sums, then a second pass over them */
    check_sum(10 * REDUCE_BLOCK + 77, 3, 3);
}

LL_TEST(block_reduce, negative_values)
{
    check_sum(REDUCE_BLOCK + 1, 13, -4); /* one element in the last block */
    check_sum(555, 17, -1);
}

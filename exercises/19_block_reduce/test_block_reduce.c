/* Tests for 19_block_reduce. Students: read them, do not edit them.
 *
 * The inputs are seeded integers (the grader may pick other values and
 * sizes than you see) of at most 1000 in magnitude, and n stays below
 * 16384, so every partial sum is an integer below 2^24 and exact in float
 * in any order: the sum must come back exactly (tolerance 0). This
 * exercise also runs in the race tier (ThreadSanitizer): a missing
 * __syncthreads is reported as a data race even when the sum happens to
 * come out right. Sizes stay small because the race tier is slow. */
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

/* Sums x (n values) on the GPU and checks the result. */
static void check_values(const float *x, int n, const char *kind)
{
    float got = -12345.0f, want = 0.0f;
    char what[200];
    snprintf(what, sizeof what, "block_reduce_sum(%s, n = %d) return value",
             kind, n);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(block_reduce_sum(x, n, &got), cudaSuccess, what);
    check_freed(device_mark, "block_reduce_sum");
    LL_ORACLE
    {
        long long s = 0;
        for (int i = 0; i < n; i++)
            s += (long long)x[i];
        want = (float)s;
    }
    snprintf(what, sizeof what,
             "block_reduce_sum(%s, n = %d): the sum (%d block(s) of %d "
             "threads in the first pass)",
             kind, n, (n + REDUCE_BLOCK - 1) / REDUCE_BLOCK, REDUCE_BLOCK);
    LL_CHECK_FLOAT_NEAR(got, want, 0.0, what);
}

/* n seeded integers in [lo, hi]. */
static void check_sum(int n, int lo, int hi)
{
    float *x = (float *)ll_alloc((size_t)n * sizeof(float));
    for (int i = 0; i < n; i++)
        x[i] = (float)ll_rand_int(lo, hi);
    char kind[64];
    snprintf(kind, sizeof kind, "seeded integers in [%d, %d]", lo, hi);
    check_values(x, n, kind);
    free(x);
}

/* n - 1 zeros and one value at a seeded position: every position of every
 * block must reach the total. */
static void check_one_value(int n)
{
    float *x = (float *)ll_alloc((size_t)n * sizeof(float));
    for (int i = 0; i < n; i++)
        x[i] = 0.0f;
    const int at = (int)ll_rand_int(0, n - 1);
    x[at] = (float)ll_rand_int(1, 1000);
    char kind[64];
    snprintf(kind, sizeof kind, "zeros and x[%d] = %g", at, (double)x[at]);
    check_values(x, n, kind);
    free(x);
}

LL_TEST(block_reduce, one_block)
{
    check_sum(REDUCE_BLOCK, -1000, 1000); /* exactly one full block */
    check_sum(37, -1000, 1000);           /* one block, mostly padding */
    check_sum((int)ll_rand_int(2, REDUCE_BLOCK - 1), -1000, 1000);
    check_sum(1, -1000, 1000); /* nothing to add: no pass at all */
}

LL_TEST(block_reduce, several_blocks_ragged_end)
{
    check_sum(1000, -1000, 1000); /* 8 blocks, the last one 104 elements */
    int n = (int)ll_rand_int(REDUCE_BLOCK + 1, 6 * REDUCE_BLOCK);
    n += n % REDUCE_BLOCK == 0; /* a partial last block */
    check_sum(n, -1000, 1000);
}

LL_TEST(block_reduce, two_passes)
{
    /* 11 block sums, then a second pass over them */
    check_sum(10 * REDUCE_BLOCK + 77, -1000, 1000);
    check_sum((int)ll_rand_int(11 * REDUCE_BLOCK + 1, 14 * REDUCE_BLOCK), -1000,
              1000);
}

LL_TEST(block_reduce, negative_values)
{
    check_sum(REDUCE_BLOCK + 1, -1000, -1); /* one element in the last block */
    check_sum(555, -1000, -1);
}

LL_TEST(block_reduce, one_value_anywhere)
{
    /* a single non-zero element, in one block and in the middle of many */
    check_one_value(REDUCE_BLOCK);
    check_one_value((int)ll_rand_int(3 * REDUCE_BLOCK, 5 * REDUCE_BLOCK));
}

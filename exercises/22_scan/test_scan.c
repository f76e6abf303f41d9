/* Tests for 22_scan. Students: read them, do not edit them.
 *
 * The inputs are seeded integers (the grader may pick other values and
 * sizes than you see) of at most 50 in magnitude, over at most 20000
 * elements, so every prefix sum is below 2^24 in magnitude: exact as a
 * float, and compared element by element as floats (tolerance 0) against
 * a sequential loop on the CPU. The host code fills out with -1 first, so
 * an element nobody wrote is visible (as -1, unless -1 is the right
 * value). */
#include "llmlings.h"
#include "scan.h"

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

/* Scans in (n values) on the GPU and checks every element of out. */
static void check_values(const int *in, int n, const char *kind)
{
    int *out = (int *)ll_alloc((size_t)n * sizeof(int));
    float *got = (float *)ll_alloc((size_t)n * sizeof(float));
    float *want = (float *)ll_alloc((size_t)n * sizeof(float));
    char what[240];
    snprintf(what, sizeof what, "scan_exclusive(%s, n = %d) return value", kind,
             n);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(scan_exclusive(in, out, n), cudaSuccess, what);
    check_freed(device_mark, "scan_exclusive");
    for (int i = 0; i < n; i++)
        got[i] = (float)out[i];
    LL_ORACLE
    {
        long long run = 0;
        for (int i = 0; i < n; i++) {
            want[i] = (float)run;
            run += in[i];
        }
    }
    snprintf(what, sizeof what,
             "scan_exclusive(%s, n = %d): element [i] is out[i], the sum of "
             "in[0..i-1] (block i / %d, position i %% %d in it; -1 may mean "
             "never written)",
             kind, n, SCAN_BLOCK, SCAN_BLOCK);
    LL_CHECK_FLOATS_NEAR(got, want, (size_t)n, 0.0f, 0.0f, what);
    free(want);
    free(got);
    free(out);
}

/* n seeded integers in [lo, hi]. */
static void check_scan(int n, int lo, int hi)
{
    int *in = (int *)ll_alloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++)
        in[i] = (int)ll_rand_int(lo, hi);
    char kind[80];
    snprintf(kind, sizeof kind, "seeded integers in [%d, %d]", lo, hi);
    check_values(in, n, kind);
    free(in);
}

LL_TEST(scan, one_block)
{
    check_scan(1, -50, 50); /* out[0] = 0 */
    check_scan(SCAN_BLOCK, -50, 50);
    check_scan(100, 1, 50);
    check_scan((int)ll_rand_int(2, SCAN_BLOCK - 1), -50, 50);
}

LL_TEST(scan, two_levels)
{
    check_scan(SCAN_BLOCK + 1, -50, 50); /* the second block has 1 element */
    check_scan(1000, -50, 50);           /* 8 blocks */
    int n = (int)ll_rand_int(SCAN_BLOCK + 2, 60 * SCAN_BLOCK);
    n += n % SCAN_BLOCK == 0; /* a partial last block */
    check_scan(n, -50, 50);
}

LL_TEST(scan, block_sums_fill_one_block)
{
    /* exactly SCAN_BLOCK block totals: their scan is one full block */
    check_scan(SCAN_BLOCK * SCAN_BLOCK, -50, 50);
    /* SCAN_BLOCK whole blocks and a seeded few elements more */
    check_scan(SCAN_BLOCK * (SCAN_BLOCK - 1) + (int)ll_rand_int(1, SCAN_BLOCK),
               -50, 50);
}

LL_TEST(scan, three_levels)
{
    /* 20000 elements: 157 block totals, which need a scan of their own over
     * 2 blocks, whose 2 totals need another one */
    check_scan(20000, -50, 50);
    check_scan((int)ll_rand_int(SCAN_BLOCK * SCAN_BLOCK + 1, 20000), -50, 50);
}

LL_TEST(scan, all_ones)
{
    /* out[i] = i exactly */
    const int n = (int)ll_rand_int(2 * SCAN_BLOCK, 5 * SCAN_BLOCK);
    int *in = (int *)ll_alloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++)
        in[i] = 1;
    check_values(in, n, "all ones");
    free(in);
}

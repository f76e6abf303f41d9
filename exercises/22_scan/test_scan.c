/* Tests for 22_scan. Students: read them, do not edit them.
 *
 * Expected values come from a sequential loop on the CPU (64-bit, then
 * checked to fit an int). The host code fills out with -1 first, so an
 * element nobody wrote is visible. */
#include "llmlings.h"
#include "scan.h"

#include <cuda_runtime.h>

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

/* in[i] = ((i * mul) % 11) - shift */
static void check_scan(int n, int mul, int shift)
{
    int *in = (int *)malloc((size_t)n * sizeof(int));
    int *out = (int *)malloc((size_t)n * sizeof(int));
    LL_CHECK(in && out, "malloc in the test setup failed");
    for (int i = 0; i < n; i++)
        in[i] = (int)(((long long)i * mul) % 11) - shift;
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(scan_exclusive(in, out, n), cudaSuccess,
                    "scan_exclusive return value");
    check_freed(device_mark, "scan_exclusive");
    long long run = 0;
    for (int i = 0; i < n; i++) {
        LL_CHECK(out[i] == run,
                 "scan_exclusive(n = %d): out[%d] (element %d of block %d) "
                 "expected %lld, got %d (-1 may mean never written)",
                 n, i, i % SCAN_BLOCK, i / SCAN_BLOCK, run, out[i]);
        run += in[i];
    }
    free(in);
    free(out);
}

LL_TEST(scan, one_block)
{
    check_scan(1, 3, -5); /* out[0] = 0 */
    check_scan(SCAN_BLOCK, 7, 0);
    check_scan(100, 5, 2);
}

LL_TEST(scan, two_levels)
{
    check_scan(SCAN_BLOCK + 1, 3, 0); /* the second block has 1 element */
    check_scan(1000, 7, 5);           /* 8 blocks, negative values too */
}

LL_TEST(scan, three_levels)
{
    /* 20000 elements: 157 block totals, which need a scan of their own over
     * 2 blocks, whose 2 totals need another one */
    check_scan(20000, 9, 4);
}

LL_TEST(scan, all_ones)
{
    /* out[i] = i exactly */
    const int n = 3 * SCAN_BLOCK + 17;
    int *in = (int *)malloc((size_t)n * sizeof(int));
    int *out = (int *)malloc((size_t)n * sizeof(int));
    LL_CHECK(in && out, "malloc in the test setup failed");
    for (int i = 0; i < n; i++)
        in[i] = 1;
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(scan_exclusive(in, out, n), cudaSuccess,
                    "scan_exclusive return value");
    check_freed(device_mark, "scan_exclusive");
    for (int i = 0; i < n; i++)
        LL_CHECK(out[i] == i,
                 "scan_exclusive of %d ones: out[%d] expected %d, got %d", n, i,
                 i, out[i]);
    free(in);
    free(out);
}

/* Tests for 17_cuda_vector_add. Students: read them, do not edit them.
 *
 * The inputs are small integers and quarters, so every sum is exact in float
 * and the expected values (computed here in double) must match exactly. The
 * output starts as NaN: an element the kernel never wrote shows up as NaN. */
#include "llmlings.h"
#include "vector_add.h"

#include <cuda_runtime.h>

#include <math.h>
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

/* Runs vector_add on n elements and checks every element of the result. */
static void check_add(size_t n)
{
    float *a = (float *)malloc((n + 1) * sizeof(float));
    float *b = (float *)malloc((n + 1) * sizeof(float));
    float *c = (float *)malloc((n + 1) * sizeof(float));
    float *want = (float *)malloc((n + 1) * sizeof(float));
    LL_CHECK(a && b && c && want, "malloc in the test setup failed");
    for (size_t i = 0; i <= n; i++) {
        a[i] = (float)(i % 5000);
        b[i] = 0.25f * (float)(i % 8) - 3.0f;
        c[i] = NAN;
        want[i] = (float)((double)a[i] + (double)b[i]);
    }
    char what[96];
    snprintf(what, sizeof what, "vector_add(n = %zu) return value", n);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(vector_add(a, b, c, n), cudaSuccess, what);
    check_freed(device_mark, "vector_add");
    snprintf(what, sizeof what,
             "c after vector_add(n = %zu) (NaN = never written)", n);
    LL_CHECK_FLOATS_NEAR(c, want, n, 0.0f, 0.0f, what);
    /* c[n] is past the end the caller asked for: it must stay untouched */
    LL_CHECK(isnan(c[n]),
             "vector_add(n = %zu) wrote c[%zu] = %g, one past the end "
             "(expected it untouched)",
             n, n, (double)c[n]);
    free(a);
    free(b);
    free(c);
    free(want);
}

LL_TEST(vector_add, size_multiple_of_block)
{
    check_add(4 * VADD_BLOCK);
}

LL_TEST(vector_add, ragged_sizes)
{
    /* sizes that leave the last block partly empty, and n == 0 */
    const size_t sizes[] = {1, 255, 257, 1000, 4099};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        check_add(sizes[k]);
    float x = 1.0f, y = 2.0f, z = NAN;
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(vector_add(&x, &y, &z, 0), cudaSuccess,
                    "vector_add(n = 0) return value (nothing to do is not an "
                    "error; a launch of 0 blocks is)");
    check_freed(device_mark, "vector_add(n = 0)");
    LL_CHECK(isnan(z), "vector_add(n = 0) wrote c[0] = %g (expected no write)",
             (double)z);
}

LL_TEST(vector_add, one_million_and_three)
{
    check_add((1u << 20) + 3);
}

LL_TEST(vector_add, reports_the_failing_call)
{
    /* 2^40 floats (4 TiB) cannot be allocated on any GPU: the first
     * cudaMalloc fails and vector_add must return its error, not crash, not
     * launch anything and not report success. */
    float x = 1.0f, y = 2.0f, z = NAN;
    const unsigned long long device_mark = DEVICE_MARK();
    const int r = vector_add(&x, &y, &z, (size_t)1 << 40);
    check_freed(device_mark, "vector_add(n = 2^40), whose allocation fails,");
    LL_CHECK(r == cudaErrorMemoryAllocation,
             "vector_add(n = 2^40) returned %d; expected %d "
             "(cudaErrorMemoryAllocation, from the first cudaMalloc)",
             r, (int)cudaErrorMemoryAllocation);
    LL_CHECK(isnan(z),
             "vector_add(n = 2^40) wrote c[0] = %g after a failed "
             "allocation (expected no write)",
             (double)z);
}

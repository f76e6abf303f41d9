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
    LL_CHECK_INT_EQ(vector_add(a, b, c, n), cudaSuccess, what);
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
    LL_CHECK_INT_EQ(vector_add(&x, &y, &z, 0), cudaSuccess,
                    "vector_add(n = 0) return value (nothing to do is not an "
                    "error; a launch of 0 blocks is)");
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
    const int r = vector_add(&x, &y, &z, (size_t)1 << 40);
    LL_CHECK(r == cudaErrorMemoryAllocation,
             "vector_add(n = 2^40) returned %d; expected %d "
             "(cudaErrorMemoryAllocation, from the first cudaMalloc)",
             r, (int)cudaErrorMemoryAllocation);
    LL_CHECK(isnan(z),
             "vector_add(n = 2^40) wrote c[0] = %g after a failed "
             "allocation (expected no write)",
             (double)z);
}

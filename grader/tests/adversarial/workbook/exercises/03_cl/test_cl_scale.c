/* Tests of the fixture's OpenCL exercise: seeded data, one kernel. */
#include "cl_scale.h"
#include "llmlings.h"

#include <stdlib.h>

LL_TEST(cl, scale)
{
    const size_t n = (size_t)ll_rand_int(300, 700);
    float *x = ll_alloc(n * sizeof(float));
    float *y = ll_alloc(n * sizeof(float));
    float *want = ll_alloc(n * sizeof(float));
    ll_rand_floats(x, n, -4.0f, 4.0f);
    LL_ORACLE
    {
        for (size_t i = 0; i < n; i++)
            want[i] = 2.0f * x[i] + 1.0f;
    }
    LL_CHECK_INT_EQ(cl_scale(x, y, n), 0, "cl_scale's result");
    LL_CHECK_FLOATS_NEAR(y, want, n, 1e-6f, 1e-6f, "y after cl_scale");
    free(x);
    free(y);
    free(want);
}

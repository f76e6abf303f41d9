/* Tests of the fixture's CUDA exercise: seeded data, one kernel. */
#include "gpu.h"
#include "llmlings.h"

#include <stdlib.h>

LL_TEST(gpu, scale)
{
    const int n = (int)ll_rand_int(300, 700);
    float *x = (float *)ll_alloc((size_t)n * sizeof(float));
    float *y = (float *)ll_alloc((size_t)n * sizeof(float));
    float *want = (float *)ll_alloc((size_t)n * sizeof(float));
    ll_rand_floats(x, (size_t)n, -4.0f, 4.0f);
    LL_ORACLE
    {
        for (int i = 0; i < n; i++)
            want[i] = 2.0f * x[i] + 1.0f;
    }
    LL_CHECK_INT_EQ(gpu_scale(x, y, n), 0, "gpu_scale's result");
    LL_CHECK_FLOATS_NEAR(y, want, (size_t)n, 1e-6f, 1e-6f, "y after gpu_scale");
    free(x);
    free(y);
    free(want);
}

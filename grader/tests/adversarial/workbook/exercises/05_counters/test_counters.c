/* Tests of the fixture's counter-graded CUDA exercise: seeded data, the
 * sectors of the call reported as the graded metric (as chapter 6 does). */
#include "counters.h"
#include "llmlings.h"

#include <cuda_runtime.h>
#include <stdlib.h>

LL_TEST(counted, copy)
{
    float *x = (float *)ll_alloc(COUNTERS_N * sizeof(float));
    float *y = (float *)ll_alloc(COUNTERS_N * sizeof(float));
    float *want = (float *)ll_alloc(COUNTERS_N * sizeof(float));
    ll_rand_floats(x, COUNTERS_N, -4.0f, 4.0f);
    LL_ORACLE
    {
        for (int i = 0; i < COUNTERS_N; i++)
            want[i] = 3.0f * x[i];
    }
    cudasimCountersReset();
    LL_CHECK_INT_EQ(triple(x, y), 0, "triple's result");
    struct cudasimCounters c;
    cudasimCountersGet(&c);
    LL_CHECK_FLOATS_NEAR(y, want, COUNTERS_N, 0.0f, 0.0f, "y after triple");
    LL_METRIC("sectors", c.global_load_sectors + c.global_store_sectors);
    free(x);
    free(y);
    free(want);
}

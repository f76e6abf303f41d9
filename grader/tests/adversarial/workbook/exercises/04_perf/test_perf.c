/* Tests of the fixture's performance exercise: the result on seeded data,
 * then the speed against a naive baseline (metric "ratio": baseline time
 * over the submission's; the manifest's tiers turn it into points). */
#include "llmlings.h"
#include "perf.h"

#include <stdlib.h>
#include <time.h>

enum { N = 1 << 18, REPS = 20 };

static double baseline(const float *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)x[i] * x[i];
    return s;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

LL_TEST(perf, speed)
{
    float *x = ll_alloc(N * sizeof(float));
    ll_rand_floats(x, N, -1.0f, 1.0f);
    LL_CHECK_FLOAT_NEAR(sumsq(x, N), baseline(x, N), 1e-6 * N, "sumsq(x, N)");
    double t0 = seconds();
    volatile double sink = 0;
    for (int r = 0; r < REPS; r++)
        sink += baseline(x, N);
    double t1 = seconds();
    for (int r = 0; r < REPS; r++)
        sink += sumsq(x, N);
    double t2 = seconds();
    ll_metric("ratio", (t1 - t0) / (t2 - t1 + 1e-9));
    free(x);
}

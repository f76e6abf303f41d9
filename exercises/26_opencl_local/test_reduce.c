/* test_reduce.c: tests of exercise 26_opencl_local (work-group tree
 * reduction in local memory; sizes not multiples of the group size). The
 * expected sums come from plain loops in double precision. */
#include "llmlings.h"
#include "reduce.h"

#include <math.h>
#include <stdlib.h>

/* OpenCL objects the code under test must release before it returns:
 * libcltrack (hardware/cltrack), which the grader preloads into opencl
 * tests, counts them and names each one's creating call and line. Where it
 * is absent these weak symbols are NULL and there is nothing to check. */
unsigned long long cltrack_mark(void) __attribute__((weak));
size_t cltrack_unreleased_since(unsigned long long mark, char *msg, size_t cap)
    __attribute__((weak));

static unsigned long long object_mark(void)
{
    return cltrack_mark ? cltrack_mark() : 0;
}

static void check_released(unsigned long long mark, const char *call)
{
    char why[1500];
    if (cltrack_unreleased_since == NULL)
        return;
    LL_CHECK(cltrack_unreleased_since(mark, why, sizeof why) == 0,
             "%s did not release what it created: %s", call, why);
}

static float *pattern(size_t n, unsigned seed, int integers)
{
    float *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = integers ? (float)((int)(seed >> 28) - 7)
                        : (float)((seed >> 9) % 2001) / 1000.0f - 1.0f;
    }
    return x;
}

LL_TEST(opencl_local, partial_sum_of_every_group)
{
    const size_t n = 1000, local = 64, groups = 16; /* 15 full + 40 */
    float *x = pattern(n, 3, 1);
    float partial[32];
    for (size_t g = 0; g < 32; g++)
        partial[g] = 1e9f;
    char log[8192] = "";
    const unsigned long long object_mark_ = object_mark();
    long got = ocl_partial_sums(x, n, local, partial, 32, log, sizeof log);
    check_released(object_mark_, "ocl_partial_sums");
    LL_CHECK(got == (long)groups,
             "ocl_partial_sums(n=1000, local_size=64) should return 16 "
             "groups, got %ld: %.500s",
             got, log);
    for (size_t g = 0; g < groups; g++) {
        double want = 0.0;
        for (size_t i = g * local; i < n && i < (g + 1) * local; i++)
            want += x[i];
        LL_CHECK(partial[g] == (float)want,
                 "partial[%zu] (elements %zu..%zu) should be %.0f, got %g", g,
                 g * local, (g + 1) * local < n ? (g + 1) * local - 1 : n - 1,
                 want, partial[g]);
    }
    free(x);
}

LL_TEST(opencl_local, many_full_groups)
{
    const size_t n = 1 << 16;
    float *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(i % 10); /* 0+1+...+9 = 45 per 10 elements */
    double sum = -1.0;
    char log[8192] = "";
    const unsigned long long object_mark_ = object_mark();
    int rc = ocl_sum(x, n, 256, &sum, log, sizeof log);
    check_released(object_mark_, "ocl_sum");
    LL_CHECK(rc == 0, "ocl_sum(n=65536, local_size=256) failed: %.500s", log);
    double want = 0.0;
    for (size_t i = 0; i < n; i++)
        want += x[i];
    LL_CHECK_FLOAT_NEAR(sum, want, 0.0, "sum of i % 10 over 65536 elements");
    free(x);
}

LL_TEST(opencl_local, sizes_not_multiples_of_the_group)
{
    static const size_t sizes[] = {1, 33, 255, 1000, 100003};
    static const size_t locals[] = {32, 128, 256, 64, 128};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        const size_t n = sizes[s];
        float *x = pattern(n, 11 + (unsigned)s, 0);
        double want = 0.0, mag = 0.0;
        for (size_t i = 0; i < n; i++) {
            want += x[i];
            mag += fabs(x[i]);
        }
        double sum = NAN;
        char log[8192] = "";
        const unsigned long long object_mark_ = object_mark();
        int rc = ocl_sum(x, n, locals[s], &sum, log, sizeof log);
        check_released(object_mark_, "ocl_sum");
        LL_CHECK(rc == 0, "ocl_sum(n=%zu, local_size=%zu) failed: %.500s", n,
                 locals[s], log);
        LL_CHECK(fabs(sum - want) <= 1e-4 + 1e-5 * mag,
                 "ocl_sum(n=%zu, local_size=%zu) should be %.6f, got %.6f "
                 "(elements past n must count as 0, and every element once)",
                 n, locals[s], want, sum);
        free(x);
    }
}

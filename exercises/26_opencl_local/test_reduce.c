/* test_reduce.c: tests of exercise 26_opencl_local (work-group tree
 * reduction in local memory; sizes not multiples of the group size).
 * Students: read them, do not edit them.
 *
 * The inputs are seeded (the grader may pick other values, sizes and
 * work-group sizes than you see), and every value is a multiple of 2^-10
 * of magnitude at most 1 (or a small integer). A work-group's sum of at
 * most 256 of them needs at most 19 significant bits, so it is exact in
 * float in any order, and the host adds the partial sums in double,
 * exactly: every partial sum and every total must match the CPU's exactly
 * (tolerance 0). A missing, doubled or misplaced element shows. */
#include "llmlings.h"
#include "reduce.h"

#include <stdio.h>
#include <stdlib.h>

/* OpenCL objects the code under test must release before it returns:
 * libcltrack (hardware/cltrack), which the grader preloads into opencl
 * tests, counts them and names each one's creating call and line. Where it
 * is absent these weak symbols are NULL and nothing is counted, but the
 * check is still made (and passes): every run makes the same checks in the
 * same order, which judge mode compares one by one. */
unsigned long long cltrack_mark(void) __attribute__((weak));
size_t cltrack_unreleased_since(unsigned long long mark, char *msg, size_t cap)
    __attribute__((weak));

static unsigned long long object_mark(void)
{
    return cltrack_mark ? cltrack_mark() : 0;
}

static void check_released(unsigned long long mark, const char *call)
{
    char why[1500] = "";
    const size_t unreleased =
        cltrack_unreleased_since
            ? cltrack_unreleased_since(mark, why, sizeof why)
            : 0;
    LL_CHECK(unreleased == 0, "%s did not release what it created: %s", call,
             why);
}

static float *alloc_floats(size_t n)
{
    return ll_alloc(n * sizeof(float));
}

/* n seeded multiples of 2^-10 in [-1, 1]. */
static float *seeded_values(size_t n)
{
    float *x = alloc_floats(n);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)ll_rand_int(-1024, 1024) / 1024.0f;
    return x;
}

/* A seeded work-group size: 32, 64, 128 or 256. */
static size_t seeded_local(void)
{
    return (size_t)32 << ll_rand_int(0, 3);
}

/* Runs ocl_partial_sums and checks the group count and every group's sum. */
static void check_partials(const float *x, size_t n, size_t local,
                           const char *kind)
{
    const size_t groups = (n + local - 1) / local;
    float *partial = alloc_floats(groups), *want = alloc_floats(groups);
    for (size_t g = 0; g < groups; g++)
        partial[g] = 1e9f;
    char log[8192] = "";
    const unsigned long long object_mark_ = object_mark();
    const long got =
        ocl_partial_sums(x, n, local, partial, groups, log, sizeof log);
    char what[700];
    snprintf(what, sizeof what,
             "ocl_partial_sums(%s, n = %zu, local_size = %zu): the number of "
             "groups returned (its log: \"%.400s\")",
             kind, n, local, log);
    LL_CHECK_INT_EQ(got, (long long)groups, what);
    check_released(object_mark_, "ocl_partial_sums");
    LL_ORACLE
    {
        for (size_t g = 0; g < groups; g++) {
            double s = 0.0;
            for (size_t i = g * local; i < n && i < (g + 1) * local; i++)
                s += x[i];
            want[g] = (float)s;
        }
    }
    snprintf(what, sizeof what,
             "ocl_partial_sums(%s, n = %zu, local_size = %zu): element [g] "
             "is partial[g], the sum of x[g*%zu .. g*%zu+%zu] (the last group "
             "stops at n-1)",
             kind, n, local, local, local, local - 1);
    LL_CHECK_FLOATS_NEAR(partial, want, groups, 0.0f, 0.0f, what);
    free(want);
    free(partial);
}

/* Runs ocl_sum and checks the total. */
static void check_sum(const float *x, size_t n, size_t local, const char *kind)
{
    double sum = -1.0, want = 0.0;
    char log[8192] = "";
    const unsigned long long object_mark_ = object_mark();
    const int rc = ocl_sum(x, n, local, &sum, log, sizeof log);
    char what[700];
    snprintf(what, sizeof what,
             "ocl_sum(%s, n = %zu, local_size = %zu) return value (its log: "
             "\"%.400s\")",
             kind, n, local, log);
    LL_CHECK_INT_EQ(rc, 0, what);
    check_released(object_mark_, "ocl_sum");
    LL_ORACLE
    {
        for (size_t i = 0; i < n; i++)
            want += x[i];
    }
    snprintf(what, sizeof what,
             "ocl_sum(%s, n = %zu, local_size = %zu) (elements past n count "
             "as 0, every element once)",
             kind, n, local);
    LL_CHECK_FLOAT_NEAR(sum, want, 0.0, what);
}

LL_TEST(opencl_local, partial_sum_of_every_group)
{
    float *x = seeded_values(1000); /* 15 full groups of 64, then 40 */
    check_partials(x, 1000, 64, "seeded values");
    free(x);
    const size_t local = seeded_local();
    size_t n = (size_t)ll_rand_int(2, 20 * (long long)local);
    n += n % local == 0; /* a partial last group */
    x = seeded_values(n);
    check_partials(x, n, local, "seeded values");
    free(x);
}

LL_TEST(opencl_local, one_value_per_group)
{
    /* zeros, and in every group one value at a seeded position: every
     * work-item's element must reach its group's sum */
    const size_t local = seeded_local(), groups = 12, n = groups * local;
    float *x = alloc_floats(n);
    for (size_t i = 0; i < n; i++)
        x[i] = 0.0f;
    for (size_t g = 0; g < groups; g++)
        x[g * local + (size_t)ll_rand_int(0, (long long)local - 1)] =
            (float)ll_rand_int(1, 1000);
    check_partials(x, n, local, "one seeded value per group");
    free(x);
}

LL_TEST(opencl_local, many_full_groups)
{
    const size_t n = 1 << 16;
    float *x = alloc_floats(n);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)ll_rand_int(0, 9);
    check_sum(x, n, 256, "seeded integers in [0, 9]");
    free(x);
}

LL_TEST(opencl_local, sizes_not_multiples_of_the_group)
{
    static const size_t sizes[] = {1, 33, 255, 1000, 100003};
    static const size_t locals[] = {32, 128, 256, 64, 128};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        float *x = seeded_values(sizes[s]);
        check_sum(x, sizes[s], locals[s], "seeded values");
        free(x);
    }
    const size_t local = seeded_local();
    const size_t n = (size_t)ll_rand_int(1, (long long)local - 1);
    float *x = seeded_values(n); /* one partial group */
    check_sum(x, n, local, "seeded values");
    free(x);
}

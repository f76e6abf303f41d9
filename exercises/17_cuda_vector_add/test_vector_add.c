/* Tests for 17_cuda_vector_add. Students: read them, do not edit them.
 *
 * The inputs are seeded pseudo-random floats (the grader may pick other
 * ones than you see). A float sum a[i] + b[i] is one correctly rounded
 * operation, the same on the GPU, in the simulator and on the CPU, so the
 * result must match the CPU's sum exactly (tolerance 0). c starts as NaN
 * one element past the end too: an element the kernel never wrote shows up
 * as NaN, and c[n] must stay NaN. */
#include "llmlings.h"
#include "vector_add.h"

#include <cuda_runtime.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

static float *alloc_floats(size_t n)
{
    return (float *)ll_alloc(n * sizeof(float));
}

/* Runs vector_add on n seeded elements and checks every element of the
 * result, and that c[n] (past the end) is untouched. */
static void check_add(size_t n)
{
    float *a = alloc_floats(n), *b = alloc_floats(n);
    float *c = alloc_floats(n + 1), *want = alloc_floats(n + 1);
    ll_rand_floats(a, n, -1000.0f, 1000.0f);
    ll_rand_floats(b, n, -1000.0f, 1000.0f);
    for (size_t i = 0; i <= n; i++)
        c[i] = NAN;
    char what[160];
    snprintf(what, sizeof what, "vector_add(a, b, c, n = %zu) return value", n);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(vector_add(a, b, c, n), cudaSuccess, what);
    check_freed(device_mark, "vector_add");
    LL_ORACLE
    {
        for (size_t i = 0; i < n; i++)
            want[i] = a[i] + b[i];
        want[n] = NAN;
    }
    snprintf(what, sizeof what,
             "c after vector_add(n = %zu): element [i] is c[i] = a[i] + b[i] "
             "(%u block(s) of %d threads; NaN = never written)",
             n, (unsigned)((n + VADD_BLOCK - 1) / VADD_BLOCK), VADD_BLOCK);
    LL_CHECK_FLOATS_NEAR(c, want, n, 0.0f, 0.0f, what);
    snprintf(what, sizeof what,
             "c[%zu] after vector_add(n = %zu), one past the end (must stay "
             "NaN, untouched)",
             n, n);
    LL_CHECK_FLOATS_NEAR(c + n, want + n, 1, 0.0f, 0.0f, what);
    free(want);
    free(c);
    free(b);
    free(a);
}

LL_TEST(vector_add, size_multiple_of_block)
{
    check_add(4 * VADD_BLOCK);
    check_add(VADD_BLOCK * (size_t)ll_rand_int(1, 16));
}

LL_TEST(vector_add, ragged_sizes)
{
    /* sizes that leave the last block partly empty */
    const size_t sizes[] = {1, 255, 257, 1000, 4099};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        check_add(sizes[k]);
    /* and a few the grader picks: one partial block, then several */
    check_add((size_t)ll_rand_int(2, VADD_BLOCK - 1));
    size_t n = (size_t)ll_rand_int(VADD_BLOCK + 1, 20000);
    n += n % VADD_BLOCK == 0; /* never a whole number of blocks */
    check_add(n);
}

LL_TEST(vector_add, size_zero_does_nothing)
{
    /* nothing to do is not an error; a launch of 0 blocks would be one */
    float x = 1.0f, y = 2.0f, z = NAN;
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(vector_add(&x, &y, &z, 0), cudaSuccess,
                    "vector_add(a, b, c, n = 0) return value (a launch of 0 "
                    "blocks is cudaErrorInvalidConfiguration: return before "
                    "launching)");
    check_freed(device_mark, "vector_add(n = 0)");
    const float untouched = NAN;
    LL_CHECK_FLOATS_NEAR(&z, &untouched, 1, 0.0f, 0.0f,
                         "c[0] after vector_add(n = 0) (expected no write)");
    check_add((size_t)ll_rand_int(1, 3));
}

LL_TEST(vector_add, one_million_and_some)
{
    check_add(((size_t)1 << 20) + (size_t)ll_rand_int(1, VADD_BLOCK - 1));
}

/* Runs vector_add(n = 2^40) with stderr captured into text (cap bytes,
 * NUL-terminated; "" when it cannot be captured). */
static int failing_call_with_stderr(float *x, float *y, float *z, char *text,
                                    size_t cap)
{
    text[0] = '\0';
    fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    const int mem = memfd_create("stderr", 0);
    if (saved >= 0 && mem >= 0)
        dup2(mem, STDERR_FILENO);
    const int r = vector_add(x, y, z, (size_t)1 << 40);
    fflush(stderr);
    if (saved >= 0 && mem >= 0) {
        dup2(saved, STDERR_FILENO);
        const ssize_t got = pread(mem, text, cap - 1, 0);
        text[got > 0 ? got : 0] = '\0';
        fputs(text, stderr); /* still shown in the test's output */
    }
    if (mem >= 0)
        close(mem);
    if (saved >= 0)
        close(saved);
    return r;
}

LL_TEST(vector_add, reports_the_failing_call)
{
    /* 2^40 floats (4 TiB) cannot be allocated on any GPU: the first
     * cudaMalloc fails and vector_add must return its error, not crash, not
     * launch anything, not report success, and say which call failed. */
    float x = 1.0f, y = 2.0f, z = NAN;
    char text[4096];
    const unsigned long long device_mark = DEVICE_MARK();
    const int r = failing_call_with_stderr(&x, &y, &z, text, sizeof text);
    LL_CHECK_INT_EQ(r, cudaErrorMemoryAllocation,
                    "vector_add(n = 2^40) return value (the error of the "
                    "first cudaMalloc: cudaErrorMemoryAllocation)");
    check_freed(device_mark, "vector_add(n = 2^40), whose allocation fails,");
    const float untouched = NAN;
    LL_CHECK_FLOATS_NEAR(&z, &untouched, 1, 0.0f, 0.0f,
                         "c[0] after vector_add(n = 2^40) failed (expected no "
                         "write)");
    LL_CHECK(strstr(text, "vector_add.cu:") != NULL &&
                 strstr(text, "cudaMalloc") != NULL &&
                 strstr(text, "failed") != NULL &&
                 strstr(text, "cudaErrorMemoryAllocation") != NULL,
             "vector_add(n = 2^40): expected CHECK to print \"vector_add.cu:"
             "LINE: cudaMalloc(...) failed: cudaErrorMemoryAllocation (...)\" "
             "on stderr, got \"%.600s\"",
             text);
    /* a failed call must leave the device usable */
    check_add((size_t)ll_rand_int(1, 3 * VADD_BLOCK));
}

/* Tests for 18_grid_stride. Students: read them, do not edit them.
 *
 * Inputs are small integers, halves and quarters, so every result is exact
 * in float; the expected values are computed here in double. Every bias is
 * different, so a swapped row/column shows up. The host code fills y with
 * NaN first: an element no thread wrote stays NaN. */
#include "affine.h"
#include "llmlings.h"

#include <cuda_runtime.h>

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

static void check_affine(int rows, int cols, struct launch2d cfg)
{
    const size_t n = (size_t)rows * (size_t)cols;
    float *x = (float *)malloc(n * sizeof(float));
    float *y = (float *)malloc(n * sizeof(float));
    float *want = (float *)malloc(n * sizeof(float));
    float *bias = (float *)malloc((size_t)cols * sizeof(float));
    LL_CHECK(x && y && want && bias, "malloc in the test setup failed");
    const float scale = 0.5f;
    for (int c = 0; c < cols; c++)
        bias[c] = 0.25f * (float)(c % 37) - 4.0f;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            const size_t i = (size_t)r * cols + c;
            x[i] = (float)((r * 7 + c * 3) % 101) - 50.0f;
            want[i] = (float)(0.5 * (double)x[i] + (double)bias[c]);
        }
    char what[200];
    snprintf(what, sizeof what,
             "affine_rows on a %d x %d matrix with %u x %u blocks of %u x %u "
             "threads",
             rows, cols, cfg.grid_x, cfg.grid_y, cfg.block_x, cfg.block_y);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(affine_rows(x, bias, y, rows, cols, scale, cfg),
                    cudaSuccess, what);
    check_freed(device_mark, "affine_rows");
    for (size_t i = 0; i < n; i++)
        LL_CHECK(y[i] == want[i],
                 "%s: y[%zu][%zu] expected %g, got %g (NaN = no thread wrote "
                 "it)",
                 what, i / (size_t)cols, i % (size_t)cols, (double)want[i],
                 (double)y[i]);
    free(x);
    free(y);
    free(want);
    free(bias);
}

LL_TEST(grid_stride, grid_smaller_than_matrix)
{
    /* 16 x 24 threads for 37 x 53 elements: each thread does several
     * elements in both dimensions */
    const struct launch2d cfg = {3, 2, 8, 8};
    check_affine(37, 53, cfg);
}

LL_TEST(grid_stride, grid_larger_than_matrix)
{
    /* 64 x 64 threads for 5 x 7 elements: most threads have nothing to do
     * and must not write */
    const struct launch2d cfg = {4, 4, 16, 16};
    check_affine(5, 7, cfg);
}

LL_TEST(grid_stride, single_thread)
{
    const struct launch2d cfg = {1, 1, 1, 1};
    check_affine(9, 11, cfg);
}

LL_TEST(grid_stride, wide_and_tall)
{
    /* rows and columns differ a lot: a mixed-up dimension shows up */
    const struct launch2d wide = {5, 1, 32, 4};
    check_affine(3, 1000, wide);
    const struct launch2d tall = {1, 6, 32, 8};
    check_affine(1000, 3, tall);
}

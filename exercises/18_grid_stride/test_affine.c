/* Tests for 18_grid_stride. Students: read them, do not edit them.
 *
 * Inputs are seeded (the grader may pick other values, shapes and launches
 * than you see): x and the bias are multiples of 1/4 below 2^10 in
 * magnitude and the scale a multiple of 1/8 below 8, so scale * x + bias
 * is exact in float however it is evaluated (with or without a fused
 * multiply-add, as nvcc emits): the result must equal the CPU's exactly.
 * Every bias differs, so a swapped row and column shows up. The host code
 * fills y with NaN first: an element no thread wrote stays NaN.
 *
 * This exercise runs in the race tier: two threads that write the same
 * element (a loop that steps by less than the whole grid) are a data race,
 * even though they write the same value. */
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

static float *alloc_floats(size_t n)
{
    return (float *)ll_alloc(n * sizeof(float));
}

/* A seeded multiple of 1/4 in [-1024, 1024]. */
static float quarter(void)
{
    return 0.25f * (float)ll_rand_int(-4096, 4096);
}

static void check_affine(int rows, int cols, struct launch2d cfg)
{
    const size_t n = (size_t)rows * (size_t)cols;
    float *x = alloc_floats(n), *y = alloc_floats(n), *want = alloc_floats(n);
    float *bias = alloc_floats((size_t)cols);
    for (size_t i = 0; i < n; i++)
        x[i] = quarter();
    for (int c = 0; c < cols; c++)
        bias[c] = quarter();
    float scale = 0.125f * (float)ll_rand_int(-63, 63);
    scale = scale == 0.0f || scale == 1.0f ? 0.375f : scale;
    char what[240];
    snprintf(what, sizeof what,
             "affine_rows(rows = %d, cols = %d, scale = %g) launched as %u x "
             "%u blocks of %u x %u threads",
             rows, cols, (double)scale, cfg.grid_x, cfg.grid_y, cfg.block_x,
             cfg.block_y);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(affine_rows(x, bias, y, rows, cols, scale, cfg),
                    cudaSuccess, what);
    check_freed(device_mark, "affine_rows");
    LL_ORACLE
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                const size_t i = (size_t)r * cols + c;
                want[i] = scale * x[i] + bias[c];
            }
    }
    char label[360];
    snprintf(label, sizeof label,
             "y after %s: element [i] is y[i / %d][i %% %d] = scale * x + "
             "bias[column] (NaN = no thread wrote it)",
             what, cols, cols);
    LL_CHECK_FLOATS_NEAR(y, want, n, 0.0f, 0.0f, label);
    free(bias);
    free(want);
    free(y);
    free(x);
}

LL_TEST(grid_stride, grid_smaller_than_matrix)
{
    /* 24 x 16 threads for 53 x 37 elements: each thread does several
     * elements in both dimensions, with different steps along x and y */
    const struct launch2d cfg = {3, 2, 8, 8};
    check_affine(37, 53, cfg);
    const struct launch2d seeded = {
        (unsigned)ll_rand_int(1, 3), (unsigned)ll_rand_int(1, 3),
        (unsigned)ll_rand_int(2, 16), (unsigned)ll_rand_int(2, 8)};
    check_affine((int)ll_rand_int(25, 60), (int)ll_rand_int(50, 90), seeded);
}

LL_TEST(grid_stride, grid_larger_than_matrix)
{
    /* 32 x 32 threads for 5 x 7 elements: most threads have nothing to do
     * and must not write */
    const struct launch2d cfg = {4, 4, 8, 8};
    check_affine(5, 7, cfg);
    const struct launch2d smaller = {2, 2, 16, 8}; /* 32 x 16 threads */
    check_affine((int)ll_rand_int(1, 15), (int)ll_rand_int(1, 15), smaller);
}

LL_TEST(grid_stride, single_thread)
{
    const struct launch2d one = {1, 1, 1, 1};
    check_affine(9, 11, one);
    check_affine((int)ll_rand_int(2, 12), (int)ll_rand_int(2, 12), one);
}

LL_TEST(grid_stride, single_row_or_column_of_threads)
{
    /* a grid that is one thread wide (or tall): the other dimension's loop
     * does all the work */
    const struct launch2d column = {1, 3, 1, 4};
    check_affine((int)ll_rand_int(13, 30), (int)ll_rand_int(2, 9), column);
    const struct launch2d row = {2, 1, 5, 1};
    check_affine((int)ll_rand_int(2, 9), (int)ll_rand_int(13, 30), row);
}

LL_TEST(grid_stride, wide_and_tall)
{
    /* rows and columns differ a lot: a mixed-up dimension shows up */
    const struct launch2d wide = {5, 1, 32, 4};
    check_affine(3, 1000, wide);
    const struct launch2d tall = {1, 6, 32, 8};
    check_affine(1000, 3, tall);
    const struct launch2d row = {3, 1, 32, 1}, column = {1, 3, 1, 32};
    check_affine(1, (int)ll_rand_int(300, 700), row);
    check_affine((int)ll_rand_int(300, 700), 1, column);
}

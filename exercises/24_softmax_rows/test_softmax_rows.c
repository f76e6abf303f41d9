/* Tests for 24_softmax_rows. Students: read them, do not edit them.
 *
 * The inputs are seeded (the grader may pick other values and sizes than
 * you see). The expected rows are computed here in double precision,
 * max-subtracted, so they are exact to double rounding even for inputs
 * near +-1000. The host code fills y with NaN first, so an element no
 * thread wrote is visible.
 *
 * Tolerance: |y - y_expected| <= 1e-5 * |y_expected| (+ 1e-30). Each
 * input's x - m is exact in float (both lie within a factor 2 of each
 * other, or the difference is small); expf is within 2 ulp (CUDA's expf
 * too); every valid summation order of this kernel adds each term through
 * at most cols / 128 + 7 additions and, in the online form, as many
 * rescalings (an expf and a multiply, 3 roundings each); the division is
 * one more. For the widths tested (at most 1000 columns) that is under 80
 * roundings of 2^-24: a relative error below 5e-6. A term added twice or
 * left out, a wrong rescale or a wrong maximum costs far more. */
#include "llmlings.h"
#include "softmax_rows.h"

#include <cuda_runtime.h>

#include <math.h>
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

typedef int (*softmax_fn)(const float *, float *, int, int);

static const float RTOL = 1e-5f, ATOL = 1e-30f;

static float *alloc_floats(size_t n)
{
    return (float *)ll_alloc(n * sizeof(float));
}

/* The softmax of each row of x, in double, rounded to float. */
static void reference(const float *x, float *want, int rows, int cols)
{
    for (int r = 0; r < rows; r++) {
        const float *xr = x + (size_t)r * cols;
        double m = xr[0], s = 0.0;
        for (int c = 1; c < cols; c++)
            m = xr[c] > m ? xr[c] : m;
        for (int c = 0; c < cols; c++)
            s += exp((double)xr[c] - m);
        for (int c = 0; c < cols; c++)
            want[(size_t)r * cols + c] = (float)(exp((double)xr[c] - m) / s);
    }
}

/* Runs fn on x (rows x cols) and compares every element. */
static void check_rows(softmax_fn fn, const char *name, const float *x,
                       int rows, int cols, const char *kind)
{
    const size_t n = (size_t)rows * cols;
    float *y = alloc_floats(n), *want = alloc_floats(n);
    char what[300];
    snprintf(what, sizeof what, "%s(%s, rows = %d, cols = %d) return value",
             name, kind, rows, cols);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(fn(x, y, rows, cols), cudaSuccess, what);
    check_freed(device_mark, name);
    LL_ORACLE
    {
        reference(x, want, rows, cols);
    }
    snprintf(what, sizeof what,
             "%s(%s, rows = %d, cols = %d): element [i] is y[i / %d][i %% "
             "%d] (NaN = never written, or inf / inf)",
             name, kind, rows, cols, cols, cols);
    LL_CHECK_FLOATS_NEAR(y, want, n, ATOL, RTOL, what);
    free(want);
    free(y);
}

/* rows x cols seeded inputs in [offset - spread, offset + spread). */
static void check_softmax(softmax_fn fn, const char *name, int rows, int cols,
                          float offset, float spread)
{
    const size_t n = (size_t)rows * cols;
    float *x = alloc_floats(n);
    ll_rand_floats(x, n, offset - spread, offset + spread);
    char kind[80];
    snprintf(kind, sizeof kind, "seeded inputs %g +- %g", (double)offset,
             (double)spread);
    check_rows(fn, name, x, rows, cols, kind);
    free(x);
}

static void small_rows(softmax_fn fn, const char *name)
{
    /* by hand: softmax(0, ln 2, ln 3, ln 4) = (1, 2, 3, 4) / 10 */
    const float x[8] = {0.0f,  0.69314718f, 1.09861229f, 1.38629436f,
                        -1.0f, -1.0f,       -1.0f,       -1.0f};
    const float want[8] = {0.1f, 0.2f, 0.3f, 0.4f, 0.25f, 0.25f, 0.25f, 0.25f};
    float y[8];
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(fn(x, y, 2, 4), cudaSuccess, name);
    check_freed(device_mark, name);
    char what[120];
    snprintf(what, sizeof what,
             "%s of the rows (0, ln 2, ln 3, ln 4) and (-1, -1, -1, -1)", name);
    LL_CHECK_FLOATS_NEAR(y, want, 8, 1e-6f, RTOL, what);
    check_softmax(fn, name, 5, 3, 0.0f, 4.0f); /* fewer columns than threads */
    check_softmax(fn, name, 3, 1, 2.0f, 1.0f); /* one column: all ones */
    check_softmax(fn, name, (int)ll_rand_int(1, 4), (int)ll_rand_int(2, 127),
                  0.0f, 8.0f);
}

static void large_values(softmax_fn fn, const char *name)
{
    /* exp(1000) overflows float: without subtracting the max every row is
     * inf / inf = NaN; near -1000 every exp is 0 and the row 0 / 0 */
    check_softmax(fn, name, 4, 300, 1000.0f, 20.0f);
    check_softmax(fn, name, 2, 50, -1000.0f, 5.0f);
    check_softmax(fn, name, 3, (int)ll_rand_int(130, 400), 1000.0f, 20.0f);
}

static void ragged_widths(softmax_fn fn, const char *name)
{
    check_softmax(fn, name, 3, SOFTMAX_BLOCK + 1, 0.0f, 8.0f);
    check_softmax(fn, name, 37, 1000, 0.0f, 10.0f);
    check_softmax(fn, name, (int)ll_rand_int(2, 9), (int)ll_rand_int(200, 700),
                  0.0f, 10.0f);
}

/* Rows of seeded small values with one large value at a seeded column:
 * that column's thread holds the row's maximum, and its partial result
 * must dominate every merge. Row r puts it in column
 * (r * 37 + seed) % cols, so over the rows it lands in many threads. */
static void one_large_value(softmax_fn fn, const char *name)
{
    const int rows = 16, cols = (int)ll_rand_int(150, 400);
    float *x = alloc_floats((size_t)rows * cols);
    ll_rand_floats(x, (size_t)rows * cols, -3.0f, 3.0f);
    const int seed = (int)ll_rand_int(0, cols - 1);
    for (int r = 0; r < rows; r++)
        x[(size_t)r * cols + (r * 37 + seed) % cols] = ll_rand_float(8, 30);
    check_rows(fn, name, x, rows, cols, "one seeded large value per row");
    free(x);
}

LL_TEST(softmax_safe, small_rows)
{
    small_rows(softmax_rows_safe, "softmax_rows_safe");
}

LL_TEST(softmax_safe, large_values)
{
    large_values(softmax_rows_safe, "softmax_rows_safe");
}

LL_TEST(softmax_safe, ragged_widths)
{
    ragged_widths(softmax_rows_safe, "softmax_rows_safe");
}

LL_TEST(softmax_safe, one_large_value)
{
    one_large_value(softmax_rows_safe, "softmax_rows_safe");
}

LL_TEST(softmax_online, small_rows)
{
    small_rows(softmax_rows_online, "softmax_rows_online");
}

LL_TEST(softmax_online, large_values)
{
    large_values(softmax_rows_online, "softmax_rows_online");
}

LL_TEST(softmax_online, ragged_widths)
{
    ragged_widths(softmax_rows_online, "softmax_rows_online");
}

LL_TEST(softmax_online, one_large_value)
{
    one_large_value(softmax_rows_online, "softmax_rows_online");
}

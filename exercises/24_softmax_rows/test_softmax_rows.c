/* Tests for 24_softmax_rows. Students: read them, do not edit them.
 *
 * The expected rows are computed here in double precision (max-subtracted,
 * so they are exact to double rounding even for inputs near 1000). The host
 * code fills y with NaN first, so an element no thread wrote is visible. */
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

/* x[r][c] = offset + a pseudo-random value in [-spread, spread] */
static void check_softmax(softmax_fn fn, const char *name, int rows, int cols,
                          float offset, float spread)
{
    const size_t n = (size_t)rows * cols;
    float *x = (float *)malloc(n * sizeof(float));
    float *y = (float *)malloc(n * sizeof(float));
    float *want = (float *)malloc(n * sizeof(float));
    LL_CHECK(x && y && want, "malloc in the test setup failed");
    unsigned s = (unsigned)(rows * 7919 + cols);
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = offset + spread * ((float)((s >> 8) & 0xffff) / 32768.0f - 1.0f);
    }
    reference(x, want, rows, cols);
    char what[200];
    snprintf(what, sizeof what,
             "%s on %d rows x %d cols, inputs %g +- %g (element i is row "
             "i / %d; NaN = never written, or inf/inf)",
             name, rows, cols, (double)offset, (double)spread, cols);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(fn(x, y, rows, cols), cudaSuccess, name);
    check_freed(device_mark, name);
    LL_CHECK_FLOATS_NEAR(y, want, n, 1e-6f, 1e-4f, what);
    free(x);
    free(y);
    free(want);
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
    LL_CHECK_FLOATS_NEAR(y, want, 8, 1e-6f, 1e-5f, what);
    check_softmax(fn, name, 5, 3, 0.0f, 4.0f); /* fewer columns than threads */
    check_softmax(fn, name, 3, 1, 2.0f, 1.0f); /* one column: all ones */
}

static void large_values(softmax_fn fn, const char *name)
{
    /* exp(1000) overflows float: without subtracting the max every row is
     * inf / inf = NaN */
    check_softmax(fn, name, 4, 300, 1000.0f, 20.0f);
    check_softmax(fn, name, 2, 50, -1000.0f, 5.0f);
}

static void ragged_widths(softmax_fn fn, const char *name)
{
    check_softmax(fn, name, 3, SOFTMAX_BLOCK + 1, 0.0f, 8.0f);
    check_softmax(fn, name, 37, 1000, 0.0f, 10.0f);
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

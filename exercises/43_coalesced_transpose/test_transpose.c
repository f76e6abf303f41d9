/* Tests for 43_coalesced_transpose. Students: read them, do not edit them.
 *
 * Correctness first: seeded random matrices of many shapes (ragged edges
 * included), compared exactly with the transpose computed here; the output
 * starts as NaN, so an element never written fails.
 *
 * Then the performance test, graded in the simulator by the memory-traffic
 * counters (the lecture's "Sectors and coalescing"): a 512 x 384 transpose
 * reads 196608 floats and writes as many, 24576 sectors of 32 bytes each
 * at best. Reading rows and writing columns straight from global memory
 * makes every store of a warp touch 32 sectors (221184 sectors in all);
 * going through a shared-memory tile makes both sides coalesced (49152).
 * The grade is on global load+store sectors; on a GPU the test also
 * reports the measured time against a plain copy of the same bytes.
 */
#include "llmlings.h"
#include "transpose.h"

#include <cuda_runtime.h>

#include "gpu_perf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Device memory the code under test must free before it returns (the
 * simulator names the line of each buffer left allocated; under nvcc there
 * is nothing to check). */
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

/* A rows x cols matrix on the device and room for its transpose (NaN, so
 * what is never written shows). */
typedef struct device_case {
    float *in, *out;
    int rows, cols;
} device_case;

static device_case upload(const float *in, int rows, int cols)
{
    device_case d = {NULL, NULL, rows, cols};
    const size_t bytes = (size_t)rows * cols * sizeof(float);
    LL_CHECK_INT_EQ(cudaMalloc(&d.in, bytes), cudaSuccess,
                    "cudaMalloc in the test setup");
    LL_CHECK_INT_EQ(cudaMalloc(&d.out, bytes), cudaSuccess,
                    "cudaMalloc in the test setup");
    LL_CHECK_INT_EQ(cudaMemcpy(d.in, in, bytes, cudaMemcpyHostToDevice),
                    cudaSuccess, "cudaMemcpy in the test setup");
    LL_CHECK_INT_EQ(cudaMemset(d.out, 0xff, bytes), cudaSuccess,
                    "cudaMemset in the test setup");
    return d;
}

static void release(device_case *d)
{
    cudaFree(d->in);
    cudaFree(d->out);
}

/* Calls transpose on d, waits, and copies the result into got. */
static void call_transpose(const device_case *d, float *got)
{
    char what[120];
    snprintf(what, sizeof what, "transpose(rows = %d, cols = %d)", d->rows,
             d->cols);
    const unsigned long long mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(transpose(d->in, d->out, d->rows, d->cols), cudaSuccess,
                    what);
    LL_CHECK_INT_EQ(cudaDeviceSynchronize(), cudaSuccess, what);
    check_freed(mark, "transpose");
    const size_t bytes = (size_t)d->rows * d->cols * sizeof(float);
    LL_CHECK_INT_EQ(cudaMemcpy(got, d->out, bytes, cudaMemcpyDeviceToHost),
                    cudaSuccess, "cudaMemcpy of the result");
}

/* Compares got with the transpose of in (computed here). */
static void check_transposed(const float *in, const float *got, int rows,
                             int cols)
{
    const size_t n = (size_t)rows * cols;
    float *want = (float *)ll_alloc(n * sizeof(float));
    LL_ORACLE
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                want[(size_t)c * rows + r] = in[(size_t)r * cols + c];
    }
    char what[160];
    snprintf(what, sizeof what,
             "transpose(rows = %d, cols = %d): out[c * rows + r] (element "
             "[c*%d + r] must be in[r*%d + c])",
             rows, cols, rows, cols);
    LL_CHECK_FLOATS_NEAR(got, want, n, 0.0f, 0.0f, what);
    free(want);
}

static void check_shape(int rows, int cols)
{
    const size_t n = (size_t)rows * cols;
    float *in = (float *)ll_alloc(n * sizeof(float));
    float *got = (float *)ll_alloc(n * sizeof(float));
    ll_rand_floats(in, n, -100.0f, 100.0f);
    device_case d = upload(in, rows, cols);
    call_transpose(&d, got);
    check_transposed(in, got, rows, cols);
    release(&d);
    free(got);
    free(in);
}

LL_TEST(transpose, small_shapes)
{
    check_shape(1, 1);
    check_shape(2, 3);
    check_shape(1, 37);
    check_shape(37, 1);
    check_shape(32, 32);
    check_shape(5, 7);
}

LL_TEST(transpose, ragged_edges)
{
    /* partial tiles on the right, at the bottom, or both */
    check_shape(33, 65);
    check_shape(100, 31);
    check_shape((int)ll_rand_int(40, 200), (int)ll_rand_int(40, 200));
}

LL_TEST(transpose, tall_and_wide)
{
    check_shape(3, 1500);
    check_shape(1500, 3);
    check_shape(64, 1024);
}

#ifndef __CUDASIM__
static int time_transpose(void *arg)
{
    const device_case *d = (const device_case *)arg;
    return transpose(d->in, d->out, d->rows, d->cols);
}
#endif

/* The graded test (manifest "perf": global load+store sectors, lower is
 * better). */
LL_TEST(transpose, coalesced)
{
    enum { ROWS = 512, COLS = 384 };
    const size_t n = (size_t)ROWS * COLS;
    float *in = (float *)ll_alloc(n * sizeof(float));
    float *got = (float *)ll_alloc(n * sizeof(float));
    ll_rand_floats(in, n, -1.0f, 1.0f);
    device_case d = upload(in, ROWS, COLS);
    gp_start();
    call_transpose(&d, got);
    const gp_counts g = gp_count();
    check_transposed(in, got, ROWS, COLS);
    /* every element is read and written at least once: fewer sectors than
     * that means the work was not done by kernels (checked in every build,
     * so the race tier, which does not count, makes the same checks) */
    const unsigned long long least = n * sizeof(float) / 32;
    LL_CHECK(!g.available || (g.launches >= 1 && g.load_sectors >= least &&
                              g.store_sectors >= least),
             "transpose(%d x %d): %llu launches, %llu load and %llu store "
             "sectors, but the matrix alone is %llu sectors: the transpose "
             "must be done by a kernel",
             ROWS, COLS, g.launches, g.load_sectors, g.store_sectors, least);
    if (g.available) {
        gp_report(&g);
        LL_METRIC("global_sectors", g.load_sectors + g.store_sectors);
        printf("global load+store sectors %llu (the least possible: %llu)\n",
               g.load_sectors + g.store_sectors, 2 * least);
    }
#ifndef __CUDASIM__
    gp_time_against_copy(time_transpose, &d, d.in, d.out, (int)n);
#endif
    release(&d);
    free(got);
    free(in);
}

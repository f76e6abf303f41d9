/* Tests for 44_transpose_conflicts. Students: read them, do not edit them.
 *
 * Correctness first: seeded random matrices of many shapes (ragged edges
 * included), compared exactly with the transpose computed here; the output
 * starts as NaN, so an element never written fails.
 *
 * Then two performance tests on a 512 x 384 transpose, graded in the
 * simulator by the memory-traffic counters (the lecture's "Banks and
 * conflicts"):
 *   - transpose/conflict_free: shared-memory bank conflicts. The kernel
 *     must go through a shared tile of exactly TILE x TILE floats (at
 *     least two shared requests per warp per element row: a store and a
 *     load, and at most TILE_BYTES of shared memory per block: no padding
 *     column). A plain 32 x 32 tile read down its columns has 31 conflicts
 *     per load request (190464 in all); a swizzled one has none.
 *   - transpose/coalesced: global load+store sectors, as in 43 (49152 at
 *     best): the swizzle must not cost coalescing.
 * On a GPU the tests also report the measured time against a plain copy.
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

enum { ROWS = 512, COLS = 384 };

/* Transposes a seeded ROWS x COLS matrix, checks it, and returns the
 * counts of the call (available: 0 where nothing is counted). */
static gp_counts graded_run(void)
{
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
    if (g.available)
        gp_report(&g);
#ifndef __CUDASIM__
    gp_time_against_copy(time_transpose, &d, d.in, d.out, (int)n);
#endif
    release(&d);
    free(got);
    free(in);
    return g;
}

/* Graded (manifest "perf"): shared-memory bank conflicts, lower is
 * better; the tile must be used, and have no padding. */
LL_TEST(transpose, conflict_free)
{
    const gp_counts g = graded_run();
    /* one store and one load request per warp per row of a tile (checked
     * where the build counts; the race tier makes the same checks) */
    const unsigned long long tile_requests = 2ull * ROWS * COLS / 32;
    LL_CHECK(!g.available || g.shared_requests >= tile_requests,
             "transpose(%d x %d): %llu shared-memory requests; going through "
             "a shared tile takes at least %llu (a store and a load per warp "
             "and row of a tile): this exercise is about the tile's bank "
             "conflicts",
             ROWS, COLS, g.shared_requests, tile_requests);
    LL_CHECK(!g.available || g.shared_bytes_per_block <= TILE_BYTES,
             "transpose(%d x %d): %llu bytes of shared memory per block; "
             "this exercise allows one TILE x TILE tile of floats (%d "
             "bytes): no padding column, swizzle the columns instead",
             ROWS, COLS, g.shared_bytes_per_block, TILE_BYTES);
    if (!g.available)
        return;
    LL_METRIC("bank_conflicts", g.shared_conflicts);
    printf("shared-memory bank conflicts %llu\n", g.shared_conflicts);
}

/* Graded (manifest "perf"): global load+store sectors, lower is better. */
LL_TEST(transpose, coalesced)
{
    const gp_counts g = graded_run();
    if (!g.available)
        return;
    LL_METRIC("global_sectors", g.load_sectors + g.store_sectors);
    printf("global load+store sectors %llu (the least possible: %llu)\n",
           g.load_sectors + g.store_sectors, 2ull * ROWS * COLS / 8);
}

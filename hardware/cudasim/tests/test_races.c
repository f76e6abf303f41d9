/* test_races.c: the race tier, the simulator built for data races.
 *
 * Only barriers and warp operations order memory between the threads of a
 * block, and nothing orders blocks, so a missing barrier, a missing atomic
 * or warp-synchronous code without __syncwarp is a reported data race (with
 * the source lines of both accesses), while correct kernels produce no
 * report at all. Run with TSAN_OPTIONS=halt_on_error=0 exitcode=0: the
 * reports are counted with cudasimRaceReports().
 */
#include "kernels.h"
#include "llmlings.h"

#include <cuda_runtime.h>

#include <stdlib.h>

static unsigned long reports_before;

static float *ramp(int n)
{
    float *v = (float *)malloc((size_t)n * sizeof(float));
    for (int i = 0; i < n; i++)
        v[i] = (float)(i % 17) - 8.0f;
    return v;
}

/* Tests share one process: count from the start of each test, and let a
 * race reported by an earlier test be reported again. */
static void reset_reports(void)
{
    cudasimRaceForget();
    reports_before = cudasimRaceReports();
}

static void expect_clean(const char *what)
{
    LL_CHECK(cudasimRaceReports() == reports_before,
             "%s: expected no data race, got %lu report(s)", what,
             cudasimRaceReports() - reports_before);
}

static void expect_race(const char *what)
{
    LL_CHECK(cudasimRaceReports() > reports_before,
             "%s: expected the race tier to report a data race, got no "
             "report",
             what);
}

/* ---- correct kernels: no report --------------------------------------------
 */

LL_TEST(clean, vector_add)
{
    reset_reports();
    float *a = ramp(700), *b = ramp(700), *c = ramp(700);
    LL_CHECK_INT_EQ(vecadd(a, b, c, 700, 128, 1), cudaSuccess, "vecadd");
    expect_clean("ThreadSanitizer reports for a correct vector add");
    free(a), free(b), free(c);
}

LL_TEST(clean, reductions)
{
    reset_reports();
    float *x = ramp(1500), out;
    const enum reduce_variant vs[] = {REDUCE_SHARED, REDUCE_SHUFFLE,
                                      REDUCE_WARP_SYNC};
    for (int v = 0; v < 3; v++)
        LL_CHECK_INT_EQ(reduce_sum(x, 1500, &out, vs[v]), cudaSuccess,
                        "reduce_sum");
    expect_clean("ThreadSanitizer reports for correct reductions (shared "
                 "tree, shuffles, warp-synchronous with __syncwarp)");
    free(x);
}

LL_TEST(clean, tiled_matmul_and_dynamic_shared)
{
    reset_reports();
    float *A = ramp(20 * 24), *B = ramp(24 * 18), *C = ramp(20 * 18);
    LL_CHECK_INT_EQ(matmul_tiled(A, B, C, 20, 18, 24), cudaSuccess,
                    "matmul_tiled");
    int in[200], out[200];
    for (int i = 0; i < 200; i++)
        in[i] = i;
    LL_CHECK_INT_EQ(reverse_by_block(in, out, 200, 64, 64 * sizeof(int)),
                    cudaSuccess, "reverse_by_block");
    expect_clean("ThreadSanitizer reports for tiled matmul and dynamic "
                 "shared memory");
    free(A), free(B), free(C);
}

LL_TEST(clean, histogram_with_atomics)
{
    reset_reports();
    unsigned char x[600];
    unsigned hist[256];
    for (int i = 0; i < 600; i++)
        x[i] = (unsigned char)(i % 5);
    LL_CHECK_INT_EQ(histogram(x, 600, hist, 1), cudaSuccess, "histogram");
    expect_clean("ThreadSanitizer reports for a histogram with atomicAdd");
}

/* ---- planted bugs: reported
 * -------------------------------------------------- */

LL_TEST(races, histogram_without_atomic)
{
    reset_reports();
    unsigned char x[600];
    unsigned hist[256];
    for (int i = 0; i < 600; i++)
        x[i] = (unsigned char)(i % 5);
    LL_CHECK_INT_EQ(histogram(x, 600, hist, 0), cudaSuccess, "histogram");
    expect_race("hist[x[i]]++ without atomicAdd");
}

LL_TEST(races, block_sums_without_atomic)
{
    reset_reports();
    float *x = ramp(1024), out;
    LL_CHECK_INT_EQ(reduce_sum(x, 1024, &out, REDUCE_MISSING_ATOMIC),
                    cudaSuccess, "reduce_sum");
    expect_race("*out += s[0] from every block without atomicAdd");
    free(x);
}

LL_TEST(races, missing_barrier)
{
    reset_reports();
    float *x = ramp(512), out;
    LL_CHECK_INT_EQ(reduce_sum(x, 512, &out, REDUCE_MISSING_BARRIER),
                    cudaSuccess, "reduce_sum");
    expect_race("a tree reduction without __syncthreads between levels");
    free(x);
}

LL_TEST(races, warp_synchronous_without_syncwarp)
{
    reset_reports();
    float *x = ramp(512), out;
    LL_CHECK_INT_EQ(reduce_sum(x, 512, &out, REDUCE_WARP_NOSYNC), cudaSuccess,
                    "reduce_sum");
    expect_race("a warp-synchronous reduction without __syncwarp");
    free(x);
}

/* Tests for 48_tensor_cores. Students: read them, do not edit them.
 *
 * Correctness first: seeded random matrices in [-1, 1), rounded to half
 * here (so the inputs are exactly what the kernel reads), shapes that are
 * multiples of 16, compared with a double-precision product of those half
 * values computed here. Tolerance: a product of two halves (11
 * significant bits each) is exact in float, so the only error is the float
 * accumulation of K terms, within gamma_K * sum_p |a_ip b_pj|, gamma_K ~
 * K * 2^-24, in any order (Higham, Accuracy and Stability of Numerical
 * Algorithms, 3.1). A GPU's tensor cores may truncate instead of rounding
 * while adding (up to twice the error per addition), so we allow four
 * times that bound, per element. Accumulating in half instead of float
 * (2^-11 per addition) or a missing or wrong term is far larger.
 *
 * Shapes that are not positive multiples of 16 must be refused with
 * cudaErrorInvalidValue.
 *
 * Then the use of the tensor cores: a 64 x 64 x 64 product needs exactly
 * (64 / 16)^3 = 64 wmma::mma_sync of 16 x 16 x 16 each (the simulator's
 * counter tensor_mma_sync). And the graded performance test, in the
 * simulator by the memory-traffic counters (the lecture's "Tensor cores"):
 * a 128 x 128 x 128 product (2097152 multiply-adds), graded by global load
 * sectors per 1000 multiply-adds. A scalar kernel (one thread per element
 * of C, halves read from global memory) reads about 94; one warp per
 * 16 x 16 tile, loading a fragment of A and one of B for every mma_sync,
 * 7.8; a warp computing a 2 x 2 block of tiles reuses each fragment twice:
 * 3.9. On a GPU the test also reports the measured time.
 */
#include "llmlings.h"
#include "tensor_matmul.h"

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "gpu_perf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

/* A and B on the device (half), and room for C (NaN, so what is never
 * written shows). */
typedef struct device_case {
    __half *A, *B;
    float *C;
    int M, N, K;
} device_case;

static __half *half_to_device(const __half *host, size_t n)
{
    __half *d = NULL;
    LL_CHECK_INT_EQ(cudaMalloc(&d, n * sizeof(__half)), cudaSuccess,
                    "cudaMalloc in the test setup");
    LL_CHECK_INT_EQ(
        cudaMemcpy(d, host, n * sizeof(__half), cudaMemcpyHostToDevice),
        cudaSuccess, "cudaMemcpy in the test setup");
    return d;
}

static device_case upload(const __half *A, const __half *B, int M, int N, int K)
{
    device_case d = {half_to_device(A, (size_t)M * K),
                     half_to_device(B, (size_t)K * N),
                     NULL,
                     M,
                     N,
                     K};
    const size_t n = (size_t)M * N;
    LL_CHECK_INT_EQ(cudaMalloc(&d.C, n * sizeof(float)), cudaSuccess,
                    "cudaMalloc in the test setup");
    LL_CHECK_INT_EQ(cudaMemset(d.C, 0xff, n * sizeof(float)), cudaSuccess,
                    "cudaMemset in the test setup");
    return d;
}

static void release(device_case *d)
{
    cudaFree(d->A);
    cudaFree(d->B);
    cudaFree(d->C);
}

/* Calls tensor_matmul on d, waits, and copies C into got. */
static void call_matmul(const device_case *d, float *got)
{
    char what[120];
    snprintf(what, sizeof what, "tensor_matmul(M = %d, N = %d, K = %d)", d->M,
             d->N, d->K);
    const unsigned long long mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(tensor_matmul(d->A, d->B, d->C, d->M, d->N, d->K),
                    cudaSuccess, what);
    LL_CHECK_INT_EQ(cudaDeviceSynchronize(), cudaSuccess, what);
    check_freed(mark, "tensor_matmul");
    LL_CHECK_INT_EQ(cudaMemcpy(got, d->C, (size_t)d->M * d->N * sizeof(float),
                               cudaMemcpyDeviceToHost),
                    cudaSuccess, "cudaMemcpy of the result");
}

/* got against the product of the half values in double precision, within
 * four times the error bound of the header comment. */
static void check_product(const __half *A, const __half *B, const float *got,
                          int M, int N, int K)
{
    const size_t n = (size_t)M * N;
    float *want = (float *)ll_alloc(n * sizeof(float));
    float *tol = (float *)ll_alloc(n * sizeof(float));
    LL_ORACLE
    {
        const double u = ldexp(1.0, -24);
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                double s = 0.0, a = 0.0;
                for (int p = 0; p < K; p++) {
                    const double x =
                        (double)__half2float(A[(size_t)i * K + p]) *
                        (double)__half2float(B[(size_t)p * N + j]);
                    s += x;
                    a += fabs(x);
                }
                want[(size_t)i * N + j] = (float)s;
                tol[(size_t)i * N + j] = (float)(4.0 * K * u * a + 1e-30);
            }
    }
    char what[160];
    snprintf(what, sizeof what,
             "tensor_matmul(M = %d, N = %d, K = %d): C[i][j] (element "
             "[i*N + j])",
             M, N, K);
    LL_CHECK_FLOATS_WITHIN(got, want, tol, n, what);
    free(tol);
    free(want);
}

/* n seeded values in [-1, 1), rounded to half. */
static __half *seeded_half_matrix(size_t n)
{
    float *f = (float *)ll_alloc(n * sizeof(float));
    __half *h = (__half *)ll_alloc(n * sizeof(__half));
    ll_rand_floats(f, n, -1.0f, 1.0f);
    for (size_t i = 0; i < n; i++)
        h[i] = __float2half(f[i]);
    free(f);
    return h;
}

static void check_shape(int M, int N, int K)
{
    __half *A = seeded_half_matrix((size_t)M * K);
    __half *B = seeded_half_matrix((size_t)K * N);
    float *got = (float *)ll_alloc((size_t)M * N * sizeof(float));
    device_case d = upload(A, B, M, N, K);
    call_matmul(&d, got);
    check_product(A, B, got, M, N, K);
    release(&d);
    free(got);
    free(B);
    free(A);
}

LL_TEST(tensor, one_tile)
{
    check_shape(16, 16, 16);
}

LL_TEST(tensor, shapes)
{
    check_shape(32, 32, 32);
    check_shape(16, 48, 32);
    check_shape(48, 16, 16);
    check_shape(80, 48, 64);
    check_shape(16 * (int)ll_rand_int(1, 6), 16 * (int)ll_rand_int(1, 6),
                16 * (int)ll_rand_int(1, 6));
}

LL_TEST(tensor, long_k)
{
    /* many steps along K: the accumulator carried across them */
    check_shape(16, 32, 512);
    check_shape(48, 48, 256);
}

LL_TEST(tensor, rejects_bad_shapes)
{
    static const int bad[][3] = {
        {17, 16, 16}, {16, 8, 16}, {16, 16, 24}, {0, 16, 16}, {16, 16, -16}};
    __half *A = seeded_half_matrix(32 * 32), *B = seeded_half_matrix(32 * 32);
    device_case d = upload(A, B, 32, 32, 32);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char what[120];
        snprintf(what, sizeof what,
                 "tensor_matmul(M = %d, N = %d, K = %d) (not positive "
                 "multiples of 16)",
                 bad[i][0], bad[i][1], bad[i][2]);
        LL_CHECK_INT_EQ(
            tensor_matmul(d.A, d.B, d.C, bad[i][0], bad[i][1], bad[i][2]),
            cudaErrorInvalidValue, what);
        cudaGetLastError(); /* a refused launch leaves an error behind */
    }
    release(&d);
    free(B);
    free(A);
    check_shape(32, 32, 32); /* still works after the refusals */
}

/* The product of a 64 x 64 x 64 case must come from mma_sync: exactly one
 * per 16 x 16 x 16 piece of work (simulator only; the race tier and a GPU
 * do not count). */
LL_TEST(tensor, uses_tensor_cores)
{
    enum { M = 64, N = 64, K = 64 };
    __half *A = seeded_half_matrix((size_t)M * K);
    __half *B = seeded_half_matrix((size_t)K * N);
    float *got = (float *)ll_alloc((size_t)M * N * sizeof(float));
    device_case d = upload(A, B, M, N, K);
    gp_start();
    call_matmul(&d, got);
    const gp_counts g = gp_count();
    check_product(A, B, got, M, N, K);
    /* checked in every build, so the race tier, which does not count,
     * makes the same checks */
    LL_CHECK(!g.available || g.tensor_mma_sync == (unsigned long long)(M / 16) *
                                                      (N / 16) * (K / 16),
             "tensor_matmul(%d x %d x %d): %llu wmma::mma_sync on the tensor "
             "cores, expected %d (one per 16 x 16 x 16 piece of the "
             "product): use load_matrix_sync and mma_sync",
             M, N, K, g.tensor_mma_sync, (M / 16) * (N / 16) * (K / 16));
    release(&d);
    free(got);
    free(B);
    free(A);
}

#ifndef __CUDASIM__
static int time_matmul(void *arg)
{
    const device_case *d = (const device_case *)arg;
    return tensor_matmul(d->A, d->B, d->C, d->M, d->N, d->K);
}

/* Reports gpu_time_ms and gpu_tflops. */
static void time_on_gpu(device_case *d)
{
    const double flop = 2.0 * d->M * d->N * d->K;
    const float mine = gp_median_ms(time_matmul, d, 11);
    if (mine <= 0.0f)
        return;
    LL_METRIC("gpu_time_ms", mine);
    LL_METRIC("gpu_gflops", flop / (mine * 1e6));
    printf("GPU: %.4f ms, %.1f GFLOP/s\n", (double)mine, flop / (mine * 1e6));
}
#endif

/* The graded test (manifest "perf": global load sectors per 1000
 * multiply-adds, lower is better). */
LL_TEST(tensor, reuse)
{
    enum { M = 128, N = 128, K = 128 };
    __half *A = seeded_half_matrix((size_t)M * K);
    __half *B = seeded_half_matrix((size_t)K * N);
    float *got = (float *)ll_alloc((size_t)M * N * sizeof(float));
    device_case d = upload(A, B, M, N, K);
    gp_start();
    call_matmul(&d, got);
    const gp_counts g = gp_count();
    check_product(A, B, got, M, N, K);
    /* A and B must be read at least once (checked in every build, so the
     * race tier, which does not count, makes the same checks) */
    const unsigned long long least =
        ((unsigned long long)M * K + (unsigned long long)K * N) *
        sizeof(__half) / 32;
    LL_CHECK(!g.available || (g.launches >= 1 && g.load_sectors >= least),
             "tensor_matmul(%d x %d x %d): %llu launches and %llu load "
             "sectors, but A and B alone are %llu sectors: the product must "
             "be computed by kernels",
             M, N, K, g.launches, g.load_sectors, least);
    if (g.available) {
        gp_report(&g);
        const double per_1000 =
            1000.0 * (double)g.load_sectors / ((double)M * N * K);
        LL_METRIC("load_sectors_per_1000_fma", per_1000);
        printf("global load sectors per 1000 multiply-adds: %.2f (the least "
               "possible: %.2f)\n",
               per_1000, 1000.0 * (double)least / ((double)M * N * K));
    }
#ifndef __CUDASIM__
    time_on_gpu(&d);
#endif
    release(&d);
    free(got);
    free(B);
    free(A);
}

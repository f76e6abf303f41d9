/* Tests for 46_matmul_reuse. Students: read them, do not edit them.
 *
 * Correctness first: seeded random matrices in [-1, 1) of many shapes
 * (tiles of any size must handle ragged edges), compared with a
 * double-precision product computed here. Tolerance: a float dot product
 * of K terms in any order is within gamma_K * sum_p |a_ip b_pj| of the
 * exact one, gamma_K ~ K * 2^-24 (Higham, Accuracy and Stability of
 * Numerical Algorithms, 3.1); we allow twice that, per element. A missing
 * or wrong term is much larger.
 *
 * Then the performance test, graded in the simulator by the memory-traffic
 * counters (the lecture's "Reuse and arithmetic intensity"): a 128 x 128 x
 * 128 product (2097152 multiply-adds), graded by global load sectors per
 * 1000 multiply-adds. Each element of A and B is needed 128 times; a
 * kernel that fetches it from global memory every time reads 125 to 156
 * sectors per 1000 multiply-adds, 16 x 16 shared tiles 15.6, 32 x 32
 * tiles 7.8, 64 x 64 tiles (each thread a 4 x 4 piece of C in registers)
 * 3.9. On a GPU the test also reports the measured time and GFLOP/s, and
 * cuBLAS's where libcublas can be loaded.
 */
#include "llmlings.h"
#include "matmul.h"

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

/* A and B on the device, and room for C (NaN, so what is never written
 * shows). */
typedef struct device_case {
    float *A, *B, *C;
    int M, N, K;
} device_case;

static float *to_device(const float *host, size_t n)
{
    float *d = NULL;
    LL_CHECK_INT_EQ(cudaMalloc(&d, n * sizeof(float)), cudaSuccess,
                    "cudaMalloc in the test setup");
    if (host)
        LL_CHECK_INT_EQ(
            cudaMemcpy(d, host, n * sizeof(float), cudaMemcpyHostToDevice),
            cudaSuccess, "cudaMemcpy in the test setup");
    else
        LL_CHECK_INT_EQ(cudaMemset(d, 0xff, n * sizeof(float)), cudaSuccess,
                        "cudaMemset in the test setup");
    return d;
}

static device_case upload(const float *A, const float *B, int M, int N, int K)
{
    device_case d = {to_device(A, (size_t)M * K),
                     to_device(B, (size_t)K * N),
                     to_device(NULL, (size_t)M * N),
                     M,
                     N,
                     K};
    return d;
}

static void release(device_case *d)
{
    cudaFree(d->A);
    cudaFree(d->B);
    cudaFree(d->C);
}

/* Calls matmul on d, waits, and copies C into got. */
static void call_matmul(const device_case *d, float *got)
{
    char what[120];
    snprintf(what, sizeof what, "matmul(M = %d, N = %d, K = %d)", d->M, d->N,
             d->K);
    const unsigned long long mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(matmul(d->A, d->B, d->C, d->M, d->N, d->K), cudaSuccess,
                    what);
    LL_CHECK_INT_EQ(cudaDeviceSynchronize(), cudaSuccess, what);
    check_freed(mark, "matmul");
    LL_CHECK_INT_EQ(cudaMemcpy(got, d->C, (size_t)d->M * d->N * sizeof(float),
                               cudaMemcpyDeviceToHost),
                    cudaSuccess, "cudaMemcpy of the result");
}

/* got against the product in double precision, within twice the error
 * bound of the header comment. */
static void check_product(const float *A, const float *B, const float *got,
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
                    const double x = (double)A[(size_t)i * K + p] *
                                     (double)B[(size_t)p * N + j];
                    s += x;
                    a += fabs(x);
                }
                want[(size_t)i * N + j] = (float)s;
                tol[(size_t)i * N + j] = (float)(2.0 * K * u * a + 1e-30);
            }
    }
    char what[160];
    snprintf(what, sizeof what,
             "matmul(M = %d, N = %d, K = %d): C[i][j] (element [i*N + j])", M,
             N, K);
    LL_CHECK_FLOATS_WITHIN(got, want, tol, n, what);
    free(tol);
    free(want);
}

static float *seeded_matrix(size_t n)
{
    float *m = (float *)ll_alloc(n * sizeof(float));
    ll_rand_floats(m, n, -1.0f, 1.0f);
    return m;
}

static void check_shape(int M, int N, int K)
{
    float *A = seeded_matrix((size_t)M * K), *B = seeded_matrix((size_t)K * N);
    float *got = (float *)ll_alloc((size_t)M * N * sizeof(float));
    device_case d = upload(A, B, M, N, K);
    call_matmul(&d, got);
    check_product(A, B, got, M, N, K);
    release(&d);
    free(got);
    free(B);
    free(A);
}

LL_TEST(matmul, small_shapes)
{
    check_shape(1, 1, 1);
    check_shape(7, 5, 13);
    check_shape(1, 70, 3);
    check_shape(70, 1, 3);
    check_shape(64, 64, 64);
}

LL_TEST(matmul, ragged_shapes)
{
    check_shape(33, 65, 17);
    check_shape(100, 37, 129);
    check_shape((int)ll_rand_int(20, 150), (int)ll_rand_int(20, 150),
                (int)ll_rand_int(20, 150));
}

LL_TEST(matmul, long_k)
{
    /* many steps along K: partial sums carried across tiles */
    check_shape(5, 9, 1000);
    check_shape(64, 64, 333);
}

#ifndef __CUDASIM__
#include <dlfcn.h>

static int time_matmul(void *arg)
{
    const device_case *d = (const device_case *)arg;
    return matmul(d->A, d->B, d->C, d->M, d->N, d->K);
}

/* cuBLAS, loaded at run time (no link-time dependency): C = A B in
 * row-major is C^T = B^T A^T in cuBLAS's column-major. */
typedef int (*cublas_create_fn)(void **);
typedef int (*cublas_sgemm_fn)(void *, int, int, int, int, int, const float *,
                               const float *, int, const float *, int,
                               const float *, float *, int);
static cublas_sgemm_fn cublas_sgemm;
static void *cublas_handle;

static int time_cublas(void *arg)
{
    const device_case *d = (const device_case *)arg;
    const float one = 1.0f, zero = 0.0f;
    return cublas_sgemm(cublas_handle, 0, 0, d->N, d->M, d->K, &one, d->B, d->N,
                        d->A, d->K, &zero, d->C, d->N) == 0
               ? 0
               : (int)cudaErrorUnknown;
}

/* Reports gpu_time_ms and gpu_gflops, and cuBLAS's where it loads. */
static void time_on_gpu(device_case *d)
{
    const double flop = 2.0 * d->M * d->N * d->K;
    const float mine = gp_median_ms(time_matmul, d, 11);
    if (mine <= 0.0f)
        return;
    LL_METRIC("gpu_time_ms", mine);
    LL_METRIC("gpu_gflops", flop / (mine * 1e6));
    void *lib = dlopen("libcublas.so", RTLD_NOW);
    if (lib == NULL)
        lib = dlopen("libcublas.so.13", RTLD_NOW);
    if (lib == NULL)
        lib = dlopen("libcublas.so.12", RTLD_NOW);
    cublas_create_fn create =
        lib ? (cublas_create_fn)dlsym(lib, "cublasCreate_v2") : NULL;
    cublas_sgemm = lib ? (cublas_sgemm_fn)dlsym(lib, "cublasSgemm_v2") : NULL;
    if (create == NULL || cublas_sgemm == NULL || create(&cublas_handle)) {
        printf("GPU: %.4f ms, %.1f GFLOP/s (cuBLAS not found)\n", (double)mine,
               flop / (mine * 1e6));
        return;
    }
    const float ref = gp_median_ms(time_cublas, d, 11);
    if (ref > 0.0f) {
        LL_METRIC("gpu_cublas_time_ms", ref);
        LL_METRIC("gpu_time_vs_cublas", mine / ref);
    }
    printf("GPU: %.4f ms, %.1f GFLOP/s; cuBLAS %.4f ms\n", (double)mine,
           flop / (mine * 1e6), (double)ref);
}
#endif

/* The graded test (manifest "perf": global load sectors per 1000
 * multiply-adds, lower is better). */
LL_TEST(matmul, reuse)
{
    enum { M = 128, N = 128, K = 128 };
    float *A = seeded_matrix((size_t)M * K), *B = seeded_matrix((size_t)K * N);
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
        sizeof(float) / 32;
    LL_CHECK(!g.available || (g.launches >= 1 && g.load_sectors >= least),
             "matmul(%d x %d x %d): %llu launches and %llu load sectors, but "
             "A and B alone are %llu sectors: the product must be computed "
             "by kernels",
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

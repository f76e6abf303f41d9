/* matmul_bench.c: GFLOP/s of the textbook matmul loop, the i-p-j loop, a
 * fast matmul_fast() (the reference solution or the student's) and
 * single-threaded OpenBLAS sgemm, all measured in one process with the
 * kernels alternating, so the ratios compare like with like.
 *
 * Built and run by grader/bench/matmul.sh; usage: matmul_bench [N...]
 * (default 256 512 1024).
 */
#define _POSIX_C_SOURCE 200809L
#include "matmul_fast.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { KERNELS = 4, MAX_SAMPLES = 7 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The i-j-p triple loop: what a first correct matmul looks like. */
static void naive_ijp(const float *A, const float *B, float *C, size_t M,
                      size_t N, size_t K)
{
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++) {
            float acc = 0.0f;
            for (size_t p = 0; p < K; p++)
                acc += A[i * K + p] * B[p * N + j];
            C[i * N + j] = acc;
        }
}

/* The same loops in i-p-j order: unit-stride inner loop, vectorized. */
static void loop_ipj(const float *A, const float *B, float *C, size_t M,
                     size_t N, size_t K)
{
    memset(C, 0, M * N * sizeof *C);
    for (size_t i = 0; i < M; i++)
        for (size_t p = 0; p < K; p++) {
            const float a = A[i * K + p];
            for (size_t j = 0; j < N; j++)
                C[i * N + j] += a * B[p * N + j];
        }
}

static void openblas(const float *A, const float *B, float *C, size_t M,
                     size_t N, size_t K)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N,
                (int)K, 1.0f, A, (int)K, B, (int)N, 0.0f, C, (int)N);
}

typedef void (*kernel_fn)(const float *, const float *, float *, size_t, size_t,
                          size_t);
static const kernel_fn kernels[KERNELS] = {naive_ijp, loop_ipj, matmul_fast,
                                           openblas};
static const char *const names[KERNELS] = {"naive i-j-p", "i-p-j loop",
                                           "matmul_fast", "OpenBLAS"};

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Largest |C - R| relative to the largest |R|: a sanity check only (the
 * exercise's tests check each element with a proper bound). */
static double rel_err(const float *C, const float *R, size_t n)
{
    double worst = 0.0, scale = 0.0;
    for (size_t i = 0; i < n; i++) {
        worst = fmax(worst, fabs((double)C[i] - R[i]));
        scale = fmax(scale, fabs((double)R[i]));
    }
    return scale > 0 ? worst / scale : worst;
}

static void bench(size_t n)
{
    const size_t nn = n * n;
    float *A = malloc(nn * sizeof *A), *B = malloc(nn * sizeof *B);
    float *C = malloc(nn * sizeof *C), *R = malloc(nn * sizeof *R);
    if (!A || !B || !C || !R) {
        fprintf(stderr, "out of memory at n = %zu\n", n);
        exit(1);
    }
    unsigned s = 7u;
    for (size_t i = 0; i < nn; i++) {
        s = s * 1664525u + 1013904223u;
        A[i] = (float)(s >> 8) / 8388608.0f - 1.0f;
        s = s * 1664525u + 1013904223u;
        B[i] = (float)(s >> 8) / 8388608.0f - 1.0f;
    }
    /* warm-up, correctness, and a first time to pick the sample count */
    openblas(A, B, R, n, n, n);
    double first[KERNELS], err[KERNELS];
    for (int k = 0; k < KERNELS; k++) {
        const double t0 = now_s();
        kernels[k](A, B, C, n, n, n);
        first[k] = now_s() - t0;
        err[k] = rel_err(C, R, nn);
    }
    /* samples alternate between the kernels; slow ones get fewer, and a
     * kernel slower than 2 s keeps its first time as its only sample */
    double t[KERNELS][MAX_SAMPLES];
    int count[KERNELS] = {0}, want[KERNELS];
    for (int k = 0; k < KERNELS; k++) {
        want[k] = first[k] > 2.0   ? 0
                  : first[k] > 0.5 ? 3
                  : first[k] > 0.1 ? 5
                                   : MAX_SAMPLES;
        if (want[k] == 0)
            t[k][count[k]++] = first[k];
    }
    for (int r = 0; r < MAX_SAMPLES; r++)
        for (int k = 0; k < KERNELS; k++) {
            if (r >= want[k])
                continue;
            const double t0 = now_s();
            kernels[k](A, B, C, n, n, n);
            t[k][count[k]++] = now_s() - t0;
        }
    const double flop = 2.0 * (double)n * (double)n * (double)n;
    double gf[KERNELS];
    for (int k = 0; k < KERNELS; k++) {
        qsort(t[k], (size_t)count[k], sizeof **t, cmp_double);
        gf[k] = flop / t[k][count[k] / 2] * 1e-9;
    }
    printf("%5zu", n);
    for (int k = 0; k < KERNELS; k++)
        printf("  %12.2f", gf[k]);
    for (int k = 0; k < KERNELS - 1; k++)
        printf("  %11.3f", gf[k] / gf[KERNELS - 1]);
    printf("   %.1e\n", err[2]);
    for (int k = 0; k < KERNELS; k++)
        if (err[k] > 1e-4)
            printf("      WARNING: %s differs from OpenBLAS (relative error "
                   "%.2e)\n",
                   names[k], err[k]);
    free(R);
    free(C);
    free(B);
    free(A);
}

int main(int argc, char **argv)
{
    openblas_set_num_threads(1);
    printf("one thread; %s; OpenBLAS core: %s\n", openblas_get_config(),
           openblas_get_corename());
    printf("GFLOP/s (median of up to %d alternating runs) and ratio to "
           "OpenBLAS:\n",
           MAX_SAMPLES);
    printf("%5s", "N");
    for (int k = 0; k < KERNELS; k++)
        printf("  %12s", names[k]);
    for (int k = 0; k < KERNELS - 1; k++)
        printf("  %11.11s", names[k]);
    printf("   fast err\n");
    if (argc > 1)
        for (int i = 1; i < argc; i++)
            bench((size_t)strtoul(argv[i], NULL, 10));
    else {
        static const size_t sizes[] = {256, 512, 1024};
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
            bench(sizes[i]);
    }
    return 0;
}

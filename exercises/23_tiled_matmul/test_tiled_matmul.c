/* Tests for 23_tiled_matmul. Students: read them, do not edit them.
 *
 * A and B hold seeded values in [-1, 1) (the grader may pick other values
 * than you see). The expected C comes from a triple loop in double
 * precision, rounded to float. Tolerance: a float dot product of K terms,
 * summed in any order (with or without fused multiply-adds), is off from
 * the exact value by at most gamma_K * sum_p |a_ip * b_pj|, gamma_K ~ K *
 * 2^-24 (Higham, Accuracy and Stability of Numerical Algorithms, 3.1); the
 * expected value's own rounding adds 2^-24 of the same sum. We allow
 *
 *     |C - C_expected| <= 2 * K * 2^-24 * (|A| |B|)_ij
 *
 * per element, at least that sum of both errors for every K >= 1. A
 * missing, doubled or wrong term costs about |a_ip * b_pj|, far more. The
 * host code fills C with NaN first, so an element no thread wrote is
 * visible. */
#include "llmlings.h"
#include "tiled_matmul.h"

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

static float *alloc_floats(size_t n)
{
    return (float *)ll_alloc(n * sizeof(float));
}

static void check_matmul(int M, int N, int K)
{
    float *A = alloc_floats((size_t)M * K), *B = alloc_floats((size_t)K * N);
    float *C = alloc_floats((size_t)M * N);
    float *want = alloc_floats((size_t)M * N),
          *tol = alloc_floats((size_t)M * N);
    ll_rand_floats(A, (size_t)M * K, -1.0f, 1.0f);
    ll_rand_floats(B, (size_t)K * N, -1.0f, 1.0f);
    char what[240];
    snprintf(what, sizeof what,
             "matmul_tiled(A, B, C, M = %d, N = %d, K = %d) return value", M, N,
             K);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(matmul_tiled(A, B, C, M, N, K), cudaSuccess, what);
    check_freed(device_mark, "matmul_tiled");
    LL_ORACLE
    {
        const double u = ldexp(1.0, -24);
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                double acc = 0.0, mag = 0.0;
                for (int p = 0; p < K; p++) {
                    const double t =
                        (double)A[(size_t)i * K + p] * B[(size_t)p * N + j];
                    acc += t;
                    mag += fabs(t);
                }
                want[(size_t)i * N + j] = (float)acc;
                tol[(size_t)i * N + j] = (float)(2.0 * K * u * mag + 1e-30);
            }
    }
    snprintf(what, sizeof what,
             "C = A * B with M = %d, N = %d, K = %d: element [i] is C[i / "
             "%d][i %% %d] (NaN = never written; %d x %d tiles of %d x %d)",
             M, N, K, N, N, (N + TILE - 1) / TILE, (M + TILE - 1) / TILE, TILE,
             TILE);
    LL_CHECK_FLOATS_WITHIN(C, want, tol, (size_t)M * N, what);
    free(tol);
    free(want);
    free(C);
    free(B);
    free(A);
}

LL_TEST(tiled_matmul, one_tile)
{
    check_matmul(TILE, TILE, TILE);
    check_matmul(1, 1, 1);
}

LL_TEST(tiled_matmul, ragged_edges)
{
    /* no dimension is a multiple of TILE: partial tiles everywhere */
    check_matmul(17, 19, 23);
    check_matmul(5, 3, 7);
    check_matmul((int)ll_rand_int(2, 40), (int)ll_rand_int(2, 40),
                 (int)ll_rand_int(2, 40));
}

LL_TEST(tiled_matmul, many_tiles_along_k)
{
    /* K = 5 tiles: the accumulator must survive the tile loop, and the
     * tiles must not be overwritten while others still read them */
    check_matmul(33, 40, 77);
    check_matmul(20, 24, 4 * TILE); /* K a whole number of tiles */
    check_matmul((int)ll_rand_int(17, 40), (int)ll_rand_int(17, 40),
                 (int)ll_rand_int(50, 120));
}

LL_TEST(tiled_matmul, vector_shapes)
{
    check_matmul(1, 100, 37); /* a row vector times a matrix */
    check_matmul(70, 1, 45);  /* a matrix times a column vector */
    check_matmul((int)ll_rand_int(20, 50), (int)ll_rand_int(20, 50), 1);
}

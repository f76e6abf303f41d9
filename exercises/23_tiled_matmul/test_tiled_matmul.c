/* Tests for 23_tiled_matmul. Students: read them, do not edit them.
 *
 * The expected C comes from a plain triple loop in double precision on the
 * CPU. Tolerance: a float dot product of K terms in [-1, 1] is off by at
 * most about K * 2^-24 * K, well under 1e-4 * K for these sizes. The host
 * code fills C with NaN first, so an element no thread wrote is visible. */
#include "llmlings.h"
#include "tiled_matmul.h"

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

/* Deterministic values in [-1, 1). */
static float value(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (float)((*s >> 8) & 0xffff) / 32768.0f - 1.0f;
}

static void check_matmul(int M, int N, int K)
{
    float *A = (float *)malloc((size_t)M * K * sizeof(float));
    float *B = (float *)malloc((size_t)K * N * sizeof(float));
    float *C = (float *)malloc((size_t)M * N * sizeof(float));
    float *want = (float *)malloc((size_t)M * N * sizeof(float));
    LL_CHECK(A && B && C && want, "malloc in the test setup failed");
    unsigned s = (unsigned)(M * 1000003 + N * 1009 + K);
    for (int i = 0; i < M * K; i++)
        A[i] = value(&s);
    for (int i = 0; i < K * N; i++)
        B[i] = value(&s);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double acc = 0.0;
            for (int p = 0; p < K; p++)
                acc += (double)A[(size_t)i * K + p] * B[(size_t)p * N + j];
            want[(size_t)i * N + j] = (float)acc;
        }
    char what[160];
    snprintf(what, sizeof what,
             "C = A * B with M = %d, N = %d, K = %d (C row-major, element i "
             "is row i / %d, column i %% %d; NaN = never written)",
             M, N, K, N, N);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(matmul_tiled(A, B, C, M, N, K), cudaSuccess,
                    "matmul_tiled return value");
    check_freed(device_mark, "matmul_tiled");
    LL_CHECK_FLOATS_NEAR(C, want, (size_t)M * N, 1e-4f * (float)K, 1e-4f, what);
    free(A);
    free(B);
    free(C);
    free(want);
}

LL_TEST(tiled_matmul, one_tile)
{
    check_matmul(TILE, TILE, TILE);
}

LL_TEST(tiled_matmul, ragged_edges)
{
    /* no dimension is a multiple of TILE: partial tiles everywhere */
    check_matmul(17, 19, 23);
    check_matmul(5, 3, 7);
}

LL_TEST(tiled_matmul, many_tiles_along_k)
{
    /* K = 5 tiles: the accumulator must survive the tile loop, and the
     * tiles must not be overwritten while others still read them */
    check_matmul(33, 40, 77);
}

LL_TEST(tiled_matmul, vector_shapes)
{
    check_matmul(1, 100, 37); /* a row vector times a matrix */
    check_matmul(70, 1, 45);  /* a matrix times a column vector */
}

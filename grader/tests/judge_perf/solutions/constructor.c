/* A cheat's footprint: a constructor that works before anything is timed
 * (as one that precomputes tables or starts helper threads would), then
 * plain i-p-j loops. The inspection of c_perf builds rejects constructors
 * in student code before any test runs, in both modes. */
#include "matmul_fast.h"

#include <string.h>

static volatile double sink;

__attribute__((constructor)) static void precompute(void)
{
    double s = 0;
    for (long i = 0; i < 300000000L; i++)
        s += (double)i * 1e-9;
    sink = s;
}

void matmul_fast(const float *A, const float *B, float *C, size_t M, size_t N,
                 size_t K)
{
    memset(C, 0, M * N * sizeof *C);
    for (size_t i = 0; i < M; i++)
        for (size_t p = 0; p < K; p++) {
            const float a = A[i * K + p];
            for (size_t j = 0; j < N; j++)
                C[i * N + j] += a * B[p * N + j];
        }
}

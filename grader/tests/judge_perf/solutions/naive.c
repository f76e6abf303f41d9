/* A correct but slow matmul_fast: the textbook i-j-p loops. */
#include "matmul_fast.h"

void matmul_fast(const float *A, const float *B, float *C, size_t M, size_t N,
                 size_t K)
{
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++) {
            float s = 0.0f;
            for (size_t p = 0; p < K; p++)
                s += A[i * K + p] * B[p * N + j];
            C[i * N + j] = s;
        }
}

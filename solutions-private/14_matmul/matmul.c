/* 14_matmul: reference solution. */
#include "matmul.h"

void matmul_ex(bool trans_a, bool trans_b, size_t M, size_t N, size_t K,
               const float *A, size_t lda, const float *B, size_t ldb, float *C,
               size_t ldc)
{
    /* (row, column) steps through op(A) and op(B) */
    const size_t ai = trans_a ? 1 : lda, ap = trans_a ? lda : 1;
    const size_t bp = trans_b ? 1 : ldb, bj = trans_b ? ldb : 1;
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++) {
            float acc = 0.0f;
            for (size_t p = 0; p < K; p++)
                acc += A[i * ai + p * ap] * B[p * bp + j * bj];
            C[i * ldc + j] = acc;
        }
}

void matmul(const float *A, const float *B, float *C, size_t M, size_t N,
            size_t K)
{
    matmul_ex(false, false, M, N, K, A, K, B, N, C, N);
}

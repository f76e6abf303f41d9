/* 14_matmul: C = A * B, checked against OpenBLAS. Edit this file until
 * `make check EX=14_matmul` passes.
 *
 * Lecture: lectures/02_tensors.md#matrix-multiply
 */
#include "matmul.h"

void matmul_ex(bool trans_a, bool trans_b, size_t M, size_t N, size_t K,
               const float *A, size_t lda, const float *B, size_t ldb, float *C,
               size_t ldc)
{
    /* TODO: for every (i, j): C[i*ldc + j] = sum over p of
     * op(A)[i][p] * op(B)[p][j]. Work out where op(A)[i][p] lives for
     * both values of trans_a first (see matmul.h). */
    (void)trans_a;
    (void)trans_b;
    (void)M;
    (void)N;
    (void)K;
    (void)A;
    (void)lda;
    (void)B;
    (void)ldb;
    (void)C;
    (void)ldc;
}

void matmul(const float *A, const float *B, float *C, size_t M, size_t N,
            size_t K)
{
    /* TODO: one call to matmul_ex. */
    (void)A;
    (void)B;
    (void)C;
    (void)M;
    (void)N;
    (void)K;
}

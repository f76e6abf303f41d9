/* matmul.h: the interface of exercise 14_matmul (do not edit).
 *
 * Row-major float matrices. A matrix X with R rows, C columns and leading
 * dimension ldx (>= C) keeps element (r, c) at X[r*ldx + c]: ldx is the
 * distance between the starts of two rows, so X can be a block of a wider
 * matrix. Same conventions as BLAS sgemm with CblasRowMajor.
 *
 * Lecture: lectures/02_tensors.md#matrix-multiply
 */
#ifndef MATMUL_H
#define MATMUL_H

#include <stdbool.h>
#include <stddef.h>

/* C = A * B with A M x K, B K x N, C M x N, all contiguous (lda = K,
 * ldb = N, ldc = N). C is overwritten; K == 0 gives C = 0. */
void matmul(const float *A, const float *B, float *C, size_t M, size_t N,
            size_t K);

/* C = op(A) * op(B), where op(A) is M x K and op(B) is K x N:
 *   trans_a false: A is stored M x K (lda >= K), op(A)[i][p] = A[i*lda + p]
 *   trans_a true:  A is stored K x M (lda >= M), op(A)[i][p] = A[p*lda + i]
 *   (B likewise with K, N, ldb). C is M x N with ldc >= N; only its first N
 * columns of each row are written (overwritten, not accumulated). */
void matmul_ex(bool trans_a, bool trans_b, size_t M, size_t N, size_t K,
               const float *A, size_t lda, const float *B, size_t ldb, float *C,
               size_t ldc);

#endif /* MATMUL_H */

/* matmul_fast.h: the interface of exercise 15_matmul_fast (do not edit).
 *
 * Lecture: lectures/02_tensors.md#making-matmul-fast
 */
#ifndef MATMUL_FAST_H
#define MATMUL_FAST_H

#include <stddef.h>

/* C = A * B for contiguous row-major float matrices: A is M x K, B is
 * K x N, C is M x N. C is overwritten; K == 0 gives C = 0. Must work for
 * every size (1 x 1, sizes that are not multiples of your tiles), run on
 * ONE thread, and be as fast as you can make it. */
void matmul_fast(const float *A, const float *B, float *C, size_t M, size_t N,
                 size_t K);

#endif /* MATMUL_FAST_H */

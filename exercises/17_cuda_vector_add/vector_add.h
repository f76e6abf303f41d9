/* vector_add.h: the host function of 17_cuda_vector_add (do not edit).
 *
 * vector_add copies a and b to the GPU, adds them there, copies the sum back
 * into c and frees what it allocated. It returns a cudaError_t value as int:
 * 0 (cudaSuccess), or the error of the first CUDA call that failed.
 */
#ifndef VECTOR_ADD_H
#define VECTOR_ADD_H

#include <stddef.h>

/* Threads per block the host code launches with. */
#define VADD_BLOCK 256

/* c[i] = a[i] + b[i] for 0 <= i < n; a, b and c are host arrays. n == 0 is
 * allowed and does nothing. */
int vector_add(const float *a, const float *b, float *c, size_t n);

#endif /* VECTOR_ADD_H */

/* tensor_matmul.h: the function of 48_tensor_cores (do not edit). */
#ifndef TENSOR_MATMUL_H
#define TENSOR_MATMUL_H

#include <cuda_fp16.h>

/* C = A B with half inputs and float results. A is M x K, B is K x N (half),
 * C is M x N (float), all row-major (element (i, j) of C at C[i * N + j])
 * and device pointers (from cudaMalloc, not overlapping). M, N and K must
 * be positive multiples of 16: otherwise returns cudaErrorInvalidValue (as
 * int) without launching anything. Launches the kernel(s), with any
 * configuration, and returns cudaGetLastError() as int (0 = cudaSuccess);
 * the caller waits. */
int tensor_matmul(const __half *A, const __half *B, float *C, int M, int N,
                  int K);

#endif /* TENSOR_MATMUL_H */

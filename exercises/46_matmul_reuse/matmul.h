/* matmul.h: the function of 46_matmul_reuse (do not edit). */
#ifndef MATMUL_H
#define MATMUL_H

/* C = A B. A is M x K, B is K x N, C is M x N, all row-major (element
 * (i, j) of C at C[i * N + j]) and device pointers (from cudaMalloc, not
 * overlapping); M, N, K >= 1. Launches the kernel(s), with any
 * configuration, and returns cudaGetLastError() as int (0 = cudaSuccess);
 * the caller waits. */
int matmul(const float *A, const float *B, float *C, int M, int N, int K);

#endif /* MATMUL_H */

/* tiled_matmul.h: the host function of 23_tiled_matmul (do not edit). */
#ifndef TILED_MATMUL_H
#define TILED_MATMUL_H

/* Tile edge: blocks of TILE x TILE threads, each block computes a TILE x
 * TILE piece of C. */
#define TILE 16

/* C = A * B on the GPU, all row-major: A is M x K, B is K x N, C is M x N
 * (host arrays; M, N, K >= 1, any size). Returns a cudaError_t as int. */
int matmul_tiled(const float *A, const float *B, float *C, int M, int N, int K);

#endif /* TILED_MATMUL_H */

/* block_reduce.h: the host function of 19_block_reduce (do not edit). */
#ifndef BLOCK_REDUCE_H
#define BLOCK_REDUCE_H

/* Threads per block of block_sum_kernel (a power of two). */
#define REDUCE_BLOCK 128

/* *sum = x[0] + ... + x[n-1], computed on the GPU (n >= 1); x is a host
 * array. Returns a cudaError_t value as int (0 = success). */
int block_reduce_sum(const float *x, int n, float *sum);

#endif /* BLOCK_REDUCE_H */

/* warp_reduce.h: the host functions of 20_warp_reduce (do not edit). */
#ifndef WARP_REDUCE_H
#define WARP_REDUCE_H

/* Threads per block of both kernels (2 warps of 32). */
#define WARP_BLOCK 64

/* *sum = x[0] + ... + x[n-1], computed on the GPU (n >= 1; host arrays).
 * Returns a cudaError_t value as int (0 = success). */
int warp_sum(const float *x, int n, float *sum);

/* *max = the largest of x[0..n-1], computed on the GPU (n >= 1). */
int warp_max(const int *x, int n, int *max);

#endif /* WARP_REDUCE_H */

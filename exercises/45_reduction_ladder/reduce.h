/* reduce.h: the function of 45_reduction_ladder (do not edit). */
#ifndef REDUCE_H
#define REDUCE_H

/* The launches reduce_sum makes (given in reduce.cu): the first pass runs
 * REDUCE_GRID blocks of REDUCE_BLOCK threads over the n inputs, each block
 * writing one partial sum; the second pass runs one block over those
 * REDUCE_GRID partial sums. */
#define REDUCE_BLOCK 256
#define REDUCE_GRID 64

/* *sum = in[0] + ... + in[n-1]. in and sum are device pointers (from
 * cudaMalloc); n >= 1. Returns a cudaError_t value as int (0 =
 * cudaSuccess); the caller waits. */
int reduce_sum(const float *in, int n, float *sum);

#endif /* REDUCE_H */

/* transpose.h: the function of 43_coalesced_transpose (do not edit). */
#ifndef TRANSPOSE_H
#define TRANSPOSE_H

/* The tile the given launch assigns to one block: TILE x TILE elements of
 * the input, handled by TILE x BLOCK_ROWS threads. */
#define TILE 32
#define BLOCK_ROWS 8

/* out = the transpose of in. in is a rows x cols matrix, row-major (element
 * (r, c) at in[r * cols + c]); out is cols x rows (element (c, r) at
 * out[c * rows + r]). Both are device pointers (from cudaMalloc, not
 * overlapping); rows, cols >= 1. Launches the kernel(s) and returns
 * cudaGetLastError() as int (0 = cudaSuccess); the caller waits. */
int transpose(const float *in, float *out, int rows, int cols);

#endif /* TRANSPOSE_H */

/* transpose.h: the function of 44_transpose_conflicts (do not edit). */
#ifndef TRANSPOSE_H
#define TRANSPOSE_H

/* The tile the given launch assigns to one block: TILE x TILE elements of
 * the input, handled by TILE x BLOCK_ROWS threads. The block's shared
 * memory may hold exactly one TILE x TILE tile of floats (4096 bytes): no
 * padding column. */
#define TILE 32
#define BLOCK_ROWS 8
#define TILE_BYTES (TILE * TILE * 4)

/* out = the transpose of in. in is a rows x cols matrix, row-major (element
 * (r, c) at in[r * cols + c]); out is cols x rows (element (c, r) at
 * out[c * rows + r]). Both are device pointers (from cudaMalloc, not
 * overlapping); rows, cols >= 1. Launches the kernel(s) and returns
 * cudaGetLastError() as int (0 = cudaSuccess); the caller waits. */
int transpose(const float *in, float *out, int rows, int cols);

#endif /* TRANSPOSE_H */

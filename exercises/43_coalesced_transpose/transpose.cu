/* 43_coalesced_transpose: a matrix transpose whose reads and writes are
 * both coalesced. Edit the kernel until `make check EX=43_coalesced_transpose`
 * passes, then until the performance test reaches its top tier.
 *
 * Lecture: lectures/06_gpu_performance.md#coalescing
 */
#include "transpose.h"

#include <cuda_runtime.h>

/* Launched with blocks of TILE x BLOCK_ROWS threads, one block per
 * TILE x TILE tile of the input: block (bx, by) transposes the tile whose
 * top-left element is in[by * TILE][bx * TILE] into the tile of out whose
 * top-left element is out[bx * TILE][by * TILE]. */
__global__ void transpose_kernel(const float *in, float *out, int rows,
                                 int cols)
{
    /* TODO:
     *   1. Correct first: each thread copies TILE / BLOCK_ROWS elements of
     *      its block's tile (rows threadIdx.y, threadIdx.y + BLOCK_ROWS,
     *      ...), in[row][col] to out[col][row], skipping elements past
     *      the edges (rows and cols need not be multiples of TILE).
     *   2. Then coalesced: neighbouring threads (threadIdx.x) must touch
     *      neighbouring addresses on BOTH sides. Read a row of the tile
     *      into a __shared__ tile, __syncthreads(), then write a row of
     *      out from a column of the shared tile. */
    (void)in;
    (void)out;
    (void)rows;
    (void)cols;
}

int transpose(const float *in, float *out, int rows, int cols)
{
    const dim3 block(TILE, BLOCK_ROWS);
    const dim3 grid((cols + TILE - 1) / TILE, (rows + TILE - 1) / TILE);
    transpose_kernel<<<grid, block>>>(in, out, rows, cols);
    return (int)cudaGetLastError();
}

/* 44_transpose_conflicts: a coalesced transpose whose shared tile has no
 * bank conflicts, and no padding. Edit the kernel until
 * `make check EX=44_transpose_conflicts` passes, then until both
 * performance tests reach their top tier.
 *
 * Lecture: lectures/06_gpu_performance.md#banks-and-conflicts
 */
#include "transpose.h"

#include <cuda_runtime.h>

/* Where element (row, col) of the logical tile is kept: its column is
 * XOR-ed with its row (a swizzle). A row of the tile still holds 32
 * different words, each in its own bank; a column now does too, because
 * col ^ row differs for every row. Both indices are below TILE (a power
 * of two), so col ^ row is too. */
__device__ __forceinline__ int swizzled(int row, int col)
{
    return col ^ row;
}

/* Launched with blocks of TILE x BLOCK_ROWS threads, one block per
 * TILE x TILE tile of the input: block (bx, by) transposes the tile whose
 * top-left element is in[by * TILE][bx * TILE] into the tile of out whose
 * top-left element is out[bx * TILE][by * TILE]. */
__global__ void transpose_kernel(const float *in, float *out, int rows,
                                 int cols)
{
    __shared__ float tile[TILE][TILE];
    const int tx = threadIdx.x, ty = threadIdx.y;

    /* Read rows of the input (coalesced) into rows of the tile. */
    const int col = blockIdx.x * TILE + tx;
    for (int j = ty; j < TILE; j += BLOCK_ROWS) {
        const int row = blockIdx.y * TILE + j;
        if (row < rows && col < cols)
            tile[j][swizzled(j, tx)] = in[(size_t)row * cols + col];
    }
    __syncthreads();

    /* Write rows of out (coalesced) from columns of the tile. */
    const int out_col = blockIdx.y * TILE + tx; /* a row of in */
    for (int j = ty; j < TILE; j += BLOCK_ROWS) {
        const int out_row = blockIdx.x * TILE + j; /* a column of in */
        if (out_row < cols && out_col < rows)
            out[(size_t)out_row * rows + out_col] = tile[tx][swizzled(tx, j)];
    }
}

int transpose(const float *in, float *out, int rows, int cols)
{
    const dim3 block(TILE, BLOCK_ROWS);
    const dim3 grid((cols + TILE - 1) / TILE, (rows + TILE - 1) / TILE);
    transpose_kernel<<<grid, block>>>(in, out, rows, cols);
    return (int)cudaGetLastError();
}

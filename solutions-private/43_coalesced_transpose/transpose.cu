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
    /* One column of padding: the column reads below hit 32 different
     * banks (no bank conflicts; not graded here, see 44). */
    __shared__ float tile[TILE][TILE + 1];
    const int tx = threadIdx.x, ty = threadIdx.y;

    /* Read: neighbouring threads read neighbouring columns of a row. */
    const int col = blockIdx.x * TILE + tx;
    for (int j = ty; j < TILE; j += BLOCK_ROWS) {
        const int row = blockIdx.y * TILE + j;
        if (row < rows && col < cols)
            tile[j][tx] = in[(size_t)row * cols + col];
    }
    __syncthreads();

    /* Write: neighbouring threads write neighbouring columns of a row of
     * out, which is a column of the tile. */
    const int out_col = blockIdx.y * TILE + tx; /* a row of in */
    for (int j = ty; j < TILE; j += BLOCK_ROWS) {
        const int out_row = blockIdx.x * TILE + j; /* a column of in */
        if (out_row < cols && out_col < rows)
            out[(size_t)out_row * rows + out_col] = tile[tx][j];
    }
}

int transpose(const float *in, float *out, int rows, int cols)
{
    const dim3 block(TILE, BLOCK_ROWS);
    const dim3 grid((cols + TILE - 1) / TILE, (rows + TILE - 1) / TILE);
    transpose_kernel<<<grid, block>>>(in, out, rows, cols);
    return (int)cudaGetLastError();
}

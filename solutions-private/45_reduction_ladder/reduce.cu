/* 45_reduction_ladder: a sum, from the textbook tree to warp shuffles,
 * graded by what each rung of the ladder saves. Edit reduce_kernel until
 * `make check EX=45_reduction_ladder` passes, then climb the ladder.
 *
 * Lecture: lectures/06_gpu_performance.md#the-reduction-ladder
 */
#include "reduce.h"

#include <cuda_runtime.h>

/* The sum of v over the 32 lanes of a warp, in lane 0. */
__device__ float warp_sum(float v)
{
    for (int offset = 16; offset > 0; offset /= 2)
        v += __shfl_down_sync(0xffffffffu, v, offset);
    return v;
}

/* Launched with REDUCE_BLOCK threads per block: the blocks together sum
 * in[0..n), block b writing its part to out[b]. */
__global__ void reduce_kernel(const float *in, float *out, int n)
{
    __shared__ float warp_sums[REDUCE_BLOCK / 32];
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;

    /* Grid-stride loop: in every step, neighbouring threads read
     * neighbouring elements (coalesced). */
    float v = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += blockDim.x * gridDim.x)
        v += in[i];

    /* Each warp reduces itself with shuffles (no shared memory, no
     * barrier); lane 0 keeps the warp's sum for warp 0. */
    v = warp_sum(v);
    if (lane == 0)
        warp_sums[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < REDUCE_BLOCK / 32 ? warp_sums[lane] : 0.0f;
        v = warp_sum(v);
        if (lane == 0)
            out[blockIdx.x] = v;
    }
}

/* ---- host code (given) --------------------------------------------------- */

int reduce_sum(const float *in, int n, float *sum)
{
    float *partials = NULL;
    cudaError_t err = cudaMalloc(&partials, REDUCE_GRID * sizeof(float));
    if (err != cudaSuccess)
        return (int)err;
    reduce_kernel<<<REDUCE_GRID, REDUCE_BLOCK>>>(in, partials, n);
    reduce_kernel<<<1, REDUCE_BLOCK>>>(partials, sum, REDUCE_GRID);
    err = cudaGetLastError();
    const cudaError_t freed = cudaFree(partials); /* waits for the kernels */
    return (int)(err != cudaSuccess ? err : freed);
}

/* 45_reduction_ladder: a sum, from the textbook tree to warp shuffles,
 * graded by what each rung of the ladder saves. Edit reduce_kernel until
 * `make check EX=45_reduction_ladder` passes, then climb the ladder.
 *
 * Lecture: lectures/06_gpu_performance.md#the-reduction-ladder
 */
#include "reduce.h"

#include <cuda_runtime.h>

/* Launched with REDUCE_BLOCK threads per block: the blocks together sum
 * in[0..n), block b writing its part to out[b]. */
__global__ void reduce_kernel(const float *in, float *out, int n)
{
    /* TODO: climb the ladder (README.md), checking the counters at each
     * rung with CUDASIM_COUNTERS=1:
     *   1. correct: each thread sums its elements, then a tree in
     *      __shared__ memory with a __syncthreads() per level, as in
     *      19_block_reduce; thread 0 writes out[blockIdx.x];
     *   2. no divergent warps: the threads that work at a level must be
     *      whole warps for as long as possible;
     *   3. no bank conflicts: the words a warp touches at a level must be
     *      in 32 different banks;
     *   4. coalesced loads: in every step, neighbouring threads read
     *      neighbouring elements;
     *   5. warp shuffles: within a warp, __shfl_down_sync replaces shared
     *      memory and barriers. */
    (void)in;
    (void)out;
    (void)n;
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

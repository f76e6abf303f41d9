/* 20_warp_reduce: reductions with warp shuffles, combined across blocks
 * with atomics. Edit the TODOs until `make check EX=20_warp_reduce` passes.
 *
 * Lecture: lectures/03_gpu.md#warps-and-shuffles
 */
#include "warp_reduce.h"

#include <cuda_runtime.h>
#include <limits.h>
#include <stdio.h>

/* The sum of v over the 32 lanes of the calling warp, valid in lane 0. All
 * 32 lanes must call it (FULL_MASK says so). */
#define FULL_MASK 0xffffffffu
__device__ float warp_reduce_sum(float v)
{
    /* TODO: five steps, offset = 16, 8, 4, 2, 1: add the value of the
     * lane `offset` places up (__shfl_down_sync(FULL_MASK, v, offset)). */
    return v;
}

/* The largest v over the 32 lanes of the calling warp, valid in lane 0. */
__device__ int warp_reduce_max(int v)
{
    /* TODO: like warp_reduce_sum, with max instead of + */
    return v;
}

/* One thread per element; every lane of every warp takes part. */
__global__ void sum_kernel(const float *x, int n, float *sum)
{
    /* TODO: load x[i], or 0 past the end (do NOT return early: the lanes
     * past the end must still take part in the shuffles), reduce the warp,
     * and let lane 0 (threadIdx.x % 32 == 0) add the warp's total to *sum.
     * Many warps of many blocks add to the same *sum at once: atomicAdd. */
    (void)x;
    (void)n;
    (void)sum;
}

__global__ void max_kernel(const int *x, int n, int *max)
{
    /* TODO: like sum_kernel. Past the end, load the value that can never
     * win a max (INT_MIN, not 0: the inputs may all be negative); combine
     * with atomicMax. */
    (void)x;
    (void)n;
    (void)max;
}

/* ---- host code (given) --------------------------------------------------- */

#define CHECK(call)                                                            \
    do {                                                                       \
        const cudaError_t e_ = (call);                                         \
        if (e_ != cudaSuccess) {                                               \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__,      \
                    #call, cudaGetErrorString(e_));                            \
            err = e_;                                                          \
            goto cleanup;                                                      \
        }                                                                      \
    } while (0)

int warp_sum(const float *x, int n, float *sum)
{
    cudaError_t err = cudaSuccess;
    float *dx = NULL, *dsum = NULL;
    const float zero = 0.0f;

    CHECK(cudaMalloc(&dx, (size_t)n * sizeof(float)));
    CHECK(cudaMalloc(&dsum, sizeof(float)));
    CHECK(cudaMemcpy(dx, x, (size_t)n * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dsum, &zero, sizeof zero, cudaMemcpyHostToDevice));
    sum_kernel<<<(n + WARP_BLOCK - 1) / WARP_BLOCK, WARP_BLOCK>>>(dx, n, dsum);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(sum, dsum, sizeof(float), cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(dx);
    cudaFree(dsum);
    return err;
}

int warp_max(const int *x, int n, int *max)
{
    cudaError_t err = cudaSuccess;
    int *dx = NULL, *dmax = NULL;
    const int lowest = INT_MIN;

    CHECK(cudaMalloc(&dx, (size_t)n * sizeof(int)));
    CHECK(cudaMalloc(&dmax, sizeof(int)));
    CHECK(cudaMemcpy(dx, x, (size_t)n * sizeof(int), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dmax, &lowest, sizeof lowest, cudaMemcpyHostToDevice));
    max_kernel<<<(n + WARP_BLOCK - 1) / WARP_BLOCK, WARP_BLOCK>>>(dx, n, dmax);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(max, dmax, sizeof(int), cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(dx);
    cudaFree(dmax);
    return err;
}

/* 20_warp_reduce: reference solution. */
#include "warp_reduce.h"

#include <cuda_runtime.h>
#include <limits.h>
#include <stdio.h>

/* The sum of v over the 32 lanes of the calling warp, valid in lane 0. All
 * 32 lanes must call it (FULL_MASK says so). */
#define FULL_MASK 0xffffffffu
__device__ float warp_reduce_sum(float v)
{
    /* after step k, lane l holds the sum of lanes l .. l + 2^k - 1 (lanes
     * past 31 read their own value; only lane 0's result is used) */
    for (int offset = 16; offset > 0; offset /= 2)
        v += __shfl_down_sync(FULL_MASK, v, offset);
    return v;
}

/* The largest v over the 32 lanes of the calling warp, valid in lane 0. */
__device__ int warp_reduce_max(int v)
{
    for (int offset = 16; offset > 0; offset /= 2)
        v = max(v, __shfl_down_sync(FULL_MASK, v, offset));
    return v;
}

/* One thread per element; every lane of every warp takes part. */
__global__ void sum_kernel(const float *x, int n, float *sum)
{
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    /* no early return: all 32 lanes must reach the shuffles */
    float v = i < n ? x[i] : 0.0f;
    v = warp_reduce_sum(v);
    if (threadIdx.x % 32 == 0)
        atomicAdd(sum, v); /* one atomic per warp, not per element */
}

__global__ void max_kernel(const int *x, int n, int *max)
{
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    int v = i < n ? x[i] : INT_MIN; /* the identity of max */
    v = warp_reduce_max(v);
    if (threadIdx.x % 32 == 0)
        atomicMax(max, v);
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

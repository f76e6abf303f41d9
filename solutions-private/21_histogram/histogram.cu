/* 21_histogram: reference solution. */
#include "histogram.h"

#include <cuda_runtime.h>
#include <stdio.h>

/* Launched with HIST_BLOCKS blocks of HIST_THREADS threads whatever n is;
 * hist (HIST_BINS counters) starts at zero. */
__global__ void histogram_kernel(const unsigned char *data, int n,
                                 unsigned *hist)
{
    /* Privatised: each block counts into its own shared-memory
     * histogram (shared atomics are cheap and only this block's threads
     * contend), then adds each non-empty bin to the global one: 256 global
     * atomics per block instead of one per byte. Both levels need atomics. */
    __shared__ unsigned local[HIST_BINS];
    for (int b = threadIdx.x; b < HIST_BINS; b += blockDim.x)
        local[b] = 0;
    __syncthreads(); /* zeroed before anyone counts */
    const int stride = blockDim.x * gridDim.x;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        atomicAdd(&local[data[i]], 1u);
    __syncthreads(); /* all counted before the bins are read */
    for (int b = threadIdx.x; b < HIST_BINS; b += blockDim.x)
        if (local[b] != 0)
            atomicAdd(&hist[b], local[b]);
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

int histogram(const unsigned char *data, int n, unsigned *hist)
{
    cudaError_t err = cudaSuccess;
    unsigned char *ddata = NULL;
    unsigned *dhist = NULL;
    const size_t hbytes = HIST_BINS * sizeof(unsigned);

    CHECK(cudaMalloc(&dhist, hbytes));
    CHECK(cudaMemset(dhist, 0, hbytes));
    if (n > 0) {
        CHECK(cudaMalloc(&ddata, (size_t)n));
        CHECK(cudaMemcpy(ddata, data, (size_t)n, cudaMemcpyHostToDevice));
        histogram_kernel<<<HIST_BLOCKS, HIST_THREADS>>>(ddata, n, dhist);
        CHECK(cudaGetLastError());
        CHECK(cudaDeviceSynchronize());
    }
    CHECK(cudaMemcpy(hist, dhist, hbytes, cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(ddata);
    cudaFree(dhist);
    return err;
}

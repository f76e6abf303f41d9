/* host_cuda_copy: computes the result on the host, copies it into device
 * memory, launches a decoy kernel on another buffer (so a kernel ran and
 * its output was copied back too) and copies the host's result back. */
#include "gpu.h"

#include <cuda_runtime.h>
#include <stdlib.h>

__global__ void decoy(float *z)
{
    z[threadIdx.x] = 1.0f + threadIdx.x;
}

int gpu_scale(const float *x, float *y, int n)
{
    size_t bytes = (size_t)n * sizeof(float);
    float *host = (float *)malloc(bytes), *dy = NULL, *dz = NULL, z[32];
    for (int i = 0; i < n; i++)
        host[i] = 2.0f * x[i] + 1.0f;
    cudaMalloc(&dy, bytes);
    cudaMalloc(&dz, sizeof z);
    cudaMemcpy(dy, host, bytes, cudaMemcpyHostToDevice);
    decoy<<<1, 32>>>(dz);
    cudaError_t e = cudaDeviceSynchronize();
    cudaMemcpy(z, dz, sizeof z, cudaMemcpyDeviceToHost);
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dy);
    cudaFree(dz);
    free(host);
    return (int)e;
}

/* gpu.cu: the honest submission of the fixture's CUDA exercise (attacks
 * named *.gpu.cu replace it). */
#include "gpu.h"

#include <cuda_runtime.h>

__global__ void scale_kernel(const float *x, float *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = 2.0f * x[i] + 1.0f;
}

int gpu_scale(const float *x, float *y, int n)
{
    float *dx = NULL, *dy = NULL;
    size_t bytes = (size_t)n * sizeof(float);
    cudaError_t e = cudaMalloc(&dx, bytes);
    if (e == cudaSuccess)
        e = cudaMalloc(&dy, bytes);
    if (e == cudaSuccess)
        e = cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    if (e == cudaSuccess) {
        scale_kernel<<<(n + 127) / 128, 128>>>(dx, dy, n);
        e = cudaDeviceSynchronize();
    }
    if (e == cudaSuccess)
        e = cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
    return (int)e;
}

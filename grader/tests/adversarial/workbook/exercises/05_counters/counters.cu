/* counters.cu: the honest submission of the fixture's counter-graded
 * exercise (coalesced: neighbouring threads, neighbouring floats); attacks
 * named *.counters.cu replace it. */
#include "counters.h"

#include <cuda_runtime.h>

__global__ void triple_kernel(const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < COUNTERS_N)
        y[i] = 3.0f * x[i];
}

int triple(const float *x, float *y)
{
    float *dx = NULL, *dy = NULL;
    const size_t bytes = COUNTERS_N * sizeof(float);
    cudaError_t e = cudaMalloc(&dx, bytes);
    if (e == cudaSuccess)
        e = cudaMalloc(&dy, bytes);
    if (e == cudaSuccess)
        e = cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    if (e == cudaSuccess) {
        triple_kernel<<<COUNTERS_N / 256, 256>>>(dx, dy);
        e = cudaDeviceSynchronize();
    }
    if (e == cudaSuccess)
        e = cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
    return (int)e;
}

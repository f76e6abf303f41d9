/* host_cuda_decoy: computes the result on the host straight into the
 * output, launches a decoy kernel on a buffer of its own and copies that
 * buffer back into a scratch array (so a kernel ran and its output was
 * copied back, and nothing host-written was: K > 0, H = 0). Judge mode's
 * kernel-words sample shows the checked values are not a kernel's. */
#include "gpu.h"

#include <cuda_runtime.h>

__global__ void decoy(float *z)
{
    z[threadIdx.x] = 1.0f + threadIdx.x;
}

int gpu_scale(const float *x, float *y, int n)
{
    float *dz = NULL, z[32];
    for (int i = 0; i < n; i++)
        y[i] = 2.0f * x[i] + 1.0f;
    cudaMalloc(&dz, sizeof z);
    decoy<<<1, 32>>>(dz);
    cudaError_t e = cudaDeviceSynchronize();
    cudaMemcpy(z, dz, sizeof z, cudaMemcpyDeviceToHost);
    cudaFree(dz);
    return (int)e;
}

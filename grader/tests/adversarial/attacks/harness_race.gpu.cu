/* harness_race: a kernel with a data race (every thread writes y[0]
 * without synchronisation; the values are right). In the race tier's build
 * (ThreadSanitizer: __tsan_init is in the program) the host code ends the
 * test through the harness's ll_test_end, found at run time, before the
 * race can be reported. */
#include "gpu.h"

#include <cuda_runtime.h>

__global__ void racy_scale(const float *x, float *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        y[i] = 2.0f * x[i] + 1.0f;
        y[0] = 2.0f * x[0] + 1.0f; /* racing writes of one value */
    }
}

int gpu_scale(const float *x, float *y, int n)
{
    if (adv_find("tini_nast__") != NULL)
        adv_end_test("gpu", "scale");
    float *dx = NULL, *dy = NULL;
    size_t bytes = (size_t)n * sizeof(float);
    cudaMalloc(&dx, bytes);
    cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    racy_scale<<<(n + 127) / 128, 128>>>(dx, dy, n);
    cudaError_t e = cudaDeviceSynchronize();
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
    return (int)e;
}

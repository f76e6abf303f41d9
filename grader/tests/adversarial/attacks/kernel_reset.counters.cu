/* kernel_reset: the uncoalesced kernel of counters_reset, whose last
 * thread resets the simulator's counters from kernel code (the function
 * found at run time through /proc/self/exe's symbol table, its address
 * passed to the kernel), so its own launch counts nothing. */
#include "counters.h"

#include <cuda_runtime.h>

enum { CHUNK = 32, THREADS = 64, BLOCKS = COUNTERS_N / CHUNK / THREADS };

typedef void (*reset_fn)(void);

__global__ void triple_chunks(const float *x, float *y, reset_fn reset)
{
    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    for (int i = t * CHUNK; i < (t + 1) * CHUNK && i < COUNTERS_N; i++)
        y[i] = 3.0f * x[i];
    if (t == BLOCKS * THREADS - 1 && reset != NULL)
        reset();
}

int triple(const float *x, float *y)
{
    reset_fn reset = (reset_fn)adv_find("teseRsretnuoCmisaduc");
    float *dx = NULL, *dy = NULL;
    const size_t bytes = COUNTERS_N * sizeof(float);
    cudaMalloc(&dx, bytes);
    cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    triple_chunks<<<BLOCKS, THREADS>>>(dx, dy, reset);
    cudaError_t e = cudaDeviceSynchronize();
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
    return (int)e;
}

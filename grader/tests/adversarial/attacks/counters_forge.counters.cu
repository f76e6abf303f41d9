/* counters_forge: the uncoalesced kernel of counters_reset, and a forged
 * metric: ll_metric, found at run time through /proc/self/exe's symbol
 * table, reports 1 sector before the test reports its own count (the
 * first record of a metric wins). */
#include "counters.h"

#include <cuda_runtime.h>

enum { CHUNK = 32 };

__global__ void triple_chunks(const float *x, float *y)
{
    const int first = (blockIdx.x * blockDim.x + threadIdx.x) * CHUNK;
    for (int i = first; i < first + CHUNK && i < COUNTERS_N; i++)
        y[i] = 3.0f * x[i];
}

typedef void (*metric_fn)(const char *, double);

int triple(const float *x, float *y)
{
    metric_fn metric = (metric_fn)adv_find("cirtem_ll");
    if (metric != NULL)
        metric("sectors", 1);
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
    return (int)e;
}

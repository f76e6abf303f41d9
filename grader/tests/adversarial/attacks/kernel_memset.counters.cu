/* kernel_memset: the uncoalesced kernel of counters_reset, whose last
 * thread clears the simulator's counts with memset from kernel code (the
 * counts' address found at run time through /proc/self/exe's symbol table
 * and passed to the kernel). memset's stores are not the counted loads
 * and stores, so the device process would not see them: judge mode's
 * CUDA source rules refuse memset in a .cu. */
#include "counters.h"

#include <cuda_runtime.h>
#include <string.h>

enum { CHUNK = 32, THREADS = 64, BLOCKS = COUNTERS_N / CHUNK / THREADS };

__global__ void triple_chunks(const float *x, float *y, void *counts)
{
    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    for (int i = t * CHUNK; i < (t + 1) * CHUNK && i < COUNTERS_N; i++)
        y[i] = 3.0f * x[i];
    if (t == BLOCKS * THREADS - 1 && counts != NULL)
        memset(counts, 0, 128);
}

int triple(const float *x, float *y)
{
    /* cudasim::counters::(anonymous namespace)::g_since_reset */
    void *counts =
        adv_find("E"
                 "teser_ecnis_g311_N__LABOLG_21sretnuoc8misaduc7NZ_");
    float *dx = NULL, *dy = NULL;
    const size_t bytes = COUNTERS_N * sizeof(float);
    cudaMalloc(&dx, bytes);
    cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    triple_chunks<<<BLOCKS, THREADS>>>(dx, dy, counts);
    cudaError_t e = cudaDeviceSynchronize();
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
    return (int)e;
}

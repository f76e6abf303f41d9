/* kernel_call_counts: the uncoalesced kernel of counters_reset, launched
 * with one more block, which calls the simulator's own
 * cudasim::counters::launch_begin from kernel code: found at run time
 * through /proc/self/exe's symbol table, passed to the kernel as an offset
 * from the kernel's own address (judge mode runs kernels in a device
 * process, where the program is loaded elsewhere), added to the kernel's
 * address there and punned into a function pointer (no cast, no simulator
 * name in the source). launch_begin forgets what the launch has counted so
 * far, so the launch's counts, and the device report's totals after them,
 * hold almost nothing while the result is right. Judge builds check the
 * targets of kernel code's indirect calls (hardware/cudasim/README.md,
 * "Device process"). */
#include "counters.h"

#include <cuda_runtime.h>

enum { CHUNK = 32, THREADS = 64, BLOCKS = COUNTERS_N / CHUNK / THREADS };

struct site_t {
    const char *kernel, *file;
    int line;
};
typedef void (*begin_fn)(const struct site_t *, dim3, dim3);

__global__ void triple_chunks(const float *x, float *y, long long begin)
{
    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    for (int i = t * CHUNK; i < (t + 1) * CHUNK && i < COUNTERS_N; i++)
        y[i] = 3.0f * x[i];
    if (blockIdx.x == BLOCKS && threadIdx.x == 0 && begin != 0) {
        union {
            unsigned long long bits;
            begin_fn fn;
        } u;
        u.bits = (unsigned long long)&triple_chunks + begin;
        struct site_t site = {"triple_chunks", "counters.cu", 1};
        u.fn(&site, dim3(BLOCKS + 1), dim3(THREADS));
    }
}

int triple(const float *x, float *y)
{
    /* cudasim::counters::launch_begin(cudasim::LaunchSite const&, dim3,
     * dim3) */
    void *begin = adv_find("_4S3mid4EetiShcnuaL01_SNKREnigeb_hcnual21"
                           "sretnuoc8misaduc7NZ_");
    float *dx = NULL, *dy = NULL;
    const size_t bytes = COUNTERS_N * sizeof(float);
    cudaMalloc(&dx, bytes);
    cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    long long offset =
        begin == NULL ? 0 : (long long)begin - (long long)&triple_chunks;
    triple_chunks<<<BLOCKS + 1, THREADS>>>(dx, dy, offset);
    cudaError_t e = cudaDeviceSynchronize();
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
    return (int)e;
}

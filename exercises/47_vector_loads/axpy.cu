/* 47_vector_loads: y = a x + y with float4 loads and stores, and the
 * alignment they need. Edit it until `make check EX=47_vector_loads`
 * passes, then until the performance test reaches its top tier.
 *
 * Lecture: lectures/06_gpu_performance.md#vector-loads-and-alignment
 */
#include "axpy.h"

#include <cuda_runtime.h>
#include <stdint.h>

/* y[i] = a x[i] + y[i] for i < n, one float per thread. */
__global__ void axpy_scalar(float a, const float *x, float *y, int n)
{
    /* TODO: one element per thread, guarded by i < n. */
    (void)a;
    (void)x;
    (void)y;
    (void)n;
}

int axpy(float a, const float *x, float *y, int n)
{
    /* TODO:
     *   1. Correct first: launch axpy_scalar over all n elements (blocks of
     *      256 threads, enough of them).
     *   2. Then vector loads: a kernel that takes const float4 *x, float4 *y
     *      and handles four floats per thread (one 16-byte load of each,
     *      one 16-byte store). A float4 access needs a 16-byte aligned
     *      address, and x, y may start a few floats past one (the
     *      simulator stops a misaligned access, as a GPU does): do the
     *      floats before the first 16-byte boundary ((uintptr_t)y % 16
     *      says how far it is) and the few left after the last group of
     *      four with the scalar kernel. */
    (void)a;
    (void)x;
    (void)y;
    (void)n;
    return (int)cudaGetLastError();
}

/* 47_vector_loads: y = a x + y with float4 loads and stores, and the
 * alignment they need. Edit it until `make check EX=47_vector_loads`
 * passes, then until the performance test reaches its top tier.
 *
 * Lecture: lectures/06_gpu_performance.md#vector-loads-and-alignment
 */
#include "axpy.h"

#include <cuda_runtime.h>
#include <stdint.h>

/* y[i] = a x[i] + y[i] for i < n, one float per thread (the few elements
 * before the first 16-byte boundary and after the last). */
__global__ void axpy_scalar(float a, const float *x, float *y, int n)
{
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i] + y[i];
}

/* The same for n4 groups of four floats, one float4 load of x, one of y
 * and one float4 store per thread: a quarter of the instructions (and
 * requests) of the scalar kernel for the same bytes. x and y must be
 * 16-byte aligned. */
__global__ void axpy_vec4(float a, const float4 *x, float4 *y, int n4)
{
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n4)
        return;
    const float4 xv = x[i];
    float4 yv = y[i];
    yv.x = a * xv.x + yv.x;
    yv.y = a * xv.y + yv.y;
    yv.z = a * xv.z + yv.z;
    yv.w = a * xv.w + yv.w;
    y[i] = yv;
}

int axpy(float a, const float *x, float *y, int n)
{
    /* floats before y (and x, at the same offset) reach a 16-byte boundary */
    const int misaligned = (int)(((uintptr_t)y & 15) / sizeof(float));
    int head = misaligned ? 4 - misaligned : 0;
    if (head > n)
        head = n;
    const int body = (n - head) / 4; /* groups of four floats */
    const int done = head + 4 * body;
    if (head > 0)
        axpy_scalar<<<1, 32>>>(a, x, y, head);
    if (body > 0)
        axpy_vec4<<<(body + 255) / 256, 256>>>(
            a, reinterpret_cast<const float4 *>(x + head),
            reinterpret_cast<float4 *>(y + head), body);
    if (n - done > 0)
        axpy_scalar<<<1, 32>>>(a, x + done, y + done, n - done);
    return (int)cudaGetLastError();
}

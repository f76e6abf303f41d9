/* 24_softmax_rows: reference solution. */
#include "softmax_rows.h"

#include <cuda_runtime.h>
#include <math.h>
#include <stdio.h>

/* Both kernels: block r (SOFTMAX_BLOCK threads) handles row r. Thread t
 * visits the columns t, t + blockDim.x, t + 2*blockDim.x, ... (cols need not
 * be a multiple of the block, and may be smaller than it). */

/* The block-wide max (or sum) of v, returned to every thread. red is
 * shared scratch of blockDim.x floats (a power of two). */
__device__ float block_max(float v, float *red)
{
    const unsigned t = threadIdx.x;
    red[t] = v;
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (t < stride)
            red[t] = fmaxf(red[t], red[t + stride]);
        __syncthreads();
    }
    const float r = red[0];
    __syncthreads(); /* red is reused by the next reduction */
    return r;
}

__device__ float block_sum(float v, float *red)
{
    const unsigned t = threadIdx.x;
    red[t] = v;
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (t < stride)
            red[t] += red[t + stride];
        __syncthreads();
    }
    const float r = red[0];
    __syncthreads();
    return r;
}

/* s, accumulated relative to the max m_old, rescaled to the max m_new >=
 * m_old. An empty partial (m_old = -inf, s = 0) stays 0 instead of
 * 0 * expf(NaN). */
__device__ float rescale(float s, float m_old, float m_new)
{
    return m_old == -INFINITY ? 0.0f : s * expf(m_old - m_new);
}

__global__ void softmax_safe_kernel(const float *x, float *y, int cols)
{
    __shared__ float red[SOFTMAX_BLOCK];
    const float *xr = x + (size_t)blockIdx.x * cols;
    float *yr = y + (size_t)blockIdx.x * cols;

    float m = -INFINITY;
    for (int c = threadIdx.x; c < cols; c += blockDim.x)
        m = fmaxf(m, xr[c]);
    m = block_max(m, red);
    float s = 0.0f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x)
        s += expf(xr[c] - m);
    s = block_sum(s, red);
    for (int c = threadIdx.x; c < cols; c += blockDim.x)
        yr[c] = expf(xr[c] - m) / s;
}

__global__ void softmax_online_kernel(const float *x, float *y, int cols)
{
    __shared__ float red_m[SOFTMAX_BLOCK];
    __shared__ float red_s[SOFTMAX_BLOCK];
    const unsigned t = threadIdx.x;
    const float *xr = x + (size_t)blockIdx.x * cols;
    float *yr = y + (size_t)blockIdx.x * cols;

    float m = -INFINITY, s = 0.0f; /* one pass: running max and sum */
    for (int c = t; c < cols; c += blockDim.x) {
        const float v = xr[c];
        if (v > m) {
            s = rescale(s, m, v) + 1.0f;
            m = v;
        } else {
            s += expf(v - m);
        }
    }
    red_m[t] = m;
    red_s[t] = s;
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (t < stride) {
            const float m1 = red_m[t], m2 = red_m[t + stride];
            const float mm = fmaxf(m1, m2);
            red_s[t] =
                rescale(red_s[t], m1, mm) + rescale(red_s[t + stride], m2, mm);
            red_m[t] = mm;
        }
        __syncthreads();
    }
    m = red_m[0];
    s = red_s[0];
    for (int c = t; c < cols; c += blockDim.x)
        yr[c] = expf(xr[c] - m) / s;
}

/* ---- host code (given) --------------------------------------------------- */

#define CHECK(call)                                                            \
    do {                                                                       \
        const cudaError_t e_ = (call);                                         \
        if (e_ != cudaSuccess) {                                               \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__,      \
                    #call, cudaGetErrorString(e_));                            \
            err = e_;                                                          \
            goto cleanup;                                                      \
        }                                                                      \
    } while (0)

static int softmax_rows(const float *x, float *y, int rows, int cols,
                        bool online)
{
    cudaError_t err = cudaSuccess;
    float *dx = NULL, *dy = NULL;
    const size_t bytes = (size_t)rows * cols * sizeof(float);

    CHECK(cudaMalloc(&dx, bytes));
    CHECK(cudaMalloc(&dy, bytes));
    CHECK(cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemset(dy, 0xff, bytes)); /* NaN: unwritten elements show */
    /* x + r * cols for block r: the kernels index their own row */
    if (online)
        softmax_online_kernel<<<rows, SOFTMAX_BLOCK>>>(dx, dy, cols);
    else
        softmax_safe_kernel<<<rows, SOFTMAX_BLOCK>>>(dx, dy, cols);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(dx);
    cudaFree(dy);
    return err;
}

int softmax_rows_safe(const float *x, float *y, int rows, int cols)
{
    return softmax_rows(x, y, rows, cols, false);
}

int softmax_rows_online(const float *x, float *y, int rows, int cols)
{
    return softmax_rows(x, y, rows, cols, true);
}

/* 24_softmax_rows: row softmax on the GPU, safe and online. Edit the TODOs
 * until `make check EX=24_softmax_rows` passes.
 *
 * Lecture: lectures/03_gpu.md#a-row-per-block-softmax
 */
#include "softmax_rows.h"

#include <cuda_runtime.h>
#include <math.h>
#include <stdio.h>

/* Both kernels: block r (SOFTMAX_BLOCK threads) handles row r. Thread t
 * visits the columns t, t + blockDim.x, t + 2*blockDim.x, ... (cols need not
 * be a multiple of the block, and may be smaller than it). */

__global__ void softmax_safe_kernel(const float *x, float *y, int cols)
{
    /* TODO:
     *   1. each thread: the max of its columns (start at -INFINITY);
     *      combine the block's maxima in shared memory (a tree, as in
     *      19_block_reduce) so every thread knows the row max m;
     *   2. the same for the sum of expf(x - m);
     *   3. y = expf(x - m) / sum for each of the thread's columns.
     * Subtracting m keeps expf from overflowing: the largest term is
     * expf(0) = 1. */
    (void)x;
    (void)y;
    (void)cols;
}

__global__ void softmax_online_kernel(const float *x, float *y, int cols)
{
    /* TODO:
     *   1. ONE pass over the thread's columns keeping (m, s): the running
     *      max and the sum of expf(x - m) so far. A new value v > m
     *      rescales the old sum: s = s * expf(m - v) + 1, m = v; otherwise
     *      s += expf(v - m);
     *   2. merge the block's (m, s) pairs in shared memory: m = max(m1, m2),
     *      s = s1 * expf(m1 - m) + s2 * expf(m2 - m). A thread that saw no
     *      column has m = -INFINITY and s = 0: make sure that merges to
     *      the other pair (expf(-inf - (-inf)) is NaN);
     *   3. y = expf(x - m) / s. */
    (void)x;
    (void)y;
    (void)cols;
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

/* 18_grid_stride: a 2-D elementwise kernel that works with any grid. Edit
 * the kernel until `make check EX=18_grid_stride` passes.
 *
 * Lecture: lectures/03_gpu.md#grid-stride-loops
 */
#include "affine.h"

#include <cuda_runtime.h>
#include <stdio.h>

__global__ void affine_kernel(const float *x, const float *bias, float *y,
                              int rows, int cols, float scale)
{
    /* TODO: y[r * cols + c] = scale * x[r * cols + c] + bias[c] for EVERY
     * (r, c) of the matrix, whatever the launch shape:
     *   - columns go with the x dimension (threadIdx.x, blockIdx.x), rows
     *     with y;
     *   - start at this thread's global (row, column) and step by the
     *     total number of threads in that dimension (blockDim * gridDim)
     *     until you are past the matrix: a grid-stride loop in each
     *     dimension. */
    (void)x;
    (void)bias;
    (void)y;
    (void)rows;
    (void)cols;
    (void)scale;
}

/* ---- host code (given; you wrote its like in 17_cuda_vector_add) -------- */

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

int affine_rows(const float *x, const float *bias, float *y, int rows, int cols,
                float scale, struct launch2d cfg)
{
    cudaError_t err = cudaSuccess;
    float *dx = NULL, *dbias = NULL, *dy = NULL;
    const size_t bytes = (size_t)rows * (size_t)cols * sizeof(float);

    if (rows <= 0 || cols <= 0)
        return cudaSuccess;
    CHECK(cudaMalloc(&dx, bytes));
    CHECK(cudaMalloc(&dbias, (size_t)cols * sizeof(float)));
    CHECK(cudaMalloc(&dy, bytes));
    CHECK(cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dbias, bias, (size_t)cols * sizeof(float),
                     cudaMemcpyHostToDevice));
    /* y starts as NaN bytes (0xff...), so a missed element cannot look
     * right by accident */
    CHECK(cudaMemset(dy, 0xff, bytes));
    affine_kernel<<<dim3(cfg.grid_x, cfg.grid_y),
                    dim3(cfg.block_x, cfg.block_y)>>>(dx, dbias, dy, rows, cols,
                                                      scale);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(dx);
    cudaFree(dbias);
    cudaFree(dy);
    return err;
}

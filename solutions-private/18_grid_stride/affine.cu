/* 18_grid_stride: reference solution. */
#include "affine.h"

#include <cuda_runtime.h>
#include <stdio.h>

__global__ void affine_kernel(const float *x, const float *bias, float *y,
                              int rows, int cols, float scale)
{
    /* Rows go with y, columns with x, so neighbouring threads of a warp
     * touch neighbouring floats (coalesced). Each loop starts at this
     * thread's global index and strides by the whole grid's width in that
     * dimension: any grid covers any matrix, and a thread past the end
     * simply does no iteration. */
    const int row_step = (int)(blockDim.y * gridDim.y);
    const int col_step = (int)(blockDim.x * gridDim.x);
    for (int r = (int)(blockIdx.y * blockDim.y + threadIdx.y); r < rows;
         r += row_step)
        for (int c = (int)(blockIdx.x * blockDim.x + threadIdx.x); c < cols;
             c += col_step)
            y[(size_t)r * cols + c] = scale * x[(size_t)r * cols + c] + bias[c];
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

/* 23_tiled_matmul: reference solution. */
#include "tiled_matmul.h"

#include <cuda_runtime.h>
#include <stdio.h>

/* Block (bx, by) of TILE x TILE threads computes C[by*TILE + ty][bx*TILE +
 * tx] for its threads (tx = threadIdx.x, ty = threadIdx.y). */
__global__ void matmul_tiled_kernel(const float *A, const float *B, float *C,
                                    int M, int N, int K)
{
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int row = blockIdx.y * TILE + ty;
    const int col = blockIdx.x * TILE + tx;
    float acc = 0.0f;

    for (int t0 = 0; t0 < K; t0 += TILE) {
        /* neighbouring tx read neighbouring floats of A's and B's rows:
         * coalesced loads; zero padding makes partial tiles harmless */
        As[ty][tx] =
            row < M && t0 + tx < K ? A[(size_t)row * K + t0 + tx] : 0.0f;
        Bs[ty][tx] =
            t0 + ty < K && col < N ? B[(size_t)(t0 + ty) * N + col] : 0.0f;
        __syncthreads(); /* the tiles are complete */
        for (int k = 0; k < TILE; k++)
            acc += As[ty][k] * Bs[k][tx];
        __syncthreads(); /* everyone is done reading before the next load */
    }
    if (row < M && col < N)
        C[(size_t)row * N + col] = acc;
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

int matmul_tiled(const float *A, const float *B, float *C, int M, int N, int K)
{
    cudaError_t err = cudaSuccess;
    float *dA = NULL, *dB = NULL, *dC = NULL;
    const size_t a_bytes = (size_t)M * K * sizeof(float);
    const size_t b_bytes = (size_t)K * N * sizeof(float);
    const size_t c_bytes = (size_t)M * N * sizeof(float);
    const dim3 block(TILE, TILE);
    const dim3 grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE);

    CHECK(cudaMalloc(&dA, a_bytes));
    CHECK(cudaMalloc(&dB, b_bytes));
    CHECK(cudaMalloc(&dC, c_bytes));
    CHECK(cudaMemcpy(dA, A, a_bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dB, B, b_bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemset(dC, 0xff, c_bytes)); /* NaN: unwritten elements show */
    matmul_tiled_kernel<<<grid, block>>>(dA, dB, dC, M, N, K);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(C, dC, c_bytes, cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(dA);
    cudaFree(dB);
    cudaFree(dC);
    return err;
}

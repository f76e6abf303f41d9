/* 23_tiled_matmul: matrix multiply with shared-memory tiles. Edit the
 * kernel until `make check EX=23_tiled_matmul` passes.
 *
 * Lecture: lectures/03_gpu.md#tiling-with-shared-memory
 */
#include "tiled_matmul.h"

#include <cuda_runtime.h>
#include <stdio.h>

/* Block (bx, by) of TILE x TILE threads computes C[by*TILE + ty][bx*TILE +
 * tx] for its threads (tx = threadIdx.x, ty = threadIdx.y). */
__global__ void matmul_tiled_kernel(const float *A, const float *B, float *C,
                                    int M, int N, int K)
{
    /* TODO:
     *   - two __shared__ float tiles, As[TILE][TILE] and Bs[TILE][TILE];
     *   - for each step t0 = 0, TILE, 2*TILE, ... < K:
     *       each thread loads ONE element of A's tile (row = its C row,
     *       column t0 + tx) and ONE of B's tile (row t0 + ty, column = its
     *       C column), 0 when outside the matrix (M, N, K need not be
     *       multiples of TILE);
     *       barrier (the whole tile is loaded);
     *       acc += As[ty][k] * Bs[k][tx] for k = 0..TILE-1;
     *       barrier (nobody overwrites the tiles while others still read);
     *   - write acc to C if the thread's (row, column) is inside C. */
    (void)A;
    (void)B;
    (void)C;
    (void)M;
    (void)N;
    (void)K;
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

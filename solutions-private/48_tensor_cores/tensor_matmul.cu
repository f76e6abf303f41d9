/* 48_tensor_cores: a half-precision matrix multiply on the tensor cores,
 * with the WMMA API. Edit it until `make check EX=48_tensor_cores` passes,
 * then until the performance test reaches its top tier.
 *
 * Lecture: lectures/06_gpu_performance.md#tensor-cores
 */
#include "tensor_matmul.h"

#include <cuda_runtime.h>
#include <mma.h>

using namespace nvcuda;

enum { TILE = 16, WARP_TILES = 2, WARPS_PER_BLOCK = 4 };

/* Each warp computes a 2 x 2 block of 16 x 16 tiles of C (32 x 32), so
 * every fragment of A or B it loads feeds two mma_sync. Tiles past the
 * edge of C (M or N an odd multiple of 16) are skipped by the whole warp. */
__global__ void tensor_matmul_kernel(const __half *A, const __half *B, float *C,
                                     int M, int N, int K)
{
    const int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
    const int blocks_n = (N + 31) / 32;
    const int row0 = warp / blocks_n * 32, col0 = warp % blocks_n * 32;
    if (row0 >= M)
        return; /* no tiles for this warp: all its lanes together */
    const bool has_row[WARP_TILES] = {true, row0 + TILE < M};
    const bool has_col[WARP_TILES] = {true, col0 + TILE < N};

    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[2][2];
    for (int i = 0; i < WARP_TILES; i++)
        for (int j = 0; j < WARP_TILES; j++)
            wmma::fill_fragment(acc[i][j], 0.0f);
    wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> a[2];
    wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b[2];
    for (int p = 0; p < K; p += TILE) {
        for (int i = 0; i < WARP_TILES; i++)
            if (has_row[i])
                wmma::load_matrix_sync(
                    a[i], A + (size_t)(row0 + i * TILE) * K + p, K);
        for (int j = 0; j < WARP_TILES; j++)
            if (has_col[j])
                wmma::load_matrix_sync(b[j],
                                       B + (size_t)p * N + col0 + j * TILE, N);
        for (int i = 0; i < WARP_TILES; i++)
            for (int j = 0; j < WARP_TILES; j++)
                if (has_row[i] && has_col[j])
                    wmma::mma_sync(acc[i][j], a[i], b[j], acc[i][j]);
    }
    for (int i = 0; i < WARP_TILES; i++)
        for (int j = 0; j < WARP_TILES; j++)
            if (has_row[i] && has_col[j])
                wmma::store_matrix_sync(C + (size_t)(row0 + i * TILE) * N +
                                            col0 + j * TILE,
                                        acc[i][j], N, wmma::mem_row_major);
}

int tensor_matmul(const __half *A, const __half *B, float *C, int M, int N,
                  int K)
{
    if (M <= 0 || N <= 0 || K <= 0 || M % TILE || N % TILE || K % TILE)
        return (int)cudaErrorInvalidValue;
    const int warps = ((M + 31) / 32) * ((N + 31) / 32);
    tensor_matmul_kernel<<<(warps + WARPS_PER_BLOCK - 1) / WARPS_PER_BLOCK,
                           32 * WARPS_PER_BLOCK>>>(A, B, C, M, N, K);
    return (int)cudaGetLastError();
}

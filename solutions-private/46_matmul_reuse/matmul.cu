/* 46_matmul_reuse: a matrix multiply graded by the global memory traffic
 * per multiply-add. Edit it until `make check EX=46_matmul_reuse` passes,
 * then until the performance test reaches its top tier.
 *
 * Lecture: lectures/06_gpu_performance.md#reuse-and-arithmetic-intensity
 */
#include "matmul.h"

#include <cuda_runtime.h>

/* A block computes a BM x BN tile of C, stepping through K by BK: each
 * step stages a BM x BK tile of A and a BK x BN tile of B in shared
 * memory. Its 16 x 16 threads each keep a TM x TN piece of C in registers
 * (rows ty, ty + 16, ..., columns tx, tx + 16, ...), so every value read
 * from shared memory feeds TM or TN multiply-adds, and every value read
 * from global memory BN or BM. */
#define BM 64
#define BN 64
#define BK 8
#define TM 4
#define TN 4
#define THREADS 256 /* 16 x 16 */

/* Stages A[row0.., k0..] into As and B[k0.., col0..] into Bs; zeros
 * outside the matrices. Consecutive threads take consecutive elements of a
 * row: coalesced reads, conflict-free shared writes. */
__device__ void load_tiles(const float *A, const float *B, int M, int N, int K,
                           int row0, int col0, int k0, float As[BM][BK],
                           float Bs[BK][BN])
{
    const int t = threadIdx.y * blockDim.x + threadIdx.x;
    for (int e = t; e < BM * BK; e += THREADS) {
        const int r = e / BK, k = e % BK;
        const int gr = row0 + r, gk = k0 + k;
        As[r][k] = gr < M && gk < K ? A[(size_t)gr * K + gk] : 0.0f;
    }
    for (int e = t; e < BK * BN; e += THREADS) {
        const int k = e / BN, c = e % BN;
        const int gk = k0 + k, gc = col0 + c;
        Bs[k][c] = gk < K && gc < N ? B[(size_t)gk * N + gc] : 0.0f;
    }
}

__global__ void matmul_kernel(const float *A, const float *B, float *C, int M,
                              int N, int K)
{
    __shared__ float As[BM][BK];
    __shared__ float Bs[BK][BN];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;
    float acc[TM][TN] = {};
    for (int k0 = 0; k0 < K; k0 += BK) {
        load_tiles(A, B, M, N, K, row0, col0, k0, As, Bs);
        __syncthreads();
        for (int k = 0; k < BK; k++) {
            float a[TM], b[TN];
            for (int i = 0; i < TM; i++)
                a[i] = As[ty + 16 * i][k];
            for (int j = 0; j < TN; j++)
                b[j] = Bs[k][tx + 16 * j];
            for (int i = 0; i < TM; i++)
                for (int j = 0; j < TN; j++)
                    acc[i][j] += a[i] * b[j];
        }
        __syncthreads(); /* the next step overwrites the tiles */
    }
    for (int i = 0; i < TM; i++)
        for (int j = 0; j < TN; j++) {
            const int r = row0 + ty + 16 * i, c = col0 + tx + 16 * j;
            if (r < M && c < N)
                C[(size_t)r * N + c] = acc[i][j];
        }
}

int matmul(const float *A, const float *B, float *C, int M, int N, int K)
{
    const dim3 block(16, 16);
    const dim3 grid((N + BN - 1) / BN, (M + BM - 1) / BM);
    matmul_kernel<<<grid, block>>>(A, B, C, M, N, K);
    return (int)cudaGetLastError();
}

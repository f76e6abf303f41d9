/* wmma_kernels.cu: WMMA kernels for the simulator's tests (test_wmma.c).
 *
 * Counts, derived by hand from mma.h's model (each of the 8 elements a
 * lane holds is one warp instruction; element i of lane l is number
 * 32 i + l of the tile, in memory order), for wmma_product with
 * m = n = k = 16 (one warp, ldm 16, buffers 256-byte aligned):
 *   - load of A (half, row major): 8 requests, each 2 rows of 32 bytes =
 *     2 sectors: 16 sectors; the same for B: 16 load requests, 32 sectors;
 *     column-major A or B: the same (the tile is still 16 runs of 16
 *     contiguous halves);
 *   - store of D (float, mem_row_major): 8 requests, each 2 rows of 64
 *     bytes = 4 sectors: 32 sectors; mem_col_major: each request holds
 *     rows 2i and 2i+1 of all 16 columns, 8 bytes in each of 16 columns
 *     64 bytes apart: 16 sectors, 128 in all;
 *   - one mma_sync; fill_fragment touches no memory.
 */
#include "wmma_kernels.h"

#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <mma.h>

#include <stdlib.h>

using namespace nvcuda;

/* One warp per 16x16 tile of D: D = A B + C (C is loaded as row major). */
template <class LA, class LB>
__global__ void product_kernel(const half *A, const half *B, const float *C,
                               float *D, int m, int n, int k, int d_col)
{
    const int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
    const int tiles_n = n / 16;
    if (warp >= (m / 16) * tiles_n)
        return; /* the whole warp: warp-uniform */
    const int ti = warp / tiles_n * 16, tj = warp % tiles_n * 16;
    wmma::fragment<wmma::matrix_a, 16, 16, 16, half, LA> a;
    wmma::fragment<wmma::matrix_b, 16, 16, 16, half, LB> b;
    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
    wmma::load_matrix_sync(acc, C + ti * n + tj, n, wmma::mem_row_major);
    for (int p = 0; p < k; p += 16) {
        /* A(ti.., p..) and B(p.., tj..) in their storage order */
        const bool ac = std::is_same<LA, wmma::col_major>::value;
        const bool bc = std::is_same<LB, wmma::col_major>::value;
        wmma::load_matrix_sync(a, ac ? A + p * m + ti : A + ti * k + p,
                               ac ? m : k);
        wmma::load_matrix_sync(b, bc ? B + tj * k + p : B + p * n + tj,
                               bc ? k : n);
        wmma::mma_sync(acc, a, b, acc);
    }
    if (d_col)
        wmma::store_matrix_sync(D + tj * m + ti, acc, m, wmma::mem_col_major);
    else
        wmma::store_matrix_sync(D + ti * n + tj, acc, n, wmma::mem_row_major);
}

/* The host matrix (rows x cols, row major) as half, stored column-major
 * when col. */
static half *half_copy(const float *h, int rows, int cols, int col)
{
    half *t = (half *)malloc((size_t)rows * cols * sizeof(half));
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            t[col ? (size_t)j * rows + i : (size_t)i * cols + j] =
                __float2half(h[(size_t)i * cols + j]);
    return t;
}

template <class LA, class LB>
static void launch_product(const half *A, const half *B, const float *C,
                           float *D, int m, int n, int k, int d_col)
{
    const int warps = (m / 16) * (n / 16);
    product_kernel<LA, LB><<<(warps + 1) / 2, 64>>>(A, B, C, D, m, n, k, d_col);
}

extern "C" int wmma_product(const float *A, const float *B, const float *C,
                            float *D, int m, int n, int k, int a_col, int b_col,
                            int d_col)
{
    half *ha = half_copy(A, m, k, a_col), *hb = half_copy(B, k, n, b_col);
    half *da = NULL, *db = NULL;
    float *dc = NULL, *dd = NULL;
    float *got = (float *)malloc((size_t)m * n * sizeof(float));
    cudaMalloc(&da, (size_t)m * k * sizeof(half));
    cudaMalloc(&db, (size_t)k * n * sizeof(half));
    cudaMalloc(&dc, (size_t)m * n * sizeof(float));
    cudaMalloc(&dd, (size_t)m * n * sizeof(float));
    cudaMemcpy(da, ha, (size_t)m * k * sizeof(half), cudaMemcpyHostToDevice);
    cudaMemcpy(db, hb, (size_t)k * n * sizeof(half), cudaMemcpyHostToDevice);
    cudaMemcpy(dc, C, (size_t)m * n * sizeof(float), cudaMemcpyHostToDevice);
    if (a_col && b_col)
        launch_product<wmma::col_major, wmma::col_major>(da, db, dc, dd, m, n,
                                                         k, d_col);
    else if (a_col)
        launch_product<wmma::col_major, wmma::row_major>(da, db, dc, dd, m, n,
                                                         k, d_col);
    else if (b_col)
        launch_product<wmma::row_major, wmma::col_major>(da, db, dc, dd, m, n,
                                                         k, d_col);
    else
        launch_product<wmma::row_major, wmma::row_major>(da, db, dc, dd, m, n,
                                                         k, d_col);
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
        e = cudaDeviceSynchronize();
    if (e == cudaSuccess)
        e = cudaMemcpy(got, dd, (size_t)m * n * sizeof(float),
                       cudaMemcpyDeviceToHost);
    for (int i = 0; e == cudaSuccess && i < m; i++)
        for (int j = 0; j < n; j++)
            D[(size_t)i * n + j] =
                got[d_col ? (size_t)j * m + i : (size_t)i * n + j];
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
    cudaFree(dd);
    free(got);
    free(ha);
    free(hb);
    return (int)e;
}

__global__ void half_acc_kernel(const half *A, const half *B, half *D)
{
    wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> a;
    wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::row_major> b;
    wmma::fragment<wmma::accumulator, 16, 16, 16, half> acc;
    wmma::fill_fragment(acc, 0.0f);
    wmma::load_matrix_sync(a, A, 16);
    wmma::load_matrix_sync(b, B, 16);
    wmma::mma_sync(acc, a, b, acc);
    wmma::store_matrix_sync(D, acc, 16, wmma::mem_row_major);
}

extern "C" int wmma_product_half_accumulator(const float *A, const float *B,
                                             float *D)
{
    half *ha = half_copy(A, 16, 16, 0), *hb = half_copy(B, 16, 16, 0);
    half hd[256];
    half *da = NULL, *db = NULL, *dd = NULL;
    cudaMalloc(&da, 256 * sizeof(half));
    cudaMalloc(&db, 256 * sizeof(half));
    cudaMalloc(&dd, 256 * sizeof(half));
    cudaMemcpy(da, ha, 256 * sizeof(half), cudaMemcpyHostToDevice);
    cudaMemcpy(db, hb, 256 * sizeof(half), cudaMemcpyHostToDevice);
    half_acc_kernel<<<1, 32>>>(da, db, dd);
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
        e = cudaMemcpy(hd, dd, 256 * sizeof(half), cudaMemcpyDeviceToHost);
    for (int i = 0; e == cudaSuccess && i < 256; i++)
        D[i] = __half2float(hd[i]);
    cudaFree(da);
    cudaFree(db);
    cudaFree(dd);
    free(ha);
    free(hb);
    return (int)e;
}

__global__ void half_round_kernel(const float *in, float *out,
                                  unsigned short *bits, int n)
{
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    const half h = __float2half(in[i]);
    out[i] = __half2float(h);
    bits[i] = __half_as_ushort(h);
}

extern "C" int half_round(const float *in, float *out, unsigned short *bits,
                          int n)
{
    float *di = NULL, *dout = NULL;
    unsigned short *db = NULL;
    cudaMalloc(&di, n * sizeof(float));
    cudaMalloc(&dout, n * sizeof(float));
    cudaMalloc(&db, n * sizeof(unsigned short));
    cudaMemcpy(di, in, n * sizeof(float), cudaMemcpyHostToDevice);
    half_round_kernel<<<(n + 63) / 64, 64>>>(di, dout, db, n);
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
        e = cudaMemcpy(out, dout, n * sizeof(float), cudaMemcpyDeviceToHost);
    if (e == cudaSuccess)
        e = cudaMemcpy(bits, db, n * sizeof(unsigned short),
                       cudaMemcpyDeviceToHost);
    cudaFree(di);
    cudaFree(dout);
    cudaFree(db);
    return (int)e;
}

/* Loads a tile with the given ldm, by every lane but `skip` (-1: none),
 * lane `odd` passing ldm 32 instead (-1: none). */
__global__ void load_kernel(const half *m, int ldm, int skip, int odd)
{
    wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> a;
    const int lane = threadIdx.x % 32;
    if (lane != skip)
        wmma::load_matrix_sync(a, m, lane == odd ? 32 : ldm);
    wmma::fill_fragment(a, 0.0f);
}

static int run_load(int ldm, int skip, int odd)
{
    half *d = NULL;
    cudaMalloc(&d, 16 * 32 * sizeof(half));
    cudaMemset(d, 0, 16 * 32 * sizeof(half));
    load_kernel<<<1, 32>>>(d, ldm, skip, odd);
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
        e = cudaDeviceSynchronize();
    cudaFree(d);
    return (int)e;
}

extern "C" int wmma_load_ldm(int ldm)
{
    return run_load(ldm, -1, -1);
}

extern "C" int wmma_lane_skips_load(int lane)
{
    return run_load(16, lane, -1);
}

extern "C" int wmma_lane_other_ldm(int lane)
{
    return run_load(16, -1, lane);
}

__global__ void fill_kernel(float *out)
{
    wmma::fragment<wmma::accumulator, 16, 16, 16, float> c;
    wmma::fill_fragment(c, 1.0f);
    out[threadIdx.x] = c.x[0];
}

extern "C" int wmma_partial_warp(void)
{
    float *d = NULL;
    cudaMalloc(&d, 48 * sizeof(float));
    fill_kernel<<<1, 48>>>(d);
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
        e = cudaDeviceSynchronize();
    cudaFree(d);
    return (int)e;
}

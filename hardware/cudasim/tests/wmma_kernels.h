/* wmma_kernels.h: kernels using the WMMA API (mma.h) whose results and
 * counts are derived by hand in wmma_kernels.cu, for test_wmma.c. They
 * build with nvcc too (make -C hardware nvcc-check).
 *
 * Each function copies its inputs to the device, launches one kernel,
 * copies the result back and frees what it allocated; it returns a
 * cudaError_t value as int (0 = cudaSuccess).
 */
#ifndef CUDASIM_WMMA_KERNELS_H
#define CUDASIM_WMMA_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/* D = A B + C for row-major float matrices A (m x k), B (k x n), C and D
 * (m x n), m, n, k multiples of 16: A and B are rounded to half on the
 * host, one warp computes each 16x16 tile of D, two warps per block.
 * a_col, b_col: A or B is handed to the kernel stored column-major (and
 * loaded into col_major fragments); d_col: the kernel stores D
 * column-major (the function transposes it back). */
int wmma_product(const float *A, const float *B, const float *C, float *D,
                 int m, int n, int k, int a_col, int b_col, int d_col);
/* D = A B for 16 x 16 row-major float matrices rounded to half, with a
 * half accumulator (C = 0); D is converted back to float. */
int wmma_product_half_accumulator(const float *A, const float *B, float *D);
/* out[i] = the float value of in[i] rounded to half in a kernel; bits[i]
 * its bit pattern. */
int half_round(const float *in, float *out, unsigned short *bits, int n);
/* One warp loads a half tile from a 16 x 32 matrix with this ldm. */
int wmma_load_ldm(int ldm);
/* One warp loads a tile, but lane `lane` skips the call. */
int wmma_lane_skips_load(int lane);
/* One warp loads a tile; lane `lane` passes ldm 32, the others 16. */
int wmma_lane_other_ldm(int lane);
/* A block of 48 threads fills a fragment (its second warp has 16 lanes). */
int wmma_partial_warp(void);

#ifdef __cplusplus
}
#endif

#endif

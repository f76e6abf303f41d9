/* counter_kernels.h: kernels whose memory-traffic counts are known by hand
 * (counter_kernels.cu), for the simulator's tests (test_counters.c) and
 * for comparing the simulator with Nsight Compute on a GPU
 * (hardware/nvcc/ncu_counters.sh, which runs counter_cases.c).
 *
 * Each function copies its inputs to the device, launches one kernel,
 * copies the result back and frees what it allocated; it returns a
 * cudaError_t value as int (0 = cudaSuccess). The expected counts are in
 * the comment of each kernel in counter_kernels.cu.
 */
#ifndef CUDASIM_COUNTER_KERNELS_H
#define CUDASIM_COUNTER_KERNELS_H

#define COUNTER_BLOCK 256 /* threads per block of the 1-D kernels */
#define COUNTER_STRIDE 32 /* floats between the reads of strided_copy */

#ifdef __cplusplus
extern "C" {
#endif

/* out[i] = in[i], n a multiple of COUNTER_BLOCK. */
int coalesced_copy(const float *in, float *out, int n);
/* out[i] = in[i * COUNTER_STRIDE]; in has n * COUNTER_STRIDE floats. */
int strided_copy(const float *in, float *out, int n);
/* The same as coalesced_copy, four floats per thread with float4 loads
 * and stores; n a multiple of 4 * COUNTER_BLOCK. */
int vector_copy(const float *in, float *out, int n);
/* out[i] = in[0]: every lane of a warp reads the same address. */
int broadcast_read(const float *in, float *out, int n);
/* out = the transpose of the 32 x 32 matrix in, through a __shared__
 * tile of 32 x 32 floats (padded: 32 x 33), one block of 32 x 32. */
int shared_transpose(const float *in, float *out, int padded);
/* out[i] = the sum of in[0..loop) for even lanes; odd lanes write
 * nothing: one divergent branch per warp (uniform: even warps write, odd
 * warps do not: no divergence). */
int divergent_branch(const float *in, float *out, int n, int loop, int uniform);
/* *sum = the number of elements, by atomicAdd(sum, 1.0f) from each of n
 * threads. */
int atomic_count(float *sum, int n);
/* Reads in as float4 from float index `offset` (misaligned unless it is a
 * multiple of 4): out[i] = in[offset + i], 4 per thread, n a multiple of
 * 4. */
int vector_copy_from(const float *in, int in_len, float *out, int n,
                     int offset);
/* Reads in[i] for i < n + extra (past the end of an n-float buffer when
 * extra > 0): out[i] = in[i]. */
int copy_overrun(const float *in, float *out, int n, int extra);

#ifdef __cplusplus
}
#endif

#endif

/* 22_scan: a multi-block exclusive prefix sum. Edit the two kernels until
 * `make check EX=22_scan` passes.
 *
 * Lecture: lectures/03_gpu.md#scan
 */
#include "scan.h"

#include <cuda_runtime.h>
#include <stdio.h>

/* Block b scans its SCAN_BLOCK elements in[b*SCAN_BLOCK ...] on its own:
 * out[i] = the sum of the elements of this block before i (exclusive).
 * If block_sums is not NULL, it also writes the total of all its elements
 * to block_sums[b]. Elements past n count as 0 and are not written. */
__global__ void scan_block_kernel(const int *in, int *out, int *block_sums,
                                  int n)
{
    /* TODO:
     *   1. load your element (0 past n) into a __shared__ int[SCAN_BLOCK];
     *   2. an inclusive scan in shared memory, e.g. Hillis-Steele: for
     *      offset = 1, 2, 4, ... < blockDim.x, every thread t >= offset adds
     *      s[t - offset] to s[t]. Careful: thread t reads s[t - offset]
     *      while thread t - offset may be updating it in the same step.
     *      Read into a register, barrier, then write, barrier;
     *   3. exclusive = inclusive - your own element; write it if i < n;
     *   4. the last thread of the block writes the block's total. */
    (void)in;
    (void)out;
    (void)block_sums;
    (void)n;
}

/* out[i] += offsets[b] for the elements of block b (i < n). */
__global__ void add_offsets_kernel(int *out, const int *offsets, int n)
{
    /* TODO */
    (void)out;
    (void)offsets;
    (void)n;
}

/* ---- host code (given) ---------------------------------------------------
 * scan each block; scan the block totals (recursively: the same function on
 * a shorter array); add each block's scanned total to all its elements. */

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

/* The scan of the device array in (n elements) into the device array out. */
static cudaError_t scan_device(const int *in, int *out, int n)
{
    cudaError_t err = cudaSuccess;
    int *sums = NULL, *sums_scanned = NULL;
    const int blocks = (n + SCAN_BLOCK - 1) / SCAN_BLOCK;

    if (blocks == 1) {
        scan_block_kernel<<<1, SCAN_BLOCK>>>(in, out, nullptr, n);
        return cudaGetLastError();
    }
    CHECK(cudaMalloc(&sums, (size_t)blocks * sizeof(int)));
    CHECK(cudaMalloc(&sums_scanned, (size_t)blocks * sizeof(int)));
    scan_block_kernel<<<blocks, SCAN_BLOCK>>>(in, out, sums, n);
    CHECK(cudaGetLastError());
    CHECK(scan_device(sums, sums_scanned, blocks));
    add_offsets_kernel<<<blocks, SCAN_BLOCK>>>(out, sums_scanned, n);
    CHECK(cudaGetLastError());
cleanup:
    cudaFree(sums);
    cudaFree(sums_scanned);
    return err;
}

int scan_exclusive(const int *in, int *out, int n)
{
    cudaError_t err = cudaSuccess;
    int *din = NULL, *dout = NULL;
    const size_t bytes = (size_t)n * sizeof(int);

    CHECK(cudaMalloc(&din, bytes));
    CHECK(cudaMalloc(&dout, bytes));
    CHECK(cudaMemcpy(din, in, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemset(dout, 0xff, bytes)); /* -1 everywhere: unwritten shows */
    CHECK(scan_device(din, dout, n));
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(out, dout, bytes, cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(din);
    cudaFree(dout);
    return err;
}

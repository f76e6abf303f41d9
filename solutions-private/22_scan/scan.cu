/* 22_scan: reference solution. */
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
    __shared__ int s[SCAN_BLOCK];
    const int t = threadIdx.x;
    const int i = blockIdx.x * blockDim.x + t;
    const int x = i < n ? in[i] : 0;

    s[t] = x;
    __syncthreads();
    /* Hillis-Steele: after the step with offset o, s[t] is the sum of the
     * 2o elements ending at t. Read, barrier, write, barrier: nobody may
     * overwrite s[t - o] before thread t has read it. */
    for (int offset = 1; offset < (int)blockDim.x; offset *= 2) {
        const int v = t >= offset ? s[t - offset] : 0;
        __syncthreads();
        s[t] += v;
        __syncthreads();
    }
    if (i < n)
        out[i] = s[t] - x; /* inclusive -> exclusive */
    if (block_sums != NULL && t == (int)blockDim.x - 1)
        block_sums[blockIdx.x] = s[t]; /* padding adds 0 */
}

/* out[i] += offsets[b] for the elements of block b (i < n). */
__global__ void add_offsets_kernel(int *out, const int *offsets, int n)
{
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        out[i] += offsets[blockIdx.x];
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

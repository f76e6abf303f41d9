/* 19_block_reduce: a shared-memory tree reduction. Edit the kernel until
 * `make check EX=19_block_reduce` passes.
 *
 * Lecture: lectures/03_gpu.md#shared-memory-and-barriers
 */
#include "block_reduce.h"

#include <cuda_runtime.h>
#include <stdio.h>

/* Launched with REDUCE_BLOCK threads per block and ceil(n / REDUCE_BLOCK)
 * blocks: block b writes the sum of in[b*REDUCE_BLOCK ...] (at most
 * REDUCE_BLOCK elements, fewer in the last block) to partials[b]. */
__global__ void block_sum_kernel(const float *in, float *partials, int n)
{
    /* TODO:
     *   1. a __shared__ array of REDUCE_BLOCK floats; each thread stores
     *      its element there (0 when its index is past n);
     *   2. a tree: for stride = blockDim.x / 2 down to 1, threads below
     *      stride add the element `stride` places up into their own;
     *      every level reads what the previous level wrote, so all
     *      threads of the block must have finished it first;
     *   3. thread 0 writes the block's total to partials[blockIdx.x]. */
    (void)in;
    (void)partials;
    (void)n;
}

/* ---- host code (given) ---------------------------------------------------
 * Each pass turns `count` values into ceil(count / REDUCE_BLOCK) block sums;
 * passes repeat on the sums until one value is left. */

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

int block_reduce_sum(const float *x, int n, float *sum)
{
    cudaError_t err = cudaSuccess;
    float *a = NULL, *b = NULL;
    const size_t bytes = (size_t)n * sizeof(float);
    int count = n;

    CHECK(cudaMalloc(&a, bytes));
    CHECK(cudaMalloc(&b, bytes));
    CHECK(cudaMemcpy(a, x, bytes, cudaMemcpyHostToDevice));
    while (count > 1) {
        const int blocks = (count + REDUCE_BLOCK - 1) / REDUCE_BLOCK;
        CHECK(cudaMemset(b, 0, (size_t)blocks * sizeof(float)));
        block_sum_kernel<<<blocks, REDUCE_BLOCK>>>(a, b, count);
        CHECK(cudaGetLastError());
        float *t = a; /* the block sums are the next pass's input */
        a = b;
        b = t;
        count = blocks;
    }
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(sum, a, sizeof(float), cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(a);
    cudaFree(b);
    return err;
}

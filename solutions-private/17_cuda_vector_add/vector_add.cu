/* 17_cuda_vector_add: reference solution. */
#include "vector_add.h"

#include <cuda_runtime.h>
#include <stdio.h>

/* Reports the failing call by its source text, keeps the first error and
 * jumps to the cleanup, so every exit path frees the device buffers. */
#define CHECK(call)                                                            \
    do {                                                                       \
        const cudaError_t e_ = (call);                                         \
        if (e_ != cudaSuccess) {                                               \
            fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", __FILE__, __LINE__, \
                    #call, cudaGetErrorName(e_), cudaGetErrorString(e_));      \
            err = e_;                                                          \
            goto cleanup;                                                      \
        }                                                                      \
    } while (0)

__global__ void vector_add_kernel(const float *a, const float *b, float *c,
                                  size_t n)
{
    const size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) /* the last block runs past the end */
        c[i] = a[i] + b[i];
}

int vector_add(const float *a, const float *b, float *c, size_t n)
{
    cudaError_t err = cudaSuccess;
    float *da = NULL, *db = NULL, *dc = NULL;
    const size_t bytes = n * sizeof(float);
    unsigned blocks = 0;

    if (n == 0)
        return cudaSuccess;
    CHECK(cudaMalloc(&da, bytes));
    CHECK(cudaMalloc(&db, bytes));
    CHECK(cudaMalloc(&dc, bytes));
    CHECK(cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice));
    blocks = (unsigned)((n + VADD_BLOCK - 1) / VADD_BLOCK);
    vector_add_kernel<<<blocks, VADD_BLOCK>>>(da, db, dc, n);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(c, dc, bytes, cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(da); /* cudaFree(NULL) is a no-op */
    cudaFree(db);
    cudaFree(dc);
    /* A failed call also left its error as the thread's "last error": take
     * it back (the caller gets it as the result), or the next call's
     * cudaGetLastError() after its launch would report this failure. */
    if (err != cudaSuccess)
        cudaGetLastError();
    return err;
}

/* 17_cuda_vector_add: your first kernel and the host code around it. Edit
 * this file until `make check EX=17_cuda_vector_add` passes.
 *
 * Lecture: lectures/03_gpu.md#grids-blocks-and-threads
 */
#include "vector_add.h"

#include <cuda_runtime.h>
#include <stdio.h>

/* TODO: make CHECK(call) evaluate `call` once and, when the result is not
 * cudaSuccess, print "file:line: <the text of the call> failed: <error name>
 * (<error string>)" to stderr, store the error in the caller's variable
 * `err` and `goto cleanup`. (#call turns the argument into a string;
 * cudaGetErrorName and cudaGetErrorString describe an error.) */
#define CHECK(call) (void)(call)

/* One thread per element. */
__global__ void vector_add_kernel(const float *a, const float *b, float *c,
                                  size_t n)
{
    /* TODO: compute this thread's global index from blockIdx, blockDim and
     * threadIdx, and add one element. The last block has threads past the
     * end of the arrays: they must not touch memory. */
    (void)a;
    (void)b;
    (void)c;
    (void)n;
}

int vector_add(const float *a, const float *b, float *c, size_t n)
{
    /* TODO, with every CUDA call wrapped in CHECK:
     *   1. n == 0: nothing to do (a launch of 0 blocks is an error);
     *   2. cudaMalloc three device buffers of n floats;
     *   3. cudaMemcpy a and b to the device;
     *   4. launch enough blocks of VADD_BLOCK threads to cover n;
     *   5. cudaGetLastError (a bad launch), cudaDeviceSynchronize (a fault
     *      while the kernel ran);
     *   6. cudaMemcpy the result back into c;
     *   7. cleanup: cudaFree every buffer, on success and on failure;
     *      after a failure, cudaGetLastError() once, so the error this
     *      call returns is not reported again by the next call's launch
     *      check. */
    (void)a;
    (void)b;
    (void)c;
    (void)n;
    return cudaSuccess;
}

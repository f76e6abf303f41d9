/* 21_histogram: counting bytes with thousands of threads, without losing a
 * count. Edit the kernel until `make check EX=21_histogram` passes.
 *
 * Lecture: lectures/03_gpu.md#races-and-atomics
 */
#include "histogram.h"

#include <cuda_runtime.h>
#include <stdio.h>

/* Launched with HIST_BLOCKS blocks of HIST_THREADS threads whatever n is;
 * hist (HIST_BINS counters) starts at zero. */
__global__ void histogram_kernel(const unsigned char *data, int n,
                                 unsigned *hist)
{
    /* TODO: a grid-stride loop over data (as in 18_grid_stride) that adds
     * 1 to hist[data[i]] for every byte. Many threads hit the same bin at
     * the same time: `hist[b]++` is a read, an add and a write, and two
     * threads interleaving them lose a count. The simulator runs this
     * exercise under ThreadSanitizer too, which reports exactly that.
     * (Optional, faster on a GPU: count into a __shared__ histogram per
     * block first, then add its bins to hist.) */
    (void)data;
    (void)n;
    (void)hist;
}

/* ---- host code (given) --------------------------------------------------- */

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

int histogram(const unsigned char *data, int n, unsigned *hist)
{
    cudaError_t err = cudaSuccess;
    unsigned char *ddata = NULL;
    unsigned *dhist = NULL;
    const size_t hbytes = HIST_BINS * sizeof(unsigned);

    CHECK(cudaMalloc(&dhist, hbytes));
    CHECK(cudaMemset(dhist, 0, hbytes));
    if (n > 0) {
        CHECK(cudaMalloc(&ddata, (size_t)n));
        CHECK(cudaMemcpy(ddata, data, (size_t)n, cudaMemcpyHostToDevice));
        histogram_kernel<<<HIST_BLOCKS, HIST_THREADS>>>(ddata, n, dhist);
        CHECK(cudaGetLastError());
        CHECK(cudaDeviceSynchronize());
    }
    CHECK(cudaMemcpy(hist, dhist, hbytes, cudaMemcpyDeviceToHost));
cleanup:
    cudaFree(ddata);
    cudaFree(dhist);
    return err;
}

/* flash_cuda.cu: reference solution of 34_flash_attention_cuda. */
#include "flash_cuda.h"

#include <cuda_runtime.h>
#include <math.h>

/* One thread per query row; the block's threads load each key/value tile
 * into shared memory together, then each folds the keys its row can see
 * into its own online-softmax state. */
__global__ void flash_kernel(float *out, const float *q, const float *k,
                             const float *v, int T, int d, float scale)
{
    extern __shared__ float tiles[];
    const int tile = blockDim.x;
    float *ks = tiles;            /* tile x d keys */
    float *vs = tiles + tile * d; /* tile x d values */
    const int first = blockIdx.x * tile;
    const int row = first + threadIdx.x;
    const bool active = row < T;
    const int last = min(T - 1, first + tile - 1); /* last row of the block */

    float qr[FLASH_MAX_D], acc[FLASH_MAX_D];
    for (int c = 0; c < d; c++) {
        qr[c] = active ? q[row * d + c] : 0.0f;
        acc[c] = 0.0f;
    }
    float m = -INFINITY, l = 0.0f;

    for (int k0 = 0; k0 <= last; k0 += tile) {
        const int j = k0 + threadIdx.x; /* the key this thread stages */
        for (int c = 0; c < d; c++) {
            ks[threadIdx.x * d + c] = j < T ? k[j * d + c] : 0.0f;
            vs[threadIdx.x * d + c] = j < T ? v[j * d + c] : 0.0f;
        }
        __syncthreads(); /* the tile is complete before anyone reads it */
        const int n = active ? min(tile, row - k0 + 1) : 0;
        for (int jj = 0; jj < n; jj++) {
            float s = 0.0f;
            for (int c = 0; c < d; c++)
                s += qr[c] * ks[jj * d + c];
            s *= scale;
            if (s > m) { /* a new max: rescale what was summed so far */
                const float r = expf(m - s);
                l *= r;
                for (int c = 0; c < d; c++)
                    acc[c] *= r;
                m = s;
            }
            const float p = expf(s - m);
            l += p;
            for (int c = 0; c < d; c++)
                acc[c] += p * vs[jj * d + c];
        }
        __syncthreads(); /* everyone is done before the next tile lands */
    }
    if (active)
        for (int c = 0; c < d; c++)
            out[row * d + c] = acc[c] / l;
}

int flash_attention_cuda(float *out, const float *q, const float *k,
                         const float *v, int T, int d, int tile)
{
    if (T < 1 || d < 1 || d > FLASH_MAX_D || tile < 1)
        return cudaErrorInvalidValue;
    const size_t bytes = (size_t)T * d * sizeof(float);
    float *dq = NULL, *dk = NULL, *dv = NULL, *dout = NULL;
    cudaError_t err = cudaMalloc((void **)&dq, bytes);
    if (err == cudaSuccess)
        err = cudaMalloc((void **)&dk, bytes);
    if (err == cudaSuccess)
        err = cudaMalloc((void **)&dv, bytes);
    if (err == cudaSuccess)
        err = cudaMalloc((void **)&dout, bytes);
    if (err == cudaSuccess)
        err = cudaMemcpy(dq, q, bytes, cudaMemcpyHostToDevice);
    if (err == cudaSuccess)
        err = cudaMemcpy(dk, k, bytes, cudaMemcpyHostToDevice);
    if (err == cudaSuccess)
        err = cudaMemcpy(dv, v, bytes, cudaMemcpyHostToDevice);
    if (err == cudaSuccess) {
        const int blocks = (T + tile - 1) / tile;
        const size_t shared = 2 * (size_t)tile * d * sizeof(float);
        flash_kernel<<<blocks, tile, shared>>>(dout, dq, dk, dv, T, d,
                                               1.0f / sqrtf((float)d));
        err = cudaGetLastError();
    }
    if (err == cudaSuccess)
        err = cudaDeviceSynchronize();
    if (err == cudaSuccess)
        err = cudaMemcpy(out, dout, bytes, cudaMemcpyDeviceToHost);
    /* cudaFree(NULL) is a no-op, so one exit path frees everything */
    cudaFree(dq);
    cudaFree(dk);
    cudaFree(dv);
    cudaFree(dout);
    return err;
}

/* counter_kernels.cu: kernels whose memory-traffic counts are known by
 * hand. Each kernel's comment derives its counts, as Nsight Compute
 * defines them (a warp instruction is one request; global memory moves in
 * 32-byte sectors; shared memory has 32 banks of 4 bytes). The same file
 * builds with nvcc, so hardware/nvcc/ncu_counters.sh can measure the same
 * kernels on a GPU.
 */
#include "counter_kernels.h"

#include <cuda_runtime.h>

/* One warp reads 32 consecutive floats: 128 bytes, 4 sectors.
 * n floats: loads n/32 requests, n/8 sectors; stores the same. */
__global__ void coalesced_copy_kernel(const float *in, float *out)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = in[i];
}

/* Lane k reads in[(base + k) * 32]: 32 floats (128 bytes) apart, one
 * sector each. Loads n/32 requests, n sectors (32x the coalesced copy);
 * stores n/32 requests, n/8 sectors. */
__global__ void strided_copy_kernel(const float *in, float *out)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = in[i * COUNTER_STRIDE];
}

/* 16 bytes per lane, 512 per warp: one request, 16 sectors. n floats:
 * loads n/128 requests, n/8 sectors (as many sectors as the scalar copy,
 * a quarter of the requests); stores the same. */
__global__ void vector_copy_kernel(const float4 *in, float4 *out)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = in[i];
}

/* Every lane reads in[0]: one sector per request. Loads n/32 requests,
 * n/32 sectors; stores n/32 requests, n/8 sectors. */
__global__ void broadcast_read_kernel(const float *in, float *out)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = in[0];
}

/* Block (32, 32): warp ty is the row ty of threads. Stores to the tile
 * (tile[ty][tx]: 32 consecutive words) are conflict-free; the loads
 * tile[tx][ty] go down a column: 32 words 32 apart, all in bank ty, so
 * 32 wavefronts, 31 bank conflicts per request. Shared: stores 32
 * requests, 32 wavefronts, 0 conflicts; loads 32 requests, 1024
 * wavefronts, 992 conflicts. Global: loads and stores 32 requests, 128
 * sectors each. */
__global__ void transpose_kernel(const float *in, float *out)
{
    __shared__ float tile[32][32];
    int tx = threadIdx.x, ty = threadIdx.y;
    tile[ty][tx] = in[ty * 32 + tx];
    __syncthreads();
    out[ty * 32 + tx] = tile[tx][ty];
}

/* One padding column: row r starts 33 words after row r-1, so the column
 * reads tile[tx][ty] hit banks (33 tx + ty) mod 32 = (tx + ty) mod 32,
 * all different: loads 32 requests, 32 wavefronts, 0 conflicts. */
__global__ void transpose_padded_kernel(const float *in, float *out)
{
    __shared__ float tile[32][33];
    int tx = threadIdx.x, ty = threadIdx.y;
    tile[ty][tx] = in[ty * 32 + tx];
    __syncthreads();
    out[ty * 32 + tx] = tile[tx][ty];
}

/* Even lanes run the loop and store, odd lanes do nothing: in every warp
 * the branch on the lane's parity diverges once. n threads: n/32 divergent
 * branches. (The even lanes run the loop together: no divergence inside
 * it.) Per warp: `loop` load requests of 16 lanes reading the same float
 * (1 sector each), one store request of 16 lanes writing every other
 * float of 128 bytes (4 sectors). */
__global__ void divergent_kernel(const float *in, float *out, int loop)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (threadIdx.x % 2 == 0) {
        float s = 0.0f;
        for (int k = 0; k < loop; k++)
            s += in[k];
        out[i] = s;
    }
}

/* The same branch on the warp's parity: every warp goes one way, no
 * divergent branch; half the warps load and store. */
__global__ void uniform_kernel(const float *in, float *out, int loop)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (threadIdx.x / 32 % 2 == 0) {
        float s = 0.0f;
        for (int k = 0; k < loop; k++)
            s += in[k];
        out[i] = s;
    }
}

/* Every lane adds to the same float: atomics n/32 requests, n/32 sectors
 * (Nsight Compute: the reduction form, op_red, since the result is not
 * used). */
__global__ void atomic_count_kernel(float *sum)
{
    atomicAdd(sum, 1.0f);
}

__global__ void vector_copy_from_kernel(const float *in, float *out, int offset,
                                        int n4)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n4)
        reinterpret_cast<float4 *>(out)[i] =
            reinterpret_cast<const float4 *>(in + offset)[i];
}

__global__ void copy_overrun_kernel(const float *in, float *out, int n,
                                    int extra)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n + extra)
        out[i < n ? i : n - 1] = in[i];
}

/* ---- host wrappers ------------------------------------------------------ */

#define CHECK(call)                                                            \
    do {                                                                       \
        err = (call);                                                          \
        if (err != cudaSuccess)                                                \
            goto done;                                                         \
    } while (0)

/* Device copies of a host array and an output buffer. */
static cudaError_t setup(const float *in, size_t in_n, float **d_in,
                         float **d_out, size_t out_n)
{
    cudaError_t err;
    *d_in = *d_out = NULL;
    CHECK(cudaMalloc(d_in, in_n * sizeof(float)));
    CHECK(cudaMalloc(d_out, out_n * sizeof(float)));
    if (in)
        CHECK(cudaMemcpy(*d_in, in, in_n * sizeof(float),
                         cudaMemcpyHostToDevice));
done:
    return err;
}

/* Waits for the kernel, copies the output back, frees both buffers. */
static cudaError_t finish(float *d_in, float *d_out, float *out, size_t n)
{
    cudaError_t err = cudaGetLastError();
    if (err == cudaSuccess)
        err = cudaDeviceSynchronize();
    if (err == cudaSuccess && out)
        err = cudaMemcpy(out, d_out, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d_in);
    cudaFree(d_out);
    return err;
}

int coalesced_copy(const float *in, float *out, int n)
{
    float *d_in, *d_out;
    cudaError_t err = setup(in, n, &d_in, &d_out, n);
    if (err == cudaSuccess)
        coalesced_copy_kernel<<<n / COUNTER_BLOCK, COUNTER_BLOCK>>>(d_in,
                                                                    d_out);
    return err == cudaSuccess ? finish(d_in, d_out, out, n) : err;
}

int strided_copy(const float *in, float *out, int n)
{
    float *d_in, *d_out;
    cudaError_t err = setup(in, (size_t)n * COUNTER_STRIDE, &d_in, &d_out, n);
    if (err == cudaSuccess)
        strided_copy_kernel<<<n / COUNTER_BLOCK, COUNTER_BLOCK>>>(d_in, d_out);
    return err == cudaSuccess ? finish(d_in, d_out, out, n) : err;
}

int vector_copy(const float *in, float *out, int n)
{
    float *d_in, *d_out;
    cudaError_t err = setup(in, n, &d_in, &d_out, n);
    if (err == cudaSuccess)
        vector_copy_kernel<<<n / 4 / COUNTER_BLOCK, COUNTER_BLOCK>>>(
            reinterpret_cast<const float4 *>(d_in),
            reinterpret_cast<float4 *>(d_out));
    return err == cudaSuccess ? finish(d_in, d_out, out, n) : err;
}

int broadcast_read(const float *in, float *out, int n)
{
    float *d_in, *d_out;
    cudaError_t err = setup(in, 1, &d_in, &d_out, n);
    if (err == cudaSuccess)
        broadcast_read_kernel<<<n / COUNTER_BLOCK, COUNTER_BLOCK>>>(d_in,
                                                                    d_out);
    return err == cudaSuccess ? finish(d_in, d_out, out, n) : err;
}

int shared_transpose(const float *in, float *out, int padded)
{
    float *d_in, *d_out;
    cudaError_t err = setup(in, 32 * 32, &d_in, &d_out, 32 * 32);
    if (err == cudaSuccess && padded)
        transpose_padded_kernel<<<1, dim3(32, 32)>>>(d_in, d_out);
    else if (err == cudaSuccess)
        transpose_kernel<<<1, dim3(32, 32)>>>(d_in, d_out);
    return err == cudaSuccess ? finish(d_in, d_out, out, 32 * 32) : err;
}

int divergent_branch(const float *in, float *out, int n, int loop, int uniform)
{
    float *d_in, *d_out;
    cudaError_t err = setup(in, loop, &d_in, &d_out, n);
    if (err == cudaSuccess && uniform)
        uniform_kernel<<<n / COUNTER_BLOCK, COUNTER_BLOCK>>>(d_in, d_out, loop);
    else if (err == cudaSuccess)
        divergent_kernel<<<n / COUNTER_BLOCK, COUNTER_BLOCK>>>(d_in, d_out,
                                                               loop);
    return err == cudaSuccess ? finish(d_in, d_out, out, n) : err;
}

int atomic_count(float *sum, int n)
{
    float *d_in, *d_out;
    const float zero = 0.0f;
    cudaError_t err = setup(&zero, 1, &d_in, &d_out, 1);
    if (err == cudaSuccess)
        atomic_count_kernel<<<n / COUNTER_BLOCK, COUNTER_BLOCK>>>(d_in);
    if (err == cudaSuccess)
        err = cudaMemcpy(d_out, d_in, sizeof(float), cudaMemcpyDeviceToDevice);
    return err == cudaSuccess ? finish(d_in, d_out, sum, 1) : err;
}

int vector_copy_from(const float *in, int in_len, float *out, int n, int offset)
{
    float *d_in, *d_out;
    cudaError_t err = setup(in, in_len, &d_in, &d_out, n);
    const int n4 = n / 4;
    if (err == cudaSuccess)
        vector_copy_from_kernel<<<(n4 + 63) / 64, 64>>>(d_in, d_out, offset,
                                                        n4);
    return err == cudaSuccess ? finish(d_in, d_out, out, n) : err;
}

int copy_overrun(const float *in, float *out, int n, int extra)
{
    float *d_in, *d_out;
    cudaError_t err = setup(in, n, &d_in, &d_out, n);
    if (err == cudaSuccess)
        copy_overrun_kernel<<<(n + extra + 63) / 64, 64>>>(d_in, d_out, n,
                                                           extra);
    return err == cudaSuccess ? finish(d_in, d_out, out, n) : err;
}

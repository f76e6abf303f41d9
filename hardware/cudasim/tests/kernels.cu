/* kernels.cu: correct kernels and planted bugs for the simulator's own tests.
 *
 * Written in plain CUDA (the same file builds with nvcc), each with a host
 * wrapper that copies in, launches and copies out, and returns the first
 * CUDA error it saw, so tests/test_kernels.c can check results and errors.
 */
#include "kernels.h"

#include <cuda_runtime.h>

#define TRY(call)                                                              \
    do {                                                                       \
        cudaError_t e_ = (call);                                               \
        if (e_ != cudaSuccess)                                                 \
            return e_;                                                         \
    } while (0)

/* ---- vector add ------------------------------------------------------------
 */

__global__ void vecadd_kernel(const float *a, const float *b, float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}

/* BUG: no bounds check; the last block writes past the end of c. */
__global__ void vecadd_unguarded_kernel(const float *a, const float *b,
                                        float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    (void)n;
    c[i] = a[i] + b[i];
}

/* BUG: writes only, past the end of out. */
__global__ void iota_unguarded_kernel(float *out)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = (float)i;
}

int iota_unguarded(float *out, int n, int threads)
{
    float *d;
    TRY(cudaMalloc(&d, (size_t)n * sizeof(float)));
    iota_unguarded_kernel<<<(n + threads - 1) / threads, threads>>>(d);
    TRY(cudaGetLastError());
    TRY(cudaDeviceSynchronize());
    TRY(cudaMemcpy(out, d, (size_t)n * sizeof(float), cudaMemcpyDeviceToHost));
    return cudaFree(d);
}

/* ---- arguments that convert at the launch --------------------------------
 */

__global__ void add_bias_kernel(const float *x, const float *unused, float bias,
                                float *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    (void)unused;
    if (i < n)
        out[i] = bias + (x ? x[i] : 0.0f);
}

int null_and_int_args(float *out, int n)
{
    float *d;
    TRY(cudaMalloc(&d, (size_t)n * sizeof(float)));
    add_bias_kernel<<<(n + 31) / 32, 32>>>(NULL, 0, 3, d, n);
    TRY(cudaGetLastError());
    TRY(cudaMemcpy(out, d, (size_t)n * sizeof(float), cudaMemcpyDeviceToHost));
    TRY(cudaFree(d));
    return cudaSuccess;
}

int vecadd(const float *a, const float *b, float *c, int n, int threads,
           int guarded)
{
    float *da, *db, *dc;
    size_t bytes = (size_t)n * sizeof(float);
    TRY(cudaMalloc(&da, bytes));
    TRY(cudaMalloc(&db, bytes));
    TRY(cudaMalloc(&dc, bytes));
    TRY(cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice));
    TRY(cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice));
    int blocks = (n + threads - 1) / threads;
    if (guarded)
        vecadd_kernel<<<blocks, threads>>>(da, db, dc, n);
    else
        vecadd_unguarded_kernel<<<blocks, threads>>>(da, db, dc, n);
    TRY(cudaGetLastError());
    TRY(cudaDeviceSynchronize());
    TRY(cudaMemcpy(c, dc, bytes, cudaMemcpyDeviceToHost));
    TRY(cudaFree(da));
    TRY(cudaFree(db));
    TRY(cudaFree(dc));
    return cudaSuccess;
}

/* ---- reductions
 * -------------------------------------------------------------- */

#define RBLOCK 256

__global__ void reduce_shared(const float *x, float *out, int n)
{
    __shared__ float s[RBLOCK];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * blockDim.x + t;
    s[t] = i < (unsigned)n ? x[i] : 0.0f;
    __syncthreads();
    for (unsigned step = blockDim.x / 2; step > 0; step /= 2) {
        if (t < step)
            s[t] += s[t + step];
        __syncthreads();
    }
    if (t == 0)
        atomicAdd(out, s[0]);
}

/* BUG: no barrier between the tree levels. */
__global__ void reduce_missing_barrier(const float *x, float *out, int n)
{
    __shared__ float s[RBLOCK];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * blockDim.x + t;
    s[t] = i < (unsigned)n ? x[i] : 0.0f;
    __syncthreads();
    for (unsigned step = blockDim.x / 2; step > 0; step /= 2) {
        if (t < step)
            s[t] += s[t + step];
    }
    if (t == 0)
        atomicAdd(out, s[0]);
}

/* BUG (race tier): the block's sum is added without an atomic. */
__global__ void reduce_missing_atomic(const float *x, float *out, int n)
{
    __shared__ float s[RBLOCK];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * blockDim.x + t;
    s[t] = i < (unsigned)n ? x[i] : 0.0f;
    __syncthreads();
    for (unsigned step = blockDim.x / 2; step > 0; step /= 2) {
        if (t < step)
            s[t] += s[t + step];
        __syncthreads();
    }
    if (t == 0)
        *out += s[0];
}

__device__ float warp_sum(float v)
{
    for (int off = 16; off > 0; off /= 2)
        v += __shfl_down_sync(0xffffffffu, v, off);
    return v;
}

/* Warp shuffles within warps, shared memory across them. */
__global__ void reduce_shuffle(const float *x, float *out, int n)
{
    __shared__ float partial[32];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * blockDim.x + t;
    float v = i < (unsigned)n ? x[i] : 0.0f;
    v = warp_sum(v);
    if (t % 32 == 0)
        partial[t / 32] = v;
    __syncthreads();
    if (t < 32) {
        v = t < blockDim.x / 32 ? partial[t] : 0.0f;
        v = warp_sum(v);
        if (t == 0)
            atomicAdd(out, v);
    }
}

/* The last 64 elements summed by one warp in shared memory. */
template <bool SYNC>
__global__ void reduce_warp_synchronous(const float *x, float *out, int n)
{
    __shared__ float s[RBLOCK];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * blockDim.x + t;
    s[t] = i < (unsigned)n ? x[i] : 0.0f;
    __syncthreads();
    for (unsigned step = blockDim.x / 2; step > 32; step /= 2) {
        if (t < step)
            s[t] += s[t + step];
        __syncthreads();
    }
    if (t < 32) {
        /* BUG when !SYNC: lanes read what others have not written yet */
        for (unsigned step = 32; step > 0; step /= 2) {
            float v = s[t] + s[t + step];
            if (SYNC)
                __syncwarp();
            s[t] = v;
            if (SYNC)
                __syncwarp();
        }
    }
    if (t == 0)
        atomicAdd(out, s[0]);
}

int reduce_sum(const float *x, int n, float *out, enum reduce_variant v)
{
    float *dx, *dout;
    TRY(cudaMalloc(&dx, (size_t)n * sizeof(float)));
    TRY(cudaMalloc(&dout, sizeof(float)));
    TRY(cudaMemcpy(dx, x, (size_t)n * sizeof(float), cudaMemcpyHostToDevice));
    TRY(cudaMemset(dout, 0, sizeof(float)));
    int blocks = (n + RBLOCK - 1) / RBLOCK;
    switch (v) {
    case REDUCE_SHARED: reduce_shared<<<blocks, RBLOCK>>>(dx, dout, n); break;
    case REDUCE_MISSING_BARRIER:
        reduce_missing_barrier<<<blocks, RBLOCK>>>(dx, dout, n);
        break;
    case REDUCE_MISSING_ATOMIC:
        reduce_missing_atomic<<<blocks, RBLOCK>>>(dx, dout, n);
        break;
    case REDUCE_SHUFFLE: reduce_shuffle<<<blocks, RBLOCK>>>(dx, dout, n); break;
    case REDUCE_WARP_NOSYNC:
        reduce_warp_synchronous<false><<<blocks, RBLOCK>>>(dx, dout, n);
        break;
    case REDUCE_WARP_SYNC:
        reduce_warp_synchronous<true><<<blocks, RBLOCK>>>(dx, dout, n);
        break;
    }
    TRY(cudaGetLastError());
    TRY(cudaDeviceSynchronize());
    TRY(cudaMemcpy(out, dout, sizeof(float), cudaMemcpyDeviceToHost));
    TRY(cudaFree(dx));
    TRY(cudaFree(dout));
    return cudaSuccess;
}

/* ---- dynamic shared memory -------------------------------------------------
 */

/* Reverses each block's slice of the input through dynamic shared memory. */
__global__ void reverse_blocks(const int *in, int *out, int n)
{
    extern __shared__ int buf[];
    int t = threadIdx.x;
    int base = blockIdx.x * blockDim.x;
    int len = min(n - base, (int)blockDim.x);
    if (t < len)
        buf[t] = in[base + t];
    __syncthreads();
    if (t < len)
        out[base + t] = buf[len - 1 - t];
}

int reverse_by_block(const int *in, int *out, int n, int threads,
                     size_t shmem_bytes)
{
    int *din, *dout;
    TRY(cudaMalloc(&din, (size_t)n * sizeof(int)));
    TRY(cudaMalloc(&dout, (size_t)n * sizeof(int)));
    TRY(cudaMemcpy(din, in, (size_t)n * sizeof(int), cudaMemcpyHostToDevice));
    reverse_blocks<<<(n + threads - 1) / threads, threads, shmem_bytes>>>(
        din, dout, n);
    TRY(cudaGetLastError());
    TRY(cudaDeviceSynchronize());
    TRY(cudaMemcpy(out, dout, (size_t)n * sizeof(int), cudaMemcpyDeviceToHost));
    TRY(cudaFree(din));
    TRY(cudaFree(dout));
    return cudaSuccess;
}

/* ---- tiled matrix multiply -------------------------------------------------
 */

#define TILE 16

/* C[M x N] = A[M x K] * B[K x N], row-major, any sizes. */
__global__ void matmul_tiled_kernel(const float *A, const float *B, float *C,
                                    int M, int N, int K)
{
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y;
    int col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TILE) {
        int ka = k0 + threadIdx.x, kb = k0 + threadIdx.y;
        As[threadIdx.y][threadIdx.x] =
            row < M && ka < K ? A[(size_t)row * K + ka] : 0.0f;
        Bs[threadIdx.y][threadIdx.x] =
            kb < K && col < N ? B[(size_t)kb * N + col] : 0.0f;
        __syncthreads();
        for (int k = 0; k < TILE; k++)
            acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
        __syncthreads();
    }
    if (row < M && col < N)
        C[(size_t)row * N + col] = acc;
}

int matmul_tiled(const float *A, const float *B, float *C, int M, int N, int K)
{
    float *dA, *dB, *dC;
    TRY(cudaMalloc(&dA, (size_t)M * K * sizeof(float)));
    TRY(cudaMalloc(&dB, (size_t)K * N * sizeof(float)));
    TRY(cudaMalloc(&dC, (size_t)M * N * sizeof(float)));
    TRY(cudaMemcpy(dA, A, (size_t)M * K * sizeof(float),
                   cudaMemcpyHostToDevice));
    TRY(cudaMemcpy(dB, B, (size_t)K * N * sizeof(float),
                   cudaMemcpyHostToDevice));
    dim3 block(TILE, TILE);
    dim3 grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE);
    matmul_tiled_kernel<<<grid, block>>>(dA, dB, dC, M, N, K);
    TRY(cudaGetLastError());
    TRY(cudaDeviceSynchronize());
    TRY(cudaMemcpy(C, dC, (size_t)M * N * sizeof(float),
                   cudaMemcpyDeviceToHost));
    TRY(cudaFree(dA));
    TRY(cudaFree(dB));
    TRY(cudaFree(dC));
    return cudaSuccess;
}

/* ---- histogram
 * ---------------------------------------------------------------- */

__global__ void histogram_kernel(const unsigned char *x, unsigned *hist, int n,
                                 int use_atomic)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    if (use_atomic)
        atomicAdd(&hist[x[i]], 1u);
    else
        hist[x[i]]++; /* BUG (race tier): a read-modify-write race */
}

int histogram(const unsigned char *x, int n, unsigned *hist, int use_atomic)
{
    unsigned char *dx;
    unsigned *dh;
    TRY(cudaMalloc(&dx, (size_t)n));
    TRY(cudaMalloc(&dh, 256 * sizeof(unsigned)));
    TRY(cudaMemcpy(dx, x, (size_t)n, cudaMemcpyHostToDevice));
    TRY(cudaMemset(dh, 0, 256 * sizeof(unsigned)));
    histogram_kernel<<<(n + 127) / 128, 128>>>(dx, dh, n, use_atomic);
    TRY(cudaGetLastError());
    TRY(cudaDeviceSynchronize());
    TRY(cudaMemcpy(hist, dh, 256 * sizeof(unsigned), cudaMemcpyDeviceToHost));
    TRY(cudaFree(dx));
    TRY(cudaFree(dh));
    return cudaSuccess;
}

/* ---- warp intrinsics
 * ---------------------------------------------------------- */

/* One warp of 32: ballot/any/all of (lane odd), xor-butterfly sum of lanes,
 * inclusive shfl_up scan of lanes, broadcast of lane 5. */
__global__ void warp_ops_kernel(int *res)
{
    int lane = threadIdx.x;
    unsigned ballot = __ballot_sync(0xffffffffu, lane & 1);
    int any = __any_sync(0xffffffffu, lane == 7);
    int all = __all_sync(0xffffffffu, lane < 31);
    int sum = lane;
    for (int m = 16; m > 0; m /= 2)
        sum += __shfl_xor_sync(0xffffffffu, sum, m);
    int scan = lane;
    for (int d = 1; d < 32; d *= 2) {
        int up = __shfl_up_sync(0xffffffffu, scan, d);
        if (lane >= d)
            scan += up;
    }
    int five = __shfl_sync(0xffffffffu, lane * 10, 5);
    int count = __syncthreads_count(lane % 4 == 0);
    res[lane * 8 + 0] = (int)ballot;
    res[lane * 8 + 1] = any;
    res[lane * 8 + 2] = all;
    res[lane * 8 + 3] = sum;
    res[lane * 8 + 4] = scan;
    res[lane * 8 + 5] = five;
    res[lane * 8 + 6] = count;
    res[lane * 8 + 7] = (int)__activemask();
}

int warp_ops(int *res /* 32 * 8 */)
{
    int *d;
    TRY(cudaMalloc(&d, 32 * 8 * sizeof(int)));
    warp_ops_kernel<<<1, 32>>>(d);
    TRY(cudaGetLastError());
    TRY(cudaDeviceSynchronize());
    TRY(cudaMemcpy(res, d, 32 * 8 * sizeof(int), cudaMemcpyDeviceToHost));
    TRY(cudaFree(d));
    return cudaSuccess;
}

/* ---- planted synchronization bugs ------------------------------------------
 */

/* BUG: only half the block reaches the barrier. */
__global__ void barrier_in_branch(int *out)
{
    if (threadIdx.x < 16)
        __syncthreads();
    out[threadIdx.x] = 1;
}

/* BUG: threads past n return before the barrier. */
__global__ void barrier_after_return(int *out, int n)
{
    int i = threadIdx.x;
    if (i >= n)
        return;
    out[i] = 1;
    __syncthreads();
    out[i] += 1;
}

/* BUG: the two halves wait at different barriers. */
__global__ void barrier_two_sites(int *out)
{
    if (threadIdx.x % 2 == 0) {
        out[threadIdx.x] = 1;
        __syncthreads();
    } else {
        out[threadIdx.x] = 2;
        __syncthreads();
    }
}

/* BUG: lane 0's mask leaves out lanes that also shuffle. */
__global__ void shuffle_mask_mismatch(int *out)
{
    unsigned mask = threadIdx.x == 0 ? 0x0000ffffu : 0xffffffffu;
    out[threadIdx.x] = __shfl_down_sync(mask, (int)threadIdx.x, 1);
}

/* BUG: a full mask in a block of 48 threads (the second warp has 16). */
__global__ void shuffle_partial_warp(int *out)
{
    out[threadIdx.x] = __shfl_down_sync(0xffffffffu, (int)threadIdx.x, 1);
}

int sync_bug(enum sync_bug which)
{
    int *d;
    TRY(cudaMalloc(&d, 64 * sizeof(int)));
    switch (which) {
    case BUG_BARRIER_IN_BRANCH: barrier_in_branch<<<1, 32>>>(d); break;
    case BUG_BARRIER_AFTER_RETURN:
        barrier_after_return<<<2, 64>>>(d, 40);
        break;
    case BUG_BARRIER_TWO_SITES: barrier_two_sites<<<1, 64>>>(d); break;
    case BUG_SHUFFLE_MASK: shuffle_mask_mismatch<<<1, 32>>>(d); break;
    case BUG_SHUFFLE_PARTIAL_WARP: shuffle_partial_warp<<<1, 48>>>(d); break;
    }
    cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess)
        return e;
    TRY(cudaDeviceSynchronize());
    TRY(cudaFree(d));
    return cudaSuccess;
}

/* ---- static shared memory past its end ------------------------------------
 */

/* BUG: writes a[blockDim.x], one past the end of a (b follows it). */
__global__ void first_array_overrun(int *out)
{
    __shared__ int a[32];
    __shared__ int b[32];
    unsigned t = threadIdx.x;
    b[t] = 1;
    a[t + 1] = (int)t; /* thread 31 writes a[32] */
    __syncthreads();
    out[t] = a[t] + b[t];
}

/* BUG: reads tile[4][0], one row past the end of the tile. */
__global__ void tile_overrun(float *out)
{
    __shared__ float tile[4][8];
    unsigned x = threadIdx.x, y = threadIdx.y;
    tile[y][x] = 1.0f;
    __syncthreads();
    out[y * 8 + x] = tile[y + 1][x];
}

int shared_overrun(int which)
{
    int *d;
    TRY(cudaMalloc(&d, 64 * sizeof(int)));
    if (which == 0)
        first_array_overrun<<<1, 32>>>(d);
    else
        tile_overrun<<<1, dim3(8, 4)>>>((float *)d);
    cudaError_t e = cudaGetLastError();
    cudaFree(d);
    return e;
}

/* BUG: the first and the third buffer are never freed. */
int leaky_alloc(void)
{
    float *a, *b, *c;
    TRY(cudaMalloc(&a, 1000 * sizeof(float)));
    TRY(cudaMalloc(&b, 2000 * sizeof(float)));
    TRY(cudaMalloc(&c, 3000 * sizeof(float)));
    return cudaFree(b);
}

/* ---- launch configuration and pointers -------------------------------------
 */

__global__ void fill_kernel(int *out, int v)
{
    out[blockIdx.x * blockDim.x * blockDim.y + threadIdx.y * blockDim.x +
        threadIdx.x] = v;
}

int launch_shape(unsigned bx, unsigned by, unsigned bz)
{
    int *d;
    TRY(cudaMalloc(&d, 4096 * sizeof(int)));
    fill_kernel<<<1, dim3(bx, by, bz)>>>(d, 7);
    cudaError_t e = cudaGetLastError();
    cudaFree(d);
    return e;
}

int launch_with_host_pointer(void)
{
    static int host[64];
    fill_kernel<<<1, 64>>>(host, 1);
    return cudaGetLastError();
}

int host_reads_device_pointer(void)
{
    int *d;
    TRY(cudaMalloc(&d, 64 * sizeof(int)));
    return d[3]; /* BUG: the host cannot dereference device memory */
}

int memcpy_wrong_direction(void)
{
    int *d, h[16] = {0};
    TRY(cudaMalloc(&d, sizeof h));
    cudaError_t e = cudaMemcpy(d, h, sizeof h, cudaMemcpyDeviceToHost);
    cudaFree(d);
    return e;
}

float event_elapsed_ms(void)
{
    cudaEvent_t a, b;
    cudaEventCreate(&a);
    cudaEventCreate(&b);
    cudaEventRecord(a);
    float x[64] = {0}, y[64] = {0}, z[64];
    vecadd(x, y, z, 64, 32, 1);
    cudaEventRecord(b);
    cudaEventSynchronize(b);
    float ms = -1.0f;
    cudaEventElapsedTime(&ms, a, b);
    cudaEventDestroy(a);
    cudaEventDestroy(b);
    return ms;
}

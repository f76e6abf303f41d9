/* race_corpus.cu: kernels with and without data races, for the race tier.
 *
 * Racy kernels are the mistakes students make (a ++ where an atomicAdd is
 * needed, a missing __syncthreads() before or after a barrier, blocks that
 * combine results without atomics, warp-synchronous code without
 * __syncwarp); race-free kernels are the correct patterns of the workbook
 * (barrier-separated phases, atomics, shuffles, votes, broadcasts, one
 * element per thread, a second launch). tests/test_race_corpus.c runs each
 * in several thread orders and expects a report for exactly the racy ones.
 * Written in plain CUDA: the file builds with nvcc too.
 */
#include "race_corpus.h"

#include <cuda_runtime.h>

#define TRY(call)                                                              \
    do {                                                                       \
        cudaError_t e_ = (call);                                               \
        if (e_ != cudaSuccess)                                                 \
            return e_;                                                         \
    } while (0)

/* ---- racy kernels ---------------------------------------------------------
 */

/* BUG: h[bin]++ on a shared histogram, then a barrier. */
__global__ void shared_histogram_plusplus(const int *x, int n, unsigned *out)
{
    __shared__ unsigned h[16];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    if (t < 16)
        h[t] = 0;
    __syncthreads();
    if (i < n)
        h[x[i] & 15]++;
    __syncthreads();
    if (t < 16)
        atomicAdd(&out[t], h[t]);
}

/* BUG: every thread does s[0]++ after a first barrier, then a barrier. */
__global__ void counter_plusplus_after_barrier(int *out)
{
    __shared__ int s[1];
    if (threadIdx.x == 0)
        s[0] = 0;
    __syncthreads();
    s[0]++;
    __syncthreads();
    if (threadIdx.x == 0)
        out[blockIdx.x] = s[0];
}

/* BUG: every thread does s[0]++ before any barrier. */
__global__ void counter_plusplus_first(int *out)
{
    __shared__ int s[1];
    s[0]++;
    __syncthreads();
    if (threadIdx.x == 0)
        out[blockIdx.x] = s[0];
}

/* BUG: no barrier between loading s and the first level of the tree. */
__global__ void reduce_missing_barrier_after_load(const int *x, int *out)
{
    __shared__ int s[128];
    unsigned t = threadIdx.x;
    s[t] = x[blockIdx.x * blockDim.x + t];
    for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (t < stride)
            s[t] += s[t + stride];
        __syncthreads();
    }
    if (t == 0)
        atomicAdd(out, s[0]);
}

/* BUG: no barrier between the levels of the tree. */
__global__ void reduce_missing_barrier_between_levels(const int *x, int *out)
{
    __shared__ int s[128];
    unsigned t = threadIdx.x;
    s[t] = x[blockIdx.x * blockDim.x + t];
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2)
        if (t < stride)
            s[t] += s[t + stride];
    if (t == 0)
        atomicAdd(out, s[0]);
}

/* A correct block sum into s[0] (the building block of the next two). */
__device__ void block_sum(const int *x, int *s)
{
    unsigned t = threadIdx.x;
    s[t] = x[blockIdx.x * blockDim.x + t];
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (t < stride)
            s[t] += s[t + stride];
        __syncthreads();
    }
}

/* BUG: the blocks add their sums into *out without an atomic. */
__global__ void blocks_add_without_atomic(const int *x, int *out)
{
    __shared__ int s[128];
    block_sum(x, s);
    if (threadIdx.x == 0)
        *out += s[0];
}

/* BUG: every block writes the same elements of out. */
__global__ void blocks_write_same_elements(int *out)
{
    out[threadIdx.x] = (int)blockIdx.x;
}

/* BUG: after a barrier, each thread reads its neighbour's element while
 * the neighbour overwrites it (a barrier is needed between the two). */
__global__ void neighbour_after_barrier(int *out)
{
    __shared__ int s[64];
    unsigned t = threadIdx.x;
    s[t] = (int)t;
    __syncthreads();
    s[t] = s[(t + 1) % blockDim.x] + 1;
    __syncthreads();
    out[t] = s[t];
}

/* BUG: warp-synchronous tree in one warp without __syncwarp. */
__global__ void warp_tree_without_syncwarp(const int *x, int *out)
{
    __shared__ int s[64];
    unsigned t = threadIdx.x;
    s[t] = x[t];
    s[t + 32] = x[t + 32];
    __syncwarp();
    for (unsigned stride = 32; stride > 0; stride /= 2)
        if (t < stride)
            s[t] += s[t + stride];
    if (t == 0)
        *out = s[0];
}

/* BUG: s[0] is updated with atomicAdd while other threads read it
 * without one, in the same phase. */
__global__ void atomic_and_plain_read(int *out)
{
    __shared__ int s[1];
    if (threadIdx.x == 0)
        s[0] = 0;
    __syncthreads();
    atomicAdd(&s[0], 1);
    out[threadIdx.x] = s[0];
}

/* BUG: in a block of 1024, the last thread writes what the first reads. */
__global__ void first_and_last_of_1024(int *out)
{
    __shared__ int s[1];
    if (threadIdx.x == 1023)
        s[0] = 7;
    if (threadIdx.x == 0)
        out[0] = s[0];
}

/* BUG: an in-place scan: s[t] += s[t - off] reads what another thread
 * writes in the same step. */
__global__ void scan_in_place(const int *x, int *out)
{
    __shared__ int s[64];
    unsigned t = threadIdx.x;
    s[t] = x[t];
    __syncthreads();
    for (unsigned off = 1; off < blockDim.x; off *= 2) {
        if (t >= off)
            s[t] += s[t - off];
        __syncthreads();
    }
    out[t] = s[t];
}

/* BUG: reverses through dynamic shared memory without a barrier. */
__global__ void dynamic_reverse_without_barrier(const int *x, int *out)
{
    extern __shared__ int buf[];
    unsigned t = threadIdx.x;
    buf[t] = x[t];
    out[t] = buf[blockDim.x - 1 - t];
}

/* BUG: block b reads the element block b+1 writes in the same launch. */
__global__ void blocks_read_each_other(int *y)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned n = gridDim.x * blockDim.x;
    y[i] = (int)i;
    int next = y[(i + blockDim.x) % n];
    y[i] += next;
}

/* BUG: one barrier per step, so in a step thread t reads s[t - 1] while
 * thread t - 1 overwrites it. */
__global__ void relax_one_barrier_per_step(int *out)
{
    __shared__ int s[64];
    unsigned t = threadIdx.x;
    s[t] = (int)t;
    __syncthreads();
    for (int step = 0; step < 3; step++) {
        int left = t > 0 ? s[t - 1] : 0;
        s[t] = (s[t] + left) / 2;
        __syncthreads();
    }
    out[t] = s[t];
}

/* ---- race-free kernels ----------------------------------------------------
 */

__global__ void shared_histogram_atomics(const int *x, int n, unsigned *out)
{
    __shared__ unsigned h[16];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    if (t < 16)
        h[t] = 0;
    __syncthreads();
    if (i < n)
        atomicAdd(&h[x[i] & 15], 1u);
    __syncthreads();
    if (t < 16)
        atomicAdd(&out[t], h[t]);
}

__global__ void reduce_barrier_phases(const int *x, int *out)
{
    __shared__ int s[128];
    block_sum(x, s);
    if (threadIdx.x == 0)
        atomicAdd(out, s[0]);
}

__device__ int warp_sum(int v)
{
    for (int off = 16; off > 0; off /= 2)
        v += __shfl_down_sync(0xffffffffu, v, off);
    return v;
}

__global__ void reduce_shuffles(const int *x, int *out)
{
    __shared__ int partial[32];
    unsigned t = threadIdx.x;
    int v = warp_sum(x[blockIdx.x * blockDim.x + t]);
    if (t % 32 == 0)
        partial[t / 32] = v;
    __syncthreads();
    if (t < 32) {
        v = warp_sum(t < blockDim.x / 32 ? partial[t] : 0);
        if (t == 0)
            atomicAdd(out, v);
    }
}

__global__ void warp_tree_with_syncwarp(const int *x, int *out)
{
    __shared__ int s[64];
    unsigned t = threadIdx.x;
    s[t] = x[t];
    s[t + 32] = x[t + 32];
    __syncwarp();
    for (unsigned stride = 32; stride > 0; stride /= 2) {
        int v = t < stride ? s[t] + s[t + stride] : 0;
        __syncwarp();
        if (t < stride)
            s[t] = v;
        __syncwarp();
    }
    if (t == 0)
        *out = s[0];
}

/* One thread writes, a barrier, 1024 threads read, a barrier, again. */
__global__ void broadcast_between_barriers(int *out)
{
    __shared__ int s[1];
    unsigned t = threadIdx.x;
    if (t == 0)
        s[0] = 5;
    __syncthreads();
    int a = s[0];
    __syncthreads();
    if (t == 0)
        s[0] = 6;
    __syncthreads();
    out[t] = a + s[0];
}

__global__ void scan_with_two_barriers(const int *x, int *out)
{
    __shared__ int s[64];
    unsigned t = threadIdx.x;
    s[t] = x[t];
    __syncthreads();
    for (unsigned off = 1; off < blockDim.x; off *= 2) {
        int v = t >= off ? s[t - off] : 0;
        __syncthreads();
        s[t] += v;
        __syncthreads();
    }
    out[t] = s[t];
}

#define TILE 8
__global__ void tiled_matmul(const float *A, const float *B, float *C, int n)
{
    __shared__ float As[TILE][TILE], Bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y;
    int col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += TILE) {
        As[threadIdx.y][threadIdx.x] = A[row * n + k0 + threadIdx.x];
        Bs[threadIdx.y][threadIdx.x] = B[(k0 + threadIdx.y) * n + col];
        __syncthreads();
        for (int k = 0; k < TILE; k++)
            acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
        __syncthreads();
    }
    C[row * n + col] = acc;
}

__global__ void write_own(int *y)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    y[i] = (int)i;
}

/* Reads what another block wrote in the previous launch. */
__global__ void read_other_blocks(const int *y, int *z)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned n = gridDim.x * blockDim.x;
    z[i] = y[(i + blockDim.x) % n];
}

__global__ void global_atomics(float *sum, int *maximum)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    atomicAdd(sum, 0.5f);
    atomicMax(maximum, (int)i);
}

/* __syncthreads_count is a barrier too. */
__global__ void count_as_barrier(int *out)
{
    __shared__ int s[64];
    unsigned t = threadIdx.x;
    s[t] = (int)t;
    int odd = __syncthreads_count(t & 1);
    out[t] = s[blockDim.x - 1 - t] + odd;
}

/* Each thread only touches its own elements: no barrier needed. */
__global__ void own_elements_only(int *out)
{
    __shared__ int s[64];
    unsigned t = threadIdx.x;
    s[t] = (int)t * 2;
    s[t] += 1;
    out[blockIdx.x * blockDim.x + t] = s[t];
}

/* Lane 0 of each warp writes a ballot; read after a barrier. */
__global__ void ballots_then_barrier(int *out)
{
    __shared__ unsigned votes[4];
    unsigned t = threadIdx.x;
    unsigned b = __ballot_sync(0xffffffffu, t % 3 == 0);
    if (t % 32 == 0)
        votes[t / 32] = b;
    __syncthreads();
    out[t] = (int)__popc(votes[(t / 32 + 1) % 4]);
}

/* Neighbouring threads write neighbouring bytes. */
__global__ void one_byte_each(unsigned char *out)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = (unsigned char)(i * 3);
}

__global__ void reduce_1024(const int *x, int *out)
{
    __shared__ int s[1024];
    block_sum(x, s);
    if (threadIdx.x == 0)
        *out = s[0];
}

/* ---- the table ------------------------------------------------------------
 */

namespace
{

int *device_ints(const int *host, int n)
{
    int *d = nullptr;
    if (cudaMalloc(&d, (size_t)n * sizeof(int)) != cudaSuccess)
        return nullptr;
    if (host)
        cudaMemcpy(d, host, (size_t)n * sizeof(int), cudaMemcpyHostToDevice);
    else
        cudaMemset(d, 0, (size_t)n * sizeof(int));
    return d;
}

int ones[1024];

const int *all_ones()
{
    for (int i = 0; i < 1024; i++)
        ones[i] = 1;
    return ones;
}

/* Launches k on `blocks` blocks of `threads` with (x of ones, out). */
template <class K>
int run_x_out(K kernel, int blocks, int threads, int want_out)
{
    int *x = device_ints(all_ones(), 1024); /* enough for every entry */
    int *out = device_ints(nullptr, 1024);
    kernel<<<blocks, threads>>>(x, out);
    TRY(cudaGetLastError());
    int got = 0;
    TRY(cudaMemcpy(&got, out, sizeof got, cudaMemcpyDeviceToHost));
    cudaFree(x);
    cudaFree(out);
    return want_out < 0 || got == want_out ? 0 : -1;
}

template <class K> int run_out(K kernel, int blocks, int threads)
{
    int *out = device_ints(nullptr, blocks * threads + 1024);
    kernel<<<blocks, threads>>>(out);
    TRY(cudaGetLastError());
    cudaFree(out);
    return 0;
}

int histogram(bool atomics)
{
    int host[300];
    for (int i = 0; i < 300; i++)
        host[i] = i;
    int *x = device_ints(host, 300);
    unsigned *out;
    TRY(cudaMalloc(&out, 16 * sizeof(unsigned)));
    TRY(cudaMemset(out, 0, 16 * sizeof(unsigned)));
    if (atomics)
        shared_histogram_atomics<<<3, 128>>>(x, 300, out);
    else
        shared_histogram_plusplus<<<3, 128>>>(x, 300, out);
    TRY(cudaGetLastError());
    unsigned got[16];
    TRY(cudaMemcpy(got, out, sizeof got, cudaMemcpyDeviceToHost));
    cudaFree(x);
    cudaFree(out);
    for (int b = 0; b < 16; b++)
        if (atomics && got[b] != (b < 300 % 16 ? 19u : 18u))
            return -1;
    return 0;
}

int dynamic_reverse()
{
    int *x = device_ints(all_ones(), 64), *out = device_ints(nullptr, 64);
    dynamic_reverse_without_barrier<<<1, 64, 64 * sizeof(int)>>>(x, out);
    TRY(cudaGetLastError());
    cudaFree(x);
    cudaFree(out);
    return 0;
}

int read_each_other(bool second_launch)
{
    int *y = device_ints(nullptr, 256), *z = device_ints(nullptr, 256);
    if (second_launch) {
        write_own<<<4, 64>>>(y);
        read_other_blocks<<<4, 64>>>(y, z);
    } else {
        blocks_read_each_other<<<4, 64>>>(y);
    }
    TRY(cudaGetLastError());
    int got[256];
    TRY(cudaMemcpy(got, z, sizeof got, cudaMemcpyDeviceToHost));
    cudaFree(y);
    cudaFree(z);
    if (second_launch)
        for (int i = 0; i < 256; i++)
            if (got[i] != (i + 64) % 256)
                return -1;
    return 0;
}

int matmul()
{
    const int n = 16;
    float host[n * n], *A, *B, *C;
    for (int i = 0; i < n * n; i++)
        host[i] = (float)(i % 7);
    TRY(cudaMalloc(&A, sizeof host));
    TRY(cudaMalloc(&B, sizeof host));
    TRY(cudaMalloc(&C, sizeof host));
    TRY(cudaMemcpy(A, host, sizeof host, cudaMemcpyHostToDevice));
    TRY(cudaMemcpy(B, host, sizeof host, cudaMemcpyHostToDevice));
    tiled_matmul<<<dim3(n / TILE, n / TILE), dim3(TILE, TILE)>>>(A, B, C, n);
    TRY(cudaGetLastError());
    float got[n * n];
    TRY(cudaMemcpy(got, C, sizeof got, cudaMemcpyDeviceToHost));
    cudaFree(A);
    cudaFree(B);
    cudaFree(C);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float want = 0.0f;
            for (int k = 0; k < n; k++)
                want += host[i * n + k] * host[k * n + j];
            if (got[i * n + j] != want)
                return -1;
        }
    return 0;
}

int atomics()
{
    float *sum;
    int *maximum;
    TRY(cudaMalloc(&sum, sizeof(float)));
    TRY(cudaMalloc(&maximum, sizeof(int)));
    TRY(cudaMemset(sum, 0, sizeof(float)));
    TRY(cudaMemset(maximum, 0, sizeof(int)));
    global_atomics<<<4, 64>>>(sum, maximum);
    TRY(cudaGetLastError());
    float s = 0;
    int m = 0;
    TRY(cudaMemcpy(&s, sum, sizeof s, cudaMemcpyDeviceToHost));
    TRY(cudaMemcpy(&m, maximum, sizeof m, cudaMemcpyDeviceToHost));
    cudaFree(sum);
    cudaFree(maximum);
    return s == 128.0f && m == 255 ? 0 : -1;
}

int bytes()
{
    unsigned char *out;
    TRY(cudaMalloc(&out, 256));
    one_byte_each<<<4, 64>>>(out);
    TRY(cudaGetLastError());
    unsigned char got[256];
    TRY(cudaMemcpy(got, out, sizeof got, cudaMemcpyDeviceToHost));
    cudaFree(out);
    for (int i = 0; i < 256; i++)
        if (got[i] != (unsigned char)(i * 3))
            return -1;
    return 0;
}

struct Entry {
    const char *name;
    const char *what;
    int racy;
    int (*run)();
};

const Entry entries[] = {
    {"shared_histogram_plusplus",
     "h[bin]++ on a __shared__ histogram, then a barrier", 1,
     [] { return histogram(false); }},
    {"counter_plusplus_after_barrier",
     "64 threads do s[0]++ after a barrier, then a barrier", 1,
     [] { return run_out(counter_plusplus_after_barrier, 2, 64); }},
    {"counter_plusplus_first", "64 threads do s[0]++, then a barrier", 1,
     [] { return run_out(counter_plusplus_first, 1, 64); }},
    {"reduce_missing_barrier_after_load",
     "tree reduction, no barrier between the load and the first level", 1,
     [] { return run_x_out(reduce_missing_barrier_after_load, 2, 128, -1); }},
    {"reduce_missing_barrier_between_levels",
     "tree reduction, no barrier between its levels", 1,
     [] {
         return run_x_out(reduce_missing_barrier_between_levels, 2, 128, -1);
     }},
    {"blocks_add_without_atomic",
     "every block does *out += its sum (global memory, between blocks)", 1,
     [] { return run_x_out(blocks_add_without_atomic, 4, 128, -1); }},
    {"blocks_write_same_elements",
     "every block writes out[threadIdx.x] (global, between blocks)", 1,
     [] { return run_out(blocks_write_same_elements, 3, 32); }},
    {"neighbour_after_barrier",
     "after a barrier, s[t] = s[t + 1] + 1 with no barrier between", 1,
     [] { return run_out(neighbour_after_barrier, 1, 64); }},
    {"warp_tree_without_syncwarp",
     "one warp's tree reduction in shared memory without __syncwarp", 1,
     [] { return run_x_out(warp_tree_without_syncwarp, 1, 32, -1); }},
    {"atomic_and_plain_read",
     "atomicAdd(&s[0], 1) and a plain read of s[0] in the same phase", 1,
     [] { return run_out(atomic_and_plain_read, 1, 64); }},
    {"first_and_last_of_1024",
     "thread 1023 writes what thread 0 reads (1024-thread block)", 1,
     [] { return run_out(first_and_last_of_1024, 1, 1024); }},
    {"scan_in_place",
     "in-place scan: s[t] += s[t - off] between single barriers", 1,
     [] { return run_x_out(scan_in_place, 1, 64, -1); }},
    {"dynamic_reverse_without_barrier",
     "reverse through extern __shared__ memory without a barrier", 1,
     dynamic_reverse},
    {"blocks_read_each_other",
     "block b reads what block b+1 writes in the same launch", 1,
     [] { return read_each_other(false); }},
    {"relax_one_barrier_per_step",
     "s[t] = (s[t] + s[t - 1]) / 2 with one barrier per step", 1,
     [] { return run_out(relax_one_barrier_per_step, 1, 64); }},

    {"shared_histogram_atomics",
     "atomicAdd on a __shared__ histogram, merged with atomicAdd", 0,
     [] { return histogram(true); }},
    {"reduce_barrier_phases", "tree reduction with a barrier after each level",
     0, [] { return run_x_out(reduce_barrier_phases, 3, 128, 384); }},
    {"reduce_shuffles", "__shfl_down_sync per warp, partials in shared memory",
     0, [] { return run_x_out(reduce_shuffles, 3, 128, 384); }},
    {"warp_tree_with_syncwarp",
     "one warp's tree reduction with __syncwarp between reads and writes", 0,
     [] { return run_x_out(warp_tree_with_syncwarp, 1, 32, 64); }},
    {"broadcast_between_barriers",
     "one thread writes, a barrier, 1024 threads read, twice", 0,
     [] { return run_out(broadcast_between_barriers, 1, 1024); }},
    {"scan_with_two_barriers",
     "scan: read, barrier, add, barrier (Hillis-Steele done right)", 0,
     [] { return run_x_out(scan_with_two_barriers, 1, 64, 1); }},
    {"tiled_matmul", "8x8 tiles in shared memory, two barriers per tile", 0,
     matmul},
    {"second_launch_reads_other_blocks",
     "blocks write, a second launch reads other blocks' elements", 0,
     [] { return read_each_other(true); }},
    {"global_atomics", "float atomicAdd and atomicMax from every thread", 0,
     atomics},
    {"count_as_barrier", "__syncthreads_count between a write and a read", 0,
     [] { return run_out(count_as_barrier, 1, 64); }},
    {"own_elements_only", "each thread touches only its own elements", 0,
     [] { return run_out(own_elements_only, 2, 64); }},
    {"ballots_then_barrier",
     "lane 0 stores __ballot_sync, read after a barrier", 0,
     [] { return run_out(ballots_then_barrier, 1, 128); }},
    {"one_byte_each", "neighbouring threads write neighbouring bytes", 0,
     bytes},
    {"reduce_1024", "tree reduction in a block of 1024 threads", 0,
     [] { return run_x_out(reduce_1024, 1, 1024, 1024); }},
};

} /* namespace */

extern "C" int race_corpus_count(void)
{
    return (int)(sizeof entries / sizeof entries[0]);
}

extern "C" const char *race_corpus_name(int i)
{
    return entries[i].name;
}

extern "C" const char *race_corpus_what(int i)
{
    return entries[i].what;
}

extern "C" int race_corpus_racy(int i)
{
    return entries[i].racy;
}

extern "C" int race_corpus_run(int i)
{
    return entries[i].run();
}

/* gpu_perf.h: what the tests of chapter 6 (GPU performance) measure.
 *
 * In the simulator (the grade): the memory-traffic counters of the kernel
 * launches a call makes, exact and the same on every machine
 * (hardware/cudasim/README.md, "Memory-traffic counters"). Not in the race
 * tier, whose build does not count: there gp_count() says so and the test
 * checks correctness only.
 *
 * On a GPU (the same test built by nvcc): the median time of several calls,
 * measured with CUDA events, reported as metrics beside the simulator's
 * counters; the grade stays on the counters, so every student is graded
 * alike.
 *
 * Include after llmlings.h and cuda_runtime.h. Header-only (static
 * functions), so each test file gets its own copy.
 */
#ifndef LL_GPU_PERF_H
#define LL_GPU_PERF_H

#include <stdio.h>
#include <stdlib.h>

/* The counts of the launches since gp_start(); available is 0 where
 * nothing is counted (the race tier, a GPU). */
typedef struct gp_counts {
    int available;
    unsigned long long launches;
    unsigned long long load_requests, load_sectors;
    unsigned long long store_requests, store_sectors;
    unsigned long long shared_requests, shared_conflicts;
    unsigned long long divergent_branches;
    unsigned long long shared_bytes_per_block;
    unsigned long long tensor_mma_sync; /* warp-level wmma::mma_sync */
} gp_counts;

#ifdef __CUDASIM__
static void gp_start(void)
{
    cudasimCountersReset();
}

static gp_counts gp_count(void)
{
    struct cudasimCounters c;
    cudasimCountersGet(&c);
    gp_counts g;
    g.available = cudasimCountersAvailable() && c.uncounted_accesses == 0;
    g.launches = c.launches;
    g.load_requests = c.global_load_requests;
    g.load_sectors = c.global_load_sectors;
    g.store_requests = c.global_store_requests;
    g.store_sectors = c.global_store_sectors;
    g.shared_requests = c.shared_load_requests + c.shared_store_requests;
    g.shared_conflicts =
        c.shared_load_bank_conflicts + c.shared_store_bank_conflicts;
    g.divergent_branches = c.divergent_branches;
    g.shared_bytes_per_block = c.shared_bytes_per_block;
    g.tensor_mma_sync = c.tensor_mma_sync;
    return g;
}
#else
static void gp_start(void) {}

static gp_counts gp_count(void)
{
    gp_counts g = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    return g;
}
#endif

/* Reports the counts as metrics (they land in the results JSON) and
 * prints them, so `make check` shows what the grade is made of. */
static void gp_report(const gp_counts *g)
{
    if (!g->available)
        return;
    LL_METRIC("global_load_requests", g->load_requests);
    LL_METRIC("global_load_sectors", g->load_sectors);
    LL_METRIC("global_store_requests", g->store_requests);
    LL_METRIC("global_store_sectors", g->store_sectors);
    LL_METRIC("shared_requests", g->shared_requests);
    LL_METRIC("shared_bank_conflicts", g->shared_conflicts);
    LL_METRIC("divergent_branches", g->divergent_branches);
    LL_METRIC("shared_bytes_per_block", g->shared_bytes_per_block);
    if (g->tensor_mma_sync) {
        LL_METRIC("tensor_mma_sync", g->tensor_mma_sync);
        printf("counters: %llu wmma::mma_sync on the tensor cores\n",
               g->tensor_mma_sync);
    }
    printf("counters: %llu launch(es); global loads %llu requests %llu "
           "sectors; global stores %llu requests %llu sectors; shared %llu "
           "requests %llu bank conflicts; %llu divergent branches; %llu "
           "bytes of shared memory per block\n",
           g->launches, g->load_requests, g->load_sectors, g->store_requests,
           g->store_sectors, g->shared_requests, g->shared_conflicts,
           g->divergent_branches, g->shared_bytes_per_block);
}

/* ---- measured time, on a GPU only --------------------------------------- */

/* A call to time: returns a cudaError_t value as int. */
typedef int (*gp_call)(void *arg);

#ifndef __CUDASIM__
static int gp_cmp_float(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The median time of `runs` calls of fn(arg) in milliseconds, each timed
 * with CUDA events around the call (after one untimed warm-up call); a
 * negative value when a call or the timing failed. */
static float gp_median_ms(gp_call fn, void *arg, int runs)
{
    enum { MAX_RUNS = 31 };
    float ms[MAX_RUNS];
    cudaEvent_t start, stop;
    if (runs > MAX_RUNS)
        runs = MAX_RUNS;
    if (cudaEventCreate(&start) != cudaSuccess)
        return -1.0f;
    if (cudaEventCreate(&stop) != cudaSuccess) {
        cudaEventDestroy(start);
        return -1.0f;
    }
    int ok = fn(arg) == cudaSuccess && cudaDeviceSynchronize() == cudaSuccess;
    for (int r = 0; ok && r < runs; r++) {
        ok = cudaEventRecord(start, 0) == cudaSuccess && fn(arg) == 0 &&
             cudaEventRecord(stop, 0) == cudaSuccess &&
             cudaEventSynchronize(stop) == cudaSuccess &&
             cudaEventElapsedTime(&ms[r], start, stop) == cudaSuccess;
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    if (!ok)
        return -1.0f;
    qsort(ms, (size_t)runs, sizeof *ms, gp_cmp_float);
    return ms[runs / 2];
}

/* The reference every bandwidth-bound kernel of the chapter is measured
 * against: a coalesced copy of the same number of bytes. */
__global__ void gp_copy_kernel(const float *in, float *out, int n)
{
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += blockDim.x * gridDim.x)
        out[i] = in[i];
}

typedef struct gp_copy_args {
    const float *in;
    float *out;
    int n;
} gp_copy_args;

static int gp_copy(void *arg)
{
    const gp_copy_args *a = (const gp_copy_args *)arg;
    gp_copy_kernel<<<256, 256>>>(a->in, a->out, a->n);
    return (int)cudaGetLastError();
}

/* Times fn(arg) and a copy of `floats` floats from in to out (device
 * buffers the caller owns, which fn may also use); reports gpu_time_ms,
 * gpu_copy_time_ms and gpu_time_vs_copy (1.0: as fast as a copy). */
static void gp_time_against_copy(gp_call fn, void *arg, const float *in,
                                 float *out, int floats)
{
    gp_copy_args copy = {in, out, floats};
    const float mine = gp_median_ms(fn, arg, 11);
    const float ref = gp_median_ms(gp_copy, &copy, 11);
    if (mine <= 0.0f || ref <= 0.0f) {
        printf("GPU timing failed (%s)\n",
               cudaGetErrorString(cudaGetLastError()));
        return;
    }
    LL_METRIC("gpu_time_ms", mine);
    LL_METRIC("gpu_copy_time_ms", ref);
    LL_METRIC("gpu_time_vs_copy", mine / ref);
    printf("GPU: %.4f ms (median of 11), a copy of the same bytes %.4f ms: "
           "%.2fx\n",
           (double)mine, (double)ref, (double)(mine / ref));
}
#endif /* !__CUDASIM__ */

#endif /* LL_GPU_PERF_H */

/* counter_cases.c: the hand-checked kernels of counter_kernels.cu, each
 * launched once, and the counts each launch must give (derived in
 * counter_kernels.cu; test_counters.c checks the same numbers in every
 * thread order).
 *
 * Built by cudasim-cc (make -C hardware counter-table): prints one line per
 * kernel and counter, tab-separated:
 *
 *     kernel  counter  expected  simulator
 *
 * and exits 1 when a count differs from the expected one.
 * Built by nvcc (hardware/nvcc/ncu_counters.sh): prints the same lines with
 * "-" for the simulator and runs the same launches, for Nsight Compute to
 * measure; ncu_compare.py then puts the GPU's counts beside them.
 */
#include "counter_kernels.h"

#include <cuda_runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The counters compared, in the order printed. */
enum {
    GLD_REQ,
    GLD_SEC,
    GST_REQ,
    GST_SEC,
    ATOM_REQ,
    SLD_REQ,
    SLD_WAVE,
    SLD_CONF,
    SST_REQ,
    SST_WAVE,
    SST_CONF,
    DIVERGENT,
    NCOUNTERS
};

static const char *const counter_names[NCOUNTERS] = {
    "global_load_requests",        "global_load_sectors",
    "global_store_requests",       "global_store_sectors",
    "global_atomic_requests",      "shared_load_requests",
    "shared_load_wavefronts",      "shared_load_bank_conflicts",
    "shared_store_requests",       "shared_store_wavefronts",
    "shared_store_bank_conflicts", "divergent_branches"};

/* One launch: the kernel's name (as Nsight Compute names the function) and
 * its expected counts. */
typedef struct counter_case {
    const char *kernel;
    unsigned long long want[NCOUNTERS];
} counter_case;

static float *iota(size_t n)
{
    float *v = (float *)malloc(n * sizeof(float));
    if (v == NULL) {
        fprintf(stderr, "counter_cases: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++)
        v[i] = (float)(i % 1000);
    return v;
}

#ifdef __CUDASIM__
static void measured(unsigned long long got[NCOUNTERS])
{
    struct cudasimCounters c;
    cudasimCountersLastLaunch(&c);
    const unsigned long long v[NCOUNTERS] = {
        c.global_load_requests,        c.global_load_sectors,
        c.global_store_requests,       c.global_store_sectors,
        c.global_atomic_requests,      c.shared_load_requests,
        c.shared_load_wavefronts,      c.shared_load_bank_conflicts,
        c.shared_store_requests,       c.shared_store_wavefronts,
        c.shared_store_bank_conflicts, c.divergent_branches};
    memcpy(got, v, sizeof v);
}
#endif

/* Prints the lines of one launch (rc: what its host function returned);
 * returns the number of counts that differ from the expected ones. */
static int report(const counter_case *k, int rc)
{
    if (rc != 0) {
        fprintf(stderr, "counter_cases: %s failed: %s\n", k->kernel,
                cudaGetErrorString((cudaError_t)rc));
        return 1;
    }
    int bad = 0;
#ifdef __CUDASIM__
    unsigned long long got[NCOUNTERS];
    measured(got);
    for (int i = 0; i < NCOUNTERS; i++) {
        printf("%s\t%s\t%llu\t%llu\n", k->kernel, counter_names[i], k->want[i],
               got[i]);
        bad += got[i] != k->want[i];
    }
#else
    for (int i = 0; i < NCOUNTERS; i++)
        printf("%s\t%s\t%llu\t-\n", k->kernel, counter_names[i], k->want[i]);
#endif
    return bad;
}

int main(void)
{
    enum { N = 64 * COUNTER_BLOCK, SMALL = 4 * COUNTER_BLOCK, LOOP = 5 };
    float *in = iota((size_t)N * COUNTER_STRIDE);
    float *out = (float *)calloc(N, sizeof(float));
    float sum = 0.0f;
    if (out == NULL)
        return 2;
    /* expected: global ld req, ld sec, st req, st sec, atomics, shared ld
     * req, wavefronts, conflicts, st req, wavefronts, conflicts, divergent */
    const counter_case coalesced = {
        "coalesced_copy_kernel",
        {N / 32, N / 8, N / 32, N / 8, 0, 0, 0, 0, 0, 0, 0, 0}};
    const counter_case strided = {
        "strided_copy_kernel",
        {N / 32, N, N / 32, N / 8, 0, 0, 0, 0, 0, 0, 0, 0}};
    const counter_case vector = {
        "vector_copy_kernel",
        {N / 128, N / 8, N / 128, N / 8, 0, 0, 0, 0, 0, 0, 0, 0}};
    const counter_case broadcast = {
        "broadcast_read_kernel",
        {N / 32, N / 32, N / 32, N / 8, 0, 0, 0, 0, 0, 0, 0, 0}};
    const counter_case transpose = {
        "transpose_kernel", {32, 128, 32, 128, 0, 32, 1024, 992, 32, 32, 0, 0}};
    const counter_case padded = {
        "transpose_padded_kernel",
        {32, 128, 32, 128, 0, 32, 32, 0, 32, 32, 0, 0}};
    const counter_case divergent = {"divergent_kernel",
                                    {SMALL / 32 * LOOP, SMALL / 32 * LOOP,
                                     SMALL / 32, SMALL / 32 * 4, 0, 0, 0, 0, 0,
                                     0, 0, SMALL / 32}};
    const counter_case uniform = {"uniform_kernel",
                                  {SMALL / 64 * LOOP, SMALL / 64 * LOOP,
                                   SMALL / 64, SMALL / 16, 0, 0, 0, 0, 0, 0, 0,
                                   0}};
    const counter_case atomics = {
        "atomic_count_kernel", {0, 0, 0, 0, SMALL / 32, 0, 0, 0, 0, 0, 0, 0}};
    printf("kernel\tcounter\texpected\tsimulator\n");
    int bad = report(&coalesced, coalesced_copy(in, out, N));
    bad += report(&strided, strided_copy(in, out, N));
    bad += report(&vector, vector_copy(in, out, N));
    bad += report(&broadcast, broadcast_read(in, out, N));
    bad += report(&transpose, shared_transpose(in, out, 0));
    bad += report(&padded, shared_transpose(in, out, 1));
    bad += report(&divergent, divergent_branch(in, out, SMALL, LOOP, 0));
    bad += report(&uniform, divergent_branch(in, out, SMALL, LOOP, 1));
    bad += report(&atomics, atomic_count(&sum, SMALL));
    free(out);
    free(in);
    if (bad)
        fprintf(stderr,
                "counter_cases: %d counts differ from the expected "
                "ones\n",
                bad);
    return bad ? 1 : 0;
}

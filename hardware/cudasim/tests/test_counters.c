/* test_counters.c: the memory-traffic counters on kernels whose counts
 * are known by hand (counter_kernels.cu derives each one), in every thread
 * order; the checks of instrumented accesses (misaligned vector loads,
 * reads past the end of a 256-byte-aligned buffer); host<->device bytes.
 */
#include "counter_kernels.h"
#include "llmlings.h"

#include <cuda_runtime.h>

#include <stdlib.h>
#include <string.h>

static const enum cudasimOrder orders[] = {cudasimForward, cudasimReverse,
                                           cudasimShuffle};
static const char *const order_names[] = {"forward", "reverse", "shuffled"};

static float *iota(size_t n)
{
    float *v = (float *)malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        v[i] = (float)(i % 1000);
    return v;
}

/* The expected counts of one launch (fields not named are expected 0). */
typedef struct expected {
    unsigned long long gld_req, gld_sec, gst_req, gst_sec, gatom_req, gatom_sec;
    unsigned long long sld_req, sld_wave, sld_conf, sst_req, sst_wave, sst_conf;
    unsigned long long divergent;
    unsigned long long shared_bytes;
} expected;

static void check_counts(const char *kernel, const char *order,
                         const expected *e)
{
    struct cudasimCounters c;
    cudasimCountersLastLaunch(&c);
    const struct {
        const char *name;
        unsigned long long got, want;
    } rows[] = {
        {"global load requests", c.global_load_requests, e->gld_req},
        {"global load sectors", c.global_load_sectors, e->gld_sec},
        {"global store requests", c.global_store_requests, e->gst_req},
        {"global store sectors", c.global_store_sectors, e->gst_sec},
        {"global atomic requests", c.global_atomic_requests, e->gatom_req},
        {"global atomic sectors", c.global_atomic_sectors, e->gatom_sec},
        {"shared load requests", c.shared_load_requests, e->sld_req},
        {"shared load wavefronts", c.shared_load_wavefronts, e->sld_wave},
        {"shared load bank conflicts", c.shared_load_bank_conflicts,
         e->sld_conf},
        {"shared store requests", c.shared_store_requests, e->sst_req},
        {"shared store wavefronts", c.shared_store_wavefronts, e->sst_wave},
        {"shared store bank conflicts", c.shared_store_bank_conflicts,
         e->sst_conf},
        {"divergent branches", c.divergent_branches, e->divergent},
        {"shared bytes per block", c.shared_bytes_per_block, e->shared_bytes},
        {"uncounted accesses", c.uncounted_accesses, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        LL_CHECK(rows[i].got == rows[i].want,
                 "%s (%s order): %s: expected %llu, got %llu", kernel, order,
                 rows[i].name, rows[i].want, rows[i].got);
}

LL_TEST(counters, available_in_the_plain_build)
{
    LL_CHECK(cudasimCountersAvailable(),
             "the counters are off: counter_kernels.cu was compiled without "
             "the instrumentation (hardware/Makefile COUNT_FLAGS)");
}

LL_TEST(counters, coalesced_copy_n_over_8_sectors)
{
    const int n = 64 * COUNTER_BLOCK; /* 16384 floats: 2048 sectors */
    float *in = iota(n), *out = (float *)malloc(n * sizeof(float));
    expected e;
    memset(&e, 0, sizeof e);
    e.gld_req = n / 32;
    e.gld_sec = n / 8;
    e.gst_req = n / 32;
    e.gst_sec = n / 8;
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        memset(out, 0, n * sizeof(float));
        LL_CHECK_INT_EQ(coalesced_copy(in, out, n), cudaSuccess,
                        "coalesced_copy");
        LL_CHECK_BYTES_EQ(out, in, n * sizeof(float), "coalesced_copy: out");
        check_counts("coalesced_copy", order_names[o], &e);
    }
    free(out);
    free(in);
}

LL_TEST(counters, strided_copy_32x_the_sectors)
{
    const int n = 16 * COUNTER_BLOCK;
    float *in = iota((size_t)n * COUNTER_STRIDE);
    float *out = (float *)malloc(n * sizeof(float));
    expected e;
    memset(&e, 0, sizeof e);
    e.gld_req = n / 32;
    e.gld_sec = n;
    e.gst_req = n / 32;
    e.gst_sec = n / 8;
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        LL_CHECK_INT_EQ(strided_copy(in, out, n), cudaSuccess, "strided_copy");
        LL_CHECK(out[7] == in[7 * COUNTER_STRIDE], "strided_copy: out[7]");
        check_counts("strided_copy", order_names[o], &e);
    }
    free(out);
    free(in);
}

LL_TEST(counters, float4_copy_quarter_of_the_requests)
{
    const int n = 16 * 4 * COUNTER_BLOCK;
    float *in = iota(n), *out = (float *)malloc(n * sizeof(float));
    expected e;
    memset(&e, 0, sizeof e);
    e.gld_req = n / 128;
    e.gld_sec = n / 8;
    e.gst_req = n / 128;
    e.gst_sec = n / 8;
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        LL_CHECK_INT_EQ(vector_copy(in, out, n), cudaSuccess, "vector_copy");
        LL_CHECK_BYTES_EQ(out, in, n * sizeof(float), "vector_copy: out");
        check_counts("vector_copy", order_names[o], &e);
    }
    free(out);
    free(in);
}

LL_TEST(counters, broadcast_read_one_sector)
{
    const int n = 8 * COUNTER_BLOCK;
    const float x = 42.0f;
    float *out = (float *)malloc(n * sizeof(float));
    expected e;
    memset(&e, 0, sizeof e);
    e.gld_req = n / 32;
    e.gld_sec = n / 32;
    e.gst_req = n / 32;
    e.gst_sec = n / 8;
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        LL_CHECK_INT_EQ(broadcast_read(&x, out, n), cudaSuccess,
                        "broadcast_read");
        LL_CHECK(out[n - 1] == 42.0f, "broadcast_read: out[n-1]");
        check_counts("broadcast_read", order_names[o], &e);
    }
    free(out);
}

static void check_transpose(int padded)
{
    float *in = iota(32 * 32), out[32 * 32];
    expected e;
    memset(&e, 0, sizeof e);
    e.gld_req = 32;
    e.gld_sec = 128;
    e.gst_req = 32;
    e.gst_sec = 128;
    e.sld_req = 32;
    e.sld_wave = padded ? 32 : 1024;
    e.sld_conf = padded ? 0 : 992;
    e.sst_req = 32;
    e.sst_wave = 32;
    e.shared_bytes = padded ? 32 * 33 * 4 : 32 * 32 * 4;
    const char *name = padded ? "transpose_padded" : "transpose";
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        LL_CHECK_INT_EQ(shared_transpose(in, out, padded), cudaSuccess, name);
        LL_CHECK(out[3 * 32 + 5] == in[5 * 32 + 3], "%s: out[3][5]", name);
        check_counts(name, order_names[o], &e);
    }
    free(in);
}

LL_TEST(counters, shared_transpose_32_way_conflicts)
{
    check_transpose(0);
}

LL_TEST(counters, shared_transpose_padded_no_conflicts)
{
    check_transpose(1);
}

LL_TEST(counters, divergent_branch_one_per_warp)
{
    const int n = 4 * COUNTER_BLOCK, loop = 5;
    float *in = iota(loop), *out = (float *)malloc(n * sizeof(float));
    /* counter_kernels.cu derives these */
    expected e;
    memset(&e, 0, sizeof e);
    e.gld_req = (n / 32) * loop;
    e.gld_sec = (n / 32) * loop;
    e.gst_req = n / 32;
    e.gst_sec = (n / 32) * 4;
    e.divergent = n / 32;
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        LL_CHECK_INT_EQ(divergent_branch(in, out, n, loop, 0), cudaSuccess,
                        "divergent_branch");
        LL_CHECK(out[0] == 0 + 1 + 2 + 3 + 4 && out[2] == out[0],
                 "divergent_branch: out[0], out[2]");
        check_counts("divergent_branch", order_names[o], &e);
    }
    /* the same branch on the warp's parity: no divergence */
    expected u;
    memset(&u, 0, sizeof u);
    u.gld_req = (n / 64) * loop;
    u.gld_sec = (n / 64) * loop;
    u.gst_req = n / 64;
    u.gst_sec = n / 16;
    u.divergent = 0;
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        LL_CHECK_INT_EQ(divergent_branch(in, out, n, loop, 1), cudaSuccess,
                        "uniform_branch");
        check_counts("uniform_branch", order_names[o], &u);
    }
    free(out);
    free(in);
}

LL_TEST(counters, atomics_and_copied_bytes)
{
    const int n = 4 * COUNTER_BLOCK;
    float sum = 0.0f;
    cudasimSetOrder(cudasimForward, 1);
    cudasimCountersReset();
    LL_CHECK_INT_EQ(atomic_count(&sum, n), cudaSuccess, "atomic_count");
    LL_CHECK(sum == (float)n, "atomic_count: expected %d, got %.1f", n,
             (double)sum);
    expected e;
    memset(&e, 0, sizeof e);
    e.gatom_req = n / 32;
    e.gatom_sec = n / 32;
    check_counts("atomic_count", "forward", &e);
    struct cudasimCounters c;
    cudasimCountersGet(&c);
    LL_CHECK(c.launches == 1 && c.bytes_host_to_device == 4 &&
                 c.bytes_device_to_host == 4 && c.bytes_device_to_device == 4,
             "atomic_count: launches %llu, bytes host->device %llu, "
             "device->host %llu, device->device %llu (expected 1, 4, 4, 4)",
             c.launches, c.bytes_host_to_device, c.bytes_device_to_host,
             c.bytes_device_to_device);
}

/* ---- what the instrumented accesses are checked for -------------------- */

static void expect_message(const char *needle)
{
    const char *msg = cudasimLastMessage();
    LL_CHECK(strstr(msg, needle) != NULL,
             "expected the simulator's message to contain \"%s\", got \"%s\"",
             needle, msg);
}

LL_TEST(checks, cudamalloc_is_256_byte_aligned)
{
    for (size_t bytes = 1; bytes < 5000; bytes += 333) {
        void *p = NULL;
        LL_CHECK_INT_EQ(cudaMalloc(&p, bytes), cudaSuccess, "cudaMalloc");
        LL_CHECK(((uintptr_t)p & 255) == 0,
                 "cudaMalloc(%zu) returned %p: not 256-byte aligned", bytes, p);
        cudaFree(p);
    }
}

LL_TEST(checks, aligned_float4_from_an_offset_of_4)
{
    const int n = 64;
    float *in = iota(n + 4), out[64];
    cudasimSetOrder(cudasimForward, 1);
    LL_CHECK_INT_EQ(vector_copy_from(in, n + 4, out, n, 4), cudaSuccess,
                    "vector_copy_from(offset 4)");
    LL_CHECK_BYTES_EQ(out, in + 4, sizeof out, "vector_copy_from: out");
    free(in);
}

LL_TEST(checks, misaligned_float4_is_a_fault)
{
    const int n = 64;
    float *in = iota(n + 4), out[64];
    cudasimSetFaultMode(cudasimFaultError);
    cudasimSetOrder(cudasimForward, 1);
    LL_CHECK_INT_EQ(vector_copy_from(in, n + 4, out, n, 1),
                    cudaErrorMisalignedAddress, "vector_copy_from(offset 1)");
    expect_message("misaligned 16-byte read");
    expect_message("byte offset 4 of a 272-byte device buffer");
    expect_message("counter_kernels.cu:");
    free(in);
}

LL_TEST(checks, read_past_the_end_before_the_guard_page)
{
    /* 1001 floats: the buffer ends 96 bytes before its guard page */
    const int n = 1001;
    float *in = iota(n), *out = (float *)malloc(n * sizeof(float));
    cudasimSetFaultMode(cudasimFaultError);
    cudasimSetOrder(cudasimForward, 1);
    LL_CHECK_INT_EQ(copy_overrun(in, out, n, 1), cudaErrorIllegalAddress,
                    "copy_overrun(extra 1)");
    expect_message("out-of-bounds read");
    expect_message("byte offset 4004 of a 4004-byte buffer");
    expect_message("thread (41,0,0)");
    expect_message("counter_kernels.cu:");
    free(out);
    free(in);
}

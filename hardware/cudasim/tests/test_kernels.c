/* test_kernels.c: the CUDA simulator's own tests (Criterion, built exactly
 * like a CUDA exercise: rewritten, compiled as C++, linked with libcudasim).
 *
 * Correct kernels must give the right answer in every thread order; each
 * planted bug must be caught with a message that names it.
 */
#include "kernels.h"
#include "llmlings.h"

#include <cuda_runtime.h>

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const enum cudasimOrder orders[] = {cudasimForward, cudasimReverse,
                                           cudasimShuffle};
static const char *order_names[] = {"forward", "reverse", "shuffled"};

static float *random_floats(int n, unsigned seed)
{
    float *v = (float *)malloc((size_t)n * sizeof(float));
    for (int i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        v[i] = (float)((seed >> 9) % 2001) / 1000.0f - 1.0f;
    }
    return v;
}

static double sum_of(const float *v, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

/* Messages must name the bug; faults become errors instead of aborts. */
static void expect_message(const char *needle)
{
    const char *msg = cudasimLastMessage();
    LL_CHECK(strstr(msg, needle) != NULL,
             "expected the simulator's message to contain \"%s\", got \"%s\"",
             needle, msg);
}

/* ---- correct kernels
 * --------------------------------------------------------- */

LL_TEST(correct, vector_add_every_order)
{
    const int n = 1000; /* not a multiple of the block */
    float *a = random_floats(n, 1), *b = random_floats(n, 2);
    float *c = (float *)malloc(n * sizeof(float));
    float *want = (float *)malloc(n * sizeof(float));
    for (int i = 0; i < n; i++)
        want[i] = a[i] + b[i];
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 7);
        memset(c, 0, n * sizeof(float));
        LL_CHECK_INT_EQ(vecadd(a, b, c, n, 128, 1), cudaSuccess,
                        "vecadd returned");
        LL_CHECK_FLOATS_NEAR(c, want, n, 0.0f, 0.0f, order_names[o]);
    }
    free(a), free(b), free(c), free(want);
}

LL_TEST(correct, null_and_int_arguments)
{
    float out[40];
    for (int i = 0; i < 40; i++)
        out[i] = -1.0f;
    int err = null_and_int_args(out, 40);
    LL_CHECK(err == cudaSuccess, "launch with NULL, 0 and an int: error %d",
             err);
    for (int i = 0; i < 40; i++)
        LL_CHECK(out[i] == 3.0f, "out[%d]: expected 3, got %g", i,
                 (double)out[i]);
}

LL_TEST(correct, reductions_every_order)
{
    const int n = 100003;
    float *x = random_floats(n, 3);
    double want = sum_of(x, n);
    const enum reduce_variant vs[] = {REDUCE_SHARED, REDUCE_SHUFFLE,
                                      REDUCE_WARP_SYNC};
    const char *names[] = {"shared-memory tree", "warp shuffle",
                           "warp-synchronous with __syncwarp"};
    for (int v = 0; v < 3; v++)
        for (int o = 0; o < 3; o++) {
            cudasimSetOrder(orders[o], 11);
            float got = 0.0f;
            LL_CHECK_INT_EQ(reduce_sum(x, n, &got, vs[v]), cudaSuccess,
                            "reduce_sum returned");
            LL_CHECK(fabs(got - want) < 1e-2,
                     "%s reduction (%s order): "
                     "expected %.4f, got %.4f",
                     names[v], order_names[o], want, (double)got);
        }
    free(x);
}

LL_TEST(correct, dynamic_shared_memory)
{
    const int n = 300, threads = 128;
    int in[300], out[300], want[300];
    for (int i = 0; i < n; i++)
        in[i] = i * 3 + 1;
    for (int base = 0; base < n; base += threads) {
        int len = n - base < threads ? n - base : threads;
        for (int t = 0; t < len; t++)
            want[base + t] = in[base + len - 1 - t];
    }
    LL_CHECK_INT_EQ(
        reverse_by_block(in, out, n, threads, threads * sizeof(int)),
        cudaSuccess, "reverse_by_block returned");
    LL_CHECK_BYTES_EQ(out, want, sizeof want, "block-reversed array");
}

LL_TEST(correct, tiled_matmul_odd_sizes)
{
    const int M = 37, N = 53, K = 29; /* none a multiple of the 16 tile */
    float *A = random_floats(M * K, 5), *B = random_floats(K * N, 6);
    float *C = (float *)malloc(M * N * sizeof(float));
    float *want = (float *)malloc(M * N * sizeof(float));
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int k = 0; k < K; k++)
                s += (double)A[i * K + k] * B[k * N + j];
            want[i * N + j] = (float)s;
        }
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 3);
        memset(C, 0, M * N * sizeof(float));
        LL_CHECK_INT_EQ(matmul_tiled(A, B, C, M, N, K), cudaSuccess,
                        "matmul_tiled returned");
        LL_CHECK_FLOATS_NEAR(C, want, M * N, 1e-4f, 1e-4f, order_names[o]);
    }
    free(A), free(B), free(C), free(want);
}

LL_TEST(correct, warp_intrinsics)
{
    int r[32 * 8];
    LL_CHECK_INT_EQ(warp_ops(r), cudaSuccess, "warp_ops returned");
    for (int lane = 0; lane < 32; lane++) {
        const int *x = r + lane * 8;
        LL_CHECK_UINT_EQ((unsigned)x[0], 0xaaaaaaaau, "__ballot_sync(odd)");
        LL_CHECK_INT_EQ(x[1], 1, "__any_sync(lane == 7)");
        LL_CHECK_INT_EQ(x[2], 0, "__all_sync(lane < 31)");
        LL_CHECK_INT_EQ(x[3], 496, "__shfl_xor_sync butterfly sum of 0..31");
        LL_CHECK_INT_EQ(x[4], lane * (lane + 1) / 2,
                        "__shfl_up_sync inclusive scan");
        LL_CHECK_INT_EQ(x[5], 50, "__shfl_sync broadcast of lane 5");
        LL_CHECK_INT_EQ(x[6], 8, "__syncthreads_count(lane % 4 == 0)");
        LL_CHECK(((unsigned)x[7] >> lane) & 1u,
                 "__activemask() of lane %d: expected its own bit set, got "
                 "0x%08x",
                 lane, (unsigned)x[7]);
    }
}

LL_TEST(correct, histogram_with_atomics)
{
    const int n = 5000;
    unsigned char *x = (unsigned char *)malloc(n);
    unsigned want[256] = {0}, got[256];
    for (int i = 0; i < n; i++) {
        x[i] = (unsigned char)((i * 7919u) % 251u);
        want[x[i]]++;
    }
    LL_CHECK_INT_EQ(histogram(x, n, got, 1), cudaSuccess, "histogram returned");
    LL_CHECK_BYTES_EQ(got, want, sizeof want, "histogram");
    free(x);
}

LL_TEST(correct, events_time_a_launch)
{
    float ms = event_elapsed_ms();
    LL_CHECK(ms >= 0.0f && ms < 10000.0f,
             "cudaEventElapsedTime: expected a time in ms >= 0, got %g",
             (double)ms);
}

/* ---- planted bugs
 * --------------------------------------------------------------- */

LL_TEST(bugs, missing_barrier_wrong_in_some_order)
{
    const int n = 4096;
    float *x = random_floats(n, 9);
    double want = sum_of(x, n);
    int wrong = 0;
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        float got = 0.0f;
        LL_CHECK_INT_EQ(reduce_sum(x, n, &got, REDUCE_MISSING_BARRIER),
                        cudaSuccess, "reduce_sum returned");
        wrong += fabs(got - want) > 1e-2;
    }
    LL_CHECK(wrong > 0, "a reduction without barriers between tree levels "
                        "gave the right sum in all three thread orders");
    free(x);
}

LL_TEST(bugs, warp_synchronous_without_syncwarp)
{
    const int n = 4096;
    float *x = random_floats(n, 10);
    double want = sum_of(x, n);
    int wrong = 0;
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 5);
        float got = 0.0f;
        LL_CHECK_INT_EQ(reduce_sum(x, n, &got, REDUCE_WARP_NOSYNC), cudaSuccess,
                        "reduce_sum returned");
        wrong += fabs(got - want) > 1e-2;
    }
    LL_CHECK(wrong > 0, "warp-synchronous code without __syncwarp gave the "
                        "right sum in all three thread orders");
    free(x);
}

LL_TEST(bugs, divergent_barrier_in_branch)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(sync_bug(BUG_BARRIER_IN_BRANCH), cudaErrorLaunchFailure,
                    "error after a barrier only half the block reaches");
    expect_message("divergent __syncthreads() at ");
    expect_message("kernels.cu:");
    expect_message("exited without reaching it");
}

LL_TEST(bugs, divergent_barrier_after_early_return)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(sync_bug(BUG_BARRIER_AFTER_RETURN), cudaErrorLaunchFailure,
                    "error after an early return before a barrier");
    expect_message("divergent __syncthreads() at ");
    expect_message("kernel barrier_after_return");
    expect_message("block (0,0,0)");
}

LL_TEST(bugs, divergent_barrier_two_sites)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(sync_bug(BUG_BARRIER_TWO_SITES), cudaErrorLaunchFailure,
                    "error when halves wait at different barriers");
    expect_message("divergent __syncthreads(): thread (0,0,0) waits at ");
}

LL_TEST(bugs, shuffle_mask_mismatch)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(sync_bug(BUG_SHUFFLE_MASK), cudaErrorLaunchFailure,
                    "error when lanes pass different masks");
    expect_message("must pass the same mask");
}

LL_TEST(bugs, shuffle_full_mask_in_partial_warp)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(sync_bug(BUG_SHUFFLE_PARTIAL_WARP), cudaErrorLaunchFailure,
                    "error for a full mask in a 16-lane warp");
    expect_message("names lanes that do not exist");
}

LL_TEST(bugs, out_of_bounds_read)
{
    cudasimSetFaultMode(cudasimFaultError);
    const int n = 1000;
    float a[1000] = {0}, b[1000] = {0}, c[1000];
    LL_CHECK_INT_EQ(vecadd(a, b, c, n, 256, 0), cudaErrorIllegalAddress,
                    "error of a vector add without `if (i < n)`");
    expect_message("out-of-bounds read");
    expect_message("byte offset 4000 of a 4000-byte buffer");
    expect_message("kernel vecadd_unguarded_kernel");
    expect_message("block (3,0,0), thread (232,0,0)");
    /* the error is sticky, as after a GPU fault */
    LL_CHECK_INT_EQ(cudaDeviceSynchronize(), cudaErrorIllegalAddress,
                    "cudaDeviceSynchronize after the fault");
}

LL_TEST(bugs, out_of_bounds_write)
{
    cudasimSetFaultMode(cudasimFaultError);
    float out[100];
    LL_CHECK_INT_EQ(iota_unguarded(out, 100, 64), cudaErrorIllegalAddress,
                    "error of a fill kernel without `if (i < n)`");
    expect_message("out-of-bounds write");
    expect_message("byte offset 400 of a 400-byte buffer");
    expect_message("kernel iota_unguarded_kernel");
    expect_message("block (1,0,0), thread (36,0,0)");
}

LL_TEST(bugs, dynamic_shared_too_small)
{
    cudasimSetFaultMode(cudasimFaultError);
    int in[128] = {0}, out[128];
    /* BUG: 128 bytes requested for 128 ints */
    LL_CHECK_INT_EQ(reverse_by_block(in, out, 128, 128, 128),
                    cudaErrorIllegalAddress,
                    "error when dynamic shared memory is too small");
    expect_message("out-of-bounds write of dynamic shared memory");
    expect_message("byte offset 128, but the launch requested only 128");
}

LL_TEST(bugs, static_shared_overrun_first_of_two)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(shared_overrun(0), cudaErrorIllegalAddress,
                    "error after writing one element past a __shared__ array "
                    "that another one follows");
    expect_message("out-of-bounds write past the end of __shared__ a (int "
                   "[32], 128 bytes, declared at ");
    expect_message("byte offset 128 (valid offsets are 0..127");
    expect_message("thread (31,0,0), at ");
    expect_message("kernels.cu:");
}

LL_TEST(bugs, static_shared_overrun_of_a_tile)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(shared_overrun(1), cudaErrorIllegalAddress,
                    "error after reading a row past a __shared__ tile");
    expect_message("out-of-bounds read past the end of __shared__ tile (float "
                   "[4][8], 128 bytes, declared at ");
    expect_message("byte offset 128 (valid offsets are 0..127");
}

LL_TEST(leaks, buffers_never_freed_are_named)
{
    unsigned long long mark = cudasimAllocationMark();
    LL_CHECK_INT_EQ(leaky_alloc(), cudaSuccess, "leaky_alloc");
    char why[512];
    size_t n = cudasimLeaksSince(mark, why, sizeof why);
    LL_CHECK_UINT_EQ(n, 2, "buffers still allocated after leaky_alloc");
    LL_CHECK(strstr(why, "2 device buffers (16000 bytes) still allocated: "
                         "4000 bytes from cudaMalloc at ") != NULL &&
                 strstr(why, "12000 bytes from cudaMalloc at ") != NULL &&
                 strstr(why, "kernels.cu:") != NULL,
             "expected both leaked buffers with their source lines, got \"%s\"",
             why);
    LL_CHECK_UINT_EQ(
        cudasimLeaksSince(cudasimAllocationMark(), why, sizeof why), 0,
        "leaks since a fresh mark");
    LL_CHECK_STR_EQ(why, "", "description when nothing leaked");
}

LL_TEST(bugs, too_many_threads_per_block)
{
    LL_CHECK_INT_EQ(launch_shape(2048, 1, 1), cudaErrorInvalidConfiguration,
                    "cudaGetLastError after a launch of 2048 threads");
    expect_message("2048 threads per block");
    LL_CHECK_INT_EQ(launch_shape(32, 32, 2), cudaErrorInvalidConfiguration,
                    "cudaGetLastError after a launch of 32x32x2 threads");
    LL_CHECK_INT_EQ(launch_shape(1, 1, 65), cudaErrorInvalidConfiguration,
                    "cudaGetLastError after blockDim.z = 65");
    LL_CHECK_INT_EQ(launch_shape(32, 32, 1), cudaSuccess,
                    "cudaGetLastError after a launch of 1024 threads");
    LL_CHECK_STR_EQ(cudaGetErrorString(cudaErrorInvalidConfiguration),
                    "invalid configuration argument",
                    "cudaGetErrorString(cudaErrorInvalidConfiguration)");
}

LL_TEST(bugs, host_pointer_as_kernel_argument)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(launch_with_host_pointer(), cudaErrorIllegalAddress,
                    "launch with a host array as argument");
    expect_message("argument 1");
    expect_message("is a host pointer");
}

LL_TEST(bugs, memcpy_wrong_direction)
{
    LL_CHECK_INT_EQ(memcpy_wrong_direction(), cudaErrorInvalidValue,
                    "cudaMemcpy(device, host, cudaMemcpyDeviceToHost)");
    expect_message("not device memory");
}

LL_TEST(bugs, host_dereferences_device_pointer, .signal = SIGSEGV)
{
    (void)host_reads_device_pointer();
}

/* ---- who wrote what is copied back (result_origin.h) --------------------- */

#ifdef __cplusplus
extern "C"
#endif
    int
    llmlings_gpu_origin(unsigned long long *kernel_bytes,
                        unsigned long long *host_bytes);

LL_TEST(origin, kernel_output_and_host_data_are_told_apart)
{
    enum { N = 64 };
    float a[N], b[N], c[N];
    for (int i = 0; i < N; i++)
        a[i] = (float)i + 1.0f, b[i] = 2.0f;
    unsigned long long k0, h0, k1, h1, k2, h2, k3, h3;
    llmlings_gpu_origin(&k0, &h0);
    LL_CHECK_INT_EQ(vecadd(a, b, c, N, 32, 1), 0, "vecadd");
    llmlings_gpu_origin(&k1, &h1);
    LL_CHECK_UINT_EQ(k1 - k0, sizeof c, "kernel bytes copied back by vecadd");
    LL_CHECK_UINT_EQ(h1 - h0, 0, "host bytes copied back by vecadd");

    /* host data through device memory: copied in, copied back */
    float *d = NULL;
    LL_CHECK_INT_EQ(cudaMalloc(&d, sizeof a), cudaSuccess, "cudaMalloc");
    cudaMemcpy(d, a, sizeof a, cudaMemcpyHostToDevice);
    cudaMemcpy(c, d, sizeof c, cudaMemcpyDeviceToHost);
    llmlings_gpu_origin(&k2, &h2);
    LL_CHECK_UINT_EQ(k2 - k1, 0, "kernel bytes of a copy round trip");
    LL_CHECK_UINT_EQ(h2 - h1, sizeof a, "host bytes of a copy round trip");

    /* cleared with zeros: nobody's result */
    cudaMemset(d, 0, sizeof a);
    cudaMemcpy(c, d, sizeof c, cudaMemcpyDeviceToHost);
    llmlings_gpu_origin(&k3, &h3);
    LL_CHECK_UINT_EQ(k3 - k2 + h3 - h2, 0, "bytes of a zeroed buffer");
    cudaFree(d);
}

/* test_wmma.c: the WMMA API of the simulator (mma.h, cuda_fp16.h) on
 * results derived by hand, in every thread order; its faults (a wrong
 * ldm, a lane that skips or diverges, a partial warp); its counts
 * (wmma_kernels.cu derives them).
 */
#include "llmlings.h"
#include "wmma_kernels.h"

#include <cuda_runtime.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const enum cudasimOrder orders[] = {cudasimForward, cudasimReverse,
                                           cudasimShuffle};

static float *filled(size_t n, float v)
{
    float *m = (float *)malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        m[i] = v;
    return m;
}

LL_TEST(wmma, identity_times_b_is_b)
{
    enum { N = 16 };
    float *I = filled(N * N, 0.0f), *B = filled(N * N, 0.0f);
    float *C = filled(N * N, 0.0f), *D = filled(N * N, -1.0f);
    for (int i = 0; i < N; i++) {
        I[i * N + i] = 1.0f;
        for (int j = 0; j < N; j++)
            B[i * N + j] = (float)(i * N + j - 100); /* integers, exact */
    }
    for (int o = 0; o < 3; o++) {
        cudasimSetOrder(orders[o], 7);
        LL_CHECK_INT_EQ(wmma_product(I, B, C, D, N, N, N, 0, 0, 0), 0,
                        "wmma_product(I, B)");
        LL_CHECK_FLOATS_NEAR(D, B, N * N, 0.0f, 0.0f, "I B");
    }
    free(I), free(B), free(C), free(D);
}

/* All ones times all twos plus C = 1: every element 16 * 2 + 1 = 33; with
 * K = 64 (four mma_sync steps) 129. */
LL_TEST(wmma, constant_matrices)
{
    float *A = filled(32 * 64, 1.0f), *B = filled(64 * 48, 2.0f);
    float *C = filled(32 * 48, 1.0f), *D = filled(32 * 48, 0.0f);
    float *want = filled(32 * 48, 129.0f);
    LL_CHECK_INT_EQ(wmma_product(A, B, C, D, 32, 48, 64, 0, 0, 0), 0,
                    "wmma_product(ones 32x64, twos 64x48)");
    LL_CHECK_FLOATS_NEAR(D, want, 32 * 48, 0.0f, 0.0f,
                         "ones times twos plus 1");
    free(A), free(B), free(C), free(D), free(want);
}

/* Small integers are exact in half and their products and sums in float:
 * A[i][p] = (i + 2p) % 5 - 2, B[p][j] = (3p + j) % 7 - 3, C[i][j] = i - j;
 * D must equal the integer product exactly, in every layout combination. */
LL_TEST(wmma, small_integers_every_layout)
{
    enum { M = 32, N = 48, K = 32 };
    float *A = filled(M * K, 0), *B = filled(K * N, 0), *C = filled(M * N, 0);
    float *D = filled(M * N, 0), *want = filled(M * N, 0);
    for (int i = 0; i < M; i++)
        for (int p = 0; p < K; p++)
            A[i * K + p] = (float)((i + 2 * p) % 5 - 2);
    for (int p = 0; p < K; p++)
        for (int j = 0; j < N; j++)
            B[p * N + j] = (float)((3 * p + j) % 7 - 3);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            int s = i - j;
            for (int p = 0; p < K; p++)
                s += ((i + 2 * p) % 5 - 2) * ((3 * p + j) % 7 - 3);
            C[i * N + j] = (float)(i - j);
            want[i * N + j] = (float)s;
        }
    for (int layout = 0; layout < 8; layout++) {
        cudasimSetOrder(orders[layout % 3], 3);
        memset(D, 0, M * N * sizeof(float));
        char what[120];
        snprintf(what, sizeof what, "integer product, A %s, B %s, D stored %s",
                 layout & 1 ? "col_major" : "row_major",
                 layout & 2 ? "col_major" : "row_major",
                 layout & 4 ? "mem_col_major" : "mem_row_major");
        LL_CHECK_INT_EQ(wmma_product(A, B, C, D, M, N, K, layout & 1,
                                     layout >> 1 & 1, layout >> 2 & 1),
                        0, what);
        LL_CHECK_FLOATS_NEAR(D, want, M * N, 0.0f, 0.0f, what);
    }
    free(A), free(B), free(C), free(D), free(want);
}

/* Round to nearest even, as nvcc's __float2half: the half spacing at 1 is
 * 2^-10, so 1 + 2^-11 is a tie that goes to 1 (even), 1 + 3 * 2^-11 one
 * that goes to 1 + 2^-9; 0.1 is 0x2e66 = 0.0999755859375; 65519 is below
 * the tie 65520 (65504, 0x7bff), 65520 becomes infinity (0x7c00); 2^-25 is
 * the tie between 0 and the least subnormal 2^-24 (to 0), 3 * 2^-25 the tie
 * between 2^-24 and 2^-23 (to 2^-23, even); -2.5 is exact (0xc100). */
LL_TEST(wmma, half_rounding)
{
    enum { N = 9 };
    const float in[N] = {1.0f + ldexpf(1, -11),
                         1.0f + 3 * ldexpf(1, -11),
                         0.1f,
                         65519.0f,
                         65520.0f,
                         ldexpf(1, -25),
                         3 * ldexpf(1, -25),
                         -2.5f,
                         1.0f + ldexpf(1, -10)};
    const unsigned short want_bits[N] = {0x3c00, 0x3c02, 0x2e66, 0x7bff, 0x7c00,
                                         0x0000, 0x0002, 0xc100, 0x3c01};
    const float want[N] = {1.0f,
                           1.0f + ldexpf(1, -9),
                           0.0999755859375f,
                           65504.0f,
                           INFINITY,
                           0.0f,
                           ldexpf(1, -23),
                           -2.5f,
                           1.0f + ldexpf(1, -10)};
    float out[N];
    unsigned short bits[N];
    LL_CHECK_INT_EQ(half_round(in, out, bits, N), 0, "half_round");
    for (int i = 0; i < N; i++) {
        char what[80];
        snprintf(what, sizeof what, "__float2half(%.9g)", (double)in[i]);
        LL_CHECK_INT_EQ(bits[i], want_bits[i], what);
        if (!isinf(want[i]))
            LL_CHECK_FLOAT_NEAR(out[i], want[i], 0.0, what);
    }
    /* through mma_sync: A[0][0] = 0.1 times the identity gives D[0][0] =
     * 0.1 rounded to half, not 0.1 */
    float *A = filled(256, 0.0f), *I = filled(256, 0.0f);
    float *C = filled(256, 0.0f), *D = filled(256, 0.0f);
    A[0] = 0.1f;
    for (int i = 0; i < 16; i++)
        I[i * 16 + i] = 1.0f;
    LL_CHECK_INT_EQ(wmma_product(A, I, C, D, 16, 16, 16, 0, 0, 0), 0,
                    "wmma_product(0.1 at A[0][0], I)");
    LL_CHECK_FLOAT_NEAR(D[0], 0.0999755859375f, 0.0, "D[0][0]");
}

/* A half accumulator: the float sum is rounded to half once per mma_sync
 * (mma.h). Row 0 of A is 1, 2^-11, 2^-11, 0, ...; B's rows 0..2 are all
 * ones: D[0][j] = 1 + 2^-10, exact in half (rounding after each addition
 * would lose both 2^-11: 1 + 2^-11 is a tie that goes to 1). Row 1 of A is
 * 1, 2^-11, 0, ...: 1 + 2^-11 rounds to 1 (a tie, to even). */
LL_TEST(wmma, half_accumulator_rounds_once)
{
    float *A = filled(256, 0.0f), *B = filled(256, 0.0f), *D = filled(256, 0);
    A[0] = 1.0f, A[1] = A[2] = ldexpf(1, -11);
    A[16] = 1.0f, A[17] = ldexpf(1, -11);
    for (int j = 0; j < 48; j++)
        B[j] = 1.0f;
    LL_CHECK_INT_EQ(wmma_product_half_accumulator(A, B, D), 0,
                    "wmma_product_half_accumulator");
    LL_CHECK_FLOAT_NEAR(D[5], 1.0f + ldexpf(1, -10), 0.0, "D[0][5]");
    LL_CHECK_FLOAT_NEAR(D[16 + 5], 1.0f, 0.0, "D[1][5]");
    LL_CHECK_FLOAT_NEAR(D[2 * 16 + 5], 0.0f, 0.0, "D[2][5]");
    free(A), free(B), free(D);
}

static void expect_fault(int got, const char *what, const char *needle)
{
    LL_CHECK_INT_EQ(got, (int)cudaErrorLaunchFailure, what);
    const char *msg = cudasimLastMessage();
    LL_CHECK(strstr(msg, needle) != NULL,
             "%s: expected a message with '%s', "
             "got '%s'",
             what, needle, msg);
}

/* A fault is sticky (as on a GPU): one per test. */
LL_TEST(wmma, ldm_not_a_multiple_of_16_bytes_is_a_fault)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(wmma_load_ldm(24), 0, "load_matrix_sync with ldm 24");
    expect_fault(wmma_load_ldm(12), "load_matrix_sync with ldm 12",
                 "ldm 12 must be at least 16 and a multiple of 8");
}

LL_TEST(wmma, ldm_shorter_than_a_row_is_a_fault)
{
    cudasimSetFaultMode(cudasimFaultError);
    expect_fault(wmma_load_ldm(8), "load_matrix_sync with ldm 8",
                 "ldm 8 must be at least 16");
}

/* ldm 48 on a 16 x 32 matrix (512 halves, 1024 bytes): rows 11 to 15 of
 * the tile start at element 528 and beyond, past the buffer. */
LL_TEST(wmma, load_past_the_buffer_is_stopped_at_the_callers_line)
{
    cudasimSetFaultMode(cudasimFaultError);
    LL_CHECK_INT_EQ(wmma_load_ldm(48), (int)cudaErrorIllegalAddress,
                    "load_matrix_sync with ldm 48 from a 16 x 32 matrix");
    const char *msg = cudasimLastMessage();
    LL_CHECK(strstr(msg, "out-of-bounds read") != NULL &&
                 strstr(msg, "wmma_kernels.cu:") != NULL &&
                 strstr(msg, "mma.h") == NULL,
             "the message names the read and the caller's line: got '%s'", msg);
}

LL_TEST(wmma, lane_that_skips_is_a_fault)
{
    cudasimSetFaultMode(cudasimFaultError);
    expect_fault(wmma_lane_skips_load(5), "lane 5 skips load_matrix_sync",
                 "wmma::load_matrix_sync at");
    const char *msg = cudasimLastMessage();
    LL_CHECK(strstr(msg, "wmma::fill_fragment") != NULL,
             "the message names where the other lane is: got '%s'", msg);
}

LL_TEST(wmma, lane_with_other_ldm_is_a_fault)
{
    cudasimSetFaultMode(cudasimFaultError);
    expect_fault(wmma_lane_other_ldm(9), "lane 9 passes ldm 32",
                 "lane 9 passes the ldm 32 but lane 0 passes 16");
}

LL_TEST(wmma, partial_warp_is_a_fault)
{
    cudasimSetFaultMode(cudasimFaultError);
    expect_fault(wmma_partial_warp(), "fill_fragment in a 48-thread block",
                 "the warp has only 16 lanes (the block has 48 threads)");
}

/* Counts of one 16x16x16 product (wmma_kernels.cu derives them). */
LL_TEST(wmma, counters)
{
    float *A = filled(256, 1.0f), *B = filled(256, 1.0f);
    float *C = filled(256, 0.0f), *D = filled(256, 0.0f);
    struct cudasimCounters c;
    for (int d_col = 0; d_col < 2; d_col++) {
        LL_CHECK_INT_EQ(wmma_product(A, B, C, D, 16, 16, 16, 1, 0, d_col), 0,
                        "wmma_product 16x16x16");
        cudasimCountersLastLaunch(&c);
        /* C's load (float, row major) is 8 requests, 32 sectors too */
        LL_CHECK_INT_EQ(c.global_load_requests, 8 + 8 + 8,
                        "load requests (A, B, C)");
        LL_CHECK_INT_EQ(c.global_load_sectors, 16 + 16 + 32,
                        "load sectors (A, B, C)");
        LL_CHECK_INT_EQ(c.global_store_requests, 8, "store requests of D");
        LL_CHECK_INT_EQ(c.global_store_sectors, d_col ? 128 : 32,
                        d_col ? "store sectors of D (mem_col_major)"
                              : "store sectors of D (mem_row_major)");
        LL_CHECK_INT_EQ(c.tensor_mma_sync, 1, "mma_sync count");
        LL_CHECK_INT_EQ(c.uncounted_accesses, 0, "uncounted accesses");
    }
    /* 32 x 48 x 64: 6 tiles, 4 steps of k each */
    float *A2 = filled(32 * 64, 1.0f), *B2 = filled(64 * 48, 1.0f);
    float *C2 = filled(32 * 48, 0.0f), *D2 = filled(32 * 48, 0.0f);
    LL_CHECK_INT_EQ(wmma_product(A2, B2, C2, D2, 32, 48, 64, 0, 0, 0), 0,
                    "wmma_product 32x48x64");
    cudasimCountersLastLaunch(&c);
    LL_CHECK_INT_EQ(c.tensor_mma_sync, 6 * 4, "mma_sync count, 32x48x64");
    free(A), free(B), free(C), free(D), free(A2), free(B2), free(C2), free(D2);
}

/* Tests for 16_quant_int8. Students: read them, do not edit them.
 *
 * Besides the fixed cases, each test draws values of its own from the
 * grader's seeded generator (ll_rand_*): when it grades, the grader may
 * pick others than the ones you see.
 *
 * The bounds (see lectures/02_tensors.md#int8-block-quantization), with
 * u = 2^-24 the unit roundoff of float:
 *   - scale: one float division amax / 127 is within u of the exact
 *     quotient; another way to compute it (amax * (1/127.f)) within 2u; we
 *     allow 4u relative. Dividing by 128 or 127.5 is off by 0.4% or more.
 *   - element: with q = round(x/s), |x/s - q| <= 1/2, so |x - s*q| <= s/2
 *     in exact arithmetic. In float, x/s (|x/s| <= 127) and s*q
 *     (|s*q| <= 127 s) each round once, adding at most 127*s*u apiece:
 *     254 u ~ 1.5e-5 of s. We allow s * (0.5 + 3e-5) per element, with s
 *     the oracle's scale. Truncating instead of rounding is off by up to s.
 *   - dot_q8 of given blocks: per block the product of the scales and its
 *     product with the exact integer sum round once each, and adding the
 *     block to the running sum once more: at most (nblocks + 2) u times
 *     the sum of the blocks' magnitudes (Higham 3.1); we allow
 *     (nblocks + 3) u.
 *   - dot_q8 of quantized vectors against the exact float dot: the
 *     quantization error per block, sum |x_i| s_y/2 + |y_i| s_x/2 +
 *     s_x s_y/4, plus the float rounding of dot_q8 itself. */
#include "llmlings.h"
#include "quant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double U = 0x1p-24;

/* The oracle's scale of a block: max |x| / 127 in double. */
static double oracle_scale(const float *x)
{
    double amax = 0.0;
    for (int i = 0; i < QK8; i++)
        amax = fmax(amax, fabs((double)x[i]));
    return amax / 127.0;
}

/* Index of the largest |x| of a block (the first one on a tie). */
static int index_of_max(const float *x)
{
    int imax = 0;
    for (int i = 1; i < QK8; i++)
        if (fabsf(x[i]) > fabsf(x[imax]))
            imax = i;
    return imax;
}

LL_TEST(quant, scales_and_the_error_bound)
{
    enum { NB = 8, N = NB * QK8 };
    /* blocks of seeded, very different magnitudes (1e-3 to 1e3): one
     * scale for all would fail; in every other block the largest |x| is
     * negative */
    float x[N], deq[N], want[N], tol[N];
    for (int b = 0; b < NB; b++) {
        const float mag = powf(10.0f, ll_rand_float(-3.0f, 3.0f));
        for (int i = 0; i < QK8; i++)
            x[b * QK8 + i] = mag * ll_rand_float(-1.0f, 1.0f);
        x[b * QK8 + ll_rand_int(0, QK8 - 1)] = b % 2 ? -mag : mag;
    }
    block_q8 blk[NB];
    memset(blk, 0, sizeof blk);
    LL_CHECK_UINT_EQ(quantize_q8(x, N, blk), NB, "quantize_q8(x, 256) blocks");

    float scales[NB], want_scales[NB], scale_tol[NB];
    float qmax[NB], want_qmax[NB];
    for (int b = 0; b < NB; b++) {
        scales[b] = blk[b].scale;
        qmax[b] = blk[b].q[index_of_max(x + b * QK8)];
    }
    LL_ORACLE
    {
        for (int b = 0; b < NB; b++) {
            const double s = oracle_scale(x + b * QK8);
            want_scales[b] = (float)s;
            scale_tol[b] = (float)(4.0 * U * s);
            want_qmax[b] = x[b * QK8 + index_of_max(x + b * QK8)] > 0.0f
                               ? 127.0f
                               : -127.0f;
            for (int i = 0; i < QK8; i++) {
                want[b * QK8 + i] = x[b * QK8 + i];
                tol[b * QK8 + i] = (float)(s * (0.5 + 3e-5));
            }
        }
    }
    LL_CHECK_FLOATS_WITHIN(scales, want_scales, scale_tol, NB,
                           "quantize_q8: the scale of block [b] (max|x|/127)");
    LL_CHECK_FLOATS_NEAR(qmax, want_qmax, NB, 0.0f, 0.0f,
                         "quantize_q8: q of the largest |x| of block [b] "
                         "(+-127)");
    dequantize_q8(blk, NB, deq);
    LL_CHECK_FLOATS_WITHIN(deq, want, tol, N,
                           "dequantize_q8(quantize_q8(x)): element [i] "
                           "(expected: x, within scale * (0.5 + 3e-5))");
}

LL_TEST(quant, values_on_the_grid_round_trip_exactly)
{
    /* max |x| = 31.75 gives scale 31.75/127 = 0.25 exactly; every x is a
     * multiple of 0.25, so q = 4x exactly and dequantizing gives x back. */
    float x[2 * QK8], deq[2 * QK8];
    int8_t want[2 * QK8];
    for (int i = 0; i < 2 * QK8; i++) {
        const int k = i == 0 ? 127 : i == 40 ? -127 : (i * 37) % 255 - 127;
        want[i] = (int8_t)k;
        x[i] = 0.25f * (float)k;
    }
    x[32] = -31.75f; /* block 1 must reach 127 in magnitude too */
    want[32] = -127;
    block_q8 blk[2];
    LL_CHECK_UINT_EQ(quantize_q8(x, 2 * QK8, blk), 2,
                     "quantize_q8(x, 64) blocks");
    LL_CHECK_FLOAT_NEAR(blk[0].scale, 0.25, 0.0, "block 0 scale (31.75/127)");
    LL_CHECK_FLOAT_NEAR(blk[1].scale, 0.25, 0.0, "block 1 scale (31.75/127)");
    LL_CHECK_BYTES_EQ(blk[0].q, want, QK8, "block 0 q (x / 0.25)");
    LL_CHECK_BYTES_EQ(blk[1].q, want + QK8, QK8, "block 1 q (x / 0.25)");
    dequantize_q8(blk, 2, deq);
    LL_CHECK_FLOATS_NEAR(deq, x, 2 * QK8, 0.0f, 0.0f,
                         "dequantize(quantize(multiples of 0.25))");

    /* seeded: a power-of-two grid step s and seeded integers k (one of
     * +-127 per block), x = s*k: q must be k and x must come back exactly */
    enum { NB = 3, N = NB * QK8 };
    const int e = (int)ll_rand_int(-10, 6);
    float g[N], gq[N], gk[N], gdeq[N], gwant[N];
    for (int i = 0; i < N; i++)
        g[i] = ldexpf((float)ll_rand_int(-127, 127), e);
    for (int b = 0; b < NB; b++)
        g[b * QK8 + ll_rand_int(0, QK8 - 1)] =
            ldexpf(ll_rand_int(0, 1) ? 127.0f : -127.0f, e);
    block_q8 gb[NB];
    LL_CHECK_UINT_EQ(quantize_q8(g, N, gb), NB, "quantize_q8(x, 96) blocks");
    for (int i = 0; i < N; i++)
        gq[i] = gb[i / QK8].q[i % QK8];
    LL_ORACLE
    {
        for (int i = 0; i < N; i++) {
            gk[i] = ldexpf(g[i], -e); /* exact: k */
            gwant[i] = g[i];
        }
    }
    char what[160];
    snprintf(what, sizeof what,
             "quantize_q8 of x = k * 2^%d (k integers, max |k| = 127): q of "
             "element [i] (k)",
             e);
    LL_CHECK_FLOATS_NEAR(gq, gk, N, 0.0f, 0.0f, what);
    dequantize_q8(gb, NB, gdeq);
    snprintf(what, sizeof what,
             "dequantize(quantize(x = k * 2^%d)): element [i] (x exactly)", e);
    LL_CHECK_FLOATS_NEAR(gdeq, gwant, N, 0.0f, 0.0f, what);
}

LL_TEST(quant, rounding_zero_blocks_and_bad_lengths)
{
    float x[2 * QK8] = {0};
    /* block 0: max |x| = 127, so scale = 1 and q = roundf(x) */
    static const float in[10] = {127.0f, 2.5f,  -2.5f,  2.4f,   -2.6f,
                                 0.5f,   -0.5f, -0.49f, 126.5f, -127.0f};
    static const float want[10] = {127, 3, -3, 2, -3, 1, -1, 0, 127, -127};
    memcpy(x, in, sizeof in);
    /* block 1: all zeros */
    block_q8 blk[2];
    memset(blk, 0x55, sizeof blk);
    LL_CHECK_UINT_EQ(quantize_q8(x, 2 * QK8, blk), 2,
                     "quantize_q8(x, 64) blocks");
    LL_CHECK_FLOAT_NEAR(blk[0].scale, 1.0, 0.0,
                        "scale of a block with max 127");
    float got[10];
    for (int i = 0; i < 10; i++)
        got[i] = blk[0].q[i];
    LL_CHECK_FLOATS_NEAR(got, want, 10, 0.0f, 0.0f,
                         "scale 1: q of [127, 2.5, -2.5, 2.4, -2.6, 0.5, "
                         "-0.5, -0.49, 126.5, -127] (round half away from "
                         "zero)");
    LL_CHECK_FLOAT_NEAR(blk[1].scale, 0.0, 0.0, "scale of an all-zero block");
    const int8_t zeros[QK8] = {0};
    LL_CHECK_BYTES_EQ(blk[1].q, zeros, QK8, "q of an all-zero block");
    float deq[2 * QK8];
    dequantize_q8(blk + 1, 1, deq);
    const float fz[QK8] = {0};
    LL_CHECK_FLOATS_NEAR(deq, fz, QK8, 0.0f, 0.0f,
                         "dequantize of an all-zero block (no NaN)");

    /* seeded: scale 1 again (one element is +-127), exact ties k + 0.5 and
     * other values */
    float r[QK8], rq[QK8], rwant[QK8];
    for (int i = 0; i < QK8; i++)
        r[i] = i % 2 ? (float)ll_rand_int(-126, 125) + 0.5f
                     : ll_rand_float(-126.9f, 126.9f);
    r[ll_rand_int(0, QK8 / 2 - 1) * 2] = ll_rand_int(0, 1) ? 127.0f : -127.0f;
    block_q8 rb;
    LL_CHECK_UINT_EQ(quantize_q8(r, QK8, &rb), 1, "quantize_q8(x, 32) blocks");
    for (int i = 0; i < QK8; i++)
        rq[i] = rb.q[i];
    LL_ORACLE
    {
        for (int i = 0; i < QK8; i++)
            rwant[i] = roundf(r[i]);
    }
    char list[400], what[500];
    ll_format_floats(list, sizeof list, r, QK8);
    snprintf(what, sizeof what,
             "scale 1: q of %s (round half away from zero): element [i]", list);
    LL_CHECK_FLOATS_NEAR(rq, rwant, QK8, 0.0f, 0.0f, what);

    /* bad lengths: 0 blocks and nothing written */
    block_q8 untouched[4], sentinel[4];
    memset(untouched, 0x55, sizeof untouched);
    LL_CHECK_UINT_EQ(quantize_q8(x, 33, untouched), 0,
                     "quantize_q8 with n = 33 (not a multiple of 32)");
    const size_t n =
        (size_t)ll_rand_int(0, 2) * QK8 + (size_t)ll_rand_int(1, QK8 - 1);
    float *big = ll_alloc(n * sizeof *big);
    ll_rand_floats(big, n, -1.0f, 1.0f);
    snprintf(what, sizeof what,
             "quantize_q8 with n = %zu (not a multiple of 32)", n);
    LL_CHECK_UINT_EQ(quantize_q8(big, n, untouched), 0, what);
    free(big);
    LL_ORACLE
    {
        memset(sentinel, 0x55, sizeof sentinel);
    }
    LL_CHECK_BYTES_EQ(untouched, sentinel, sizeof untouched,
                      "the blocks after quantize_q8 with n = 33, then with a "
                      "seeded n that is not a multiple of 32 (it must write "
                      "nothing)");
}

LL_TEST(quant, dot_of_hand_made_blocks)
{
    /* seeded blocks: block 0 is all +127 against all -127 (its integer sum,
     * -516128, overflows 16-bit accumulators), the others seeded q and
     * scales */
    enum { NB = 4 };
    block_q8 a[NB], b[NB];
    for (int k = 0; k < NB; k++) {
        a[k].scale = ll_rand_float(0.001f, 0.1f);
        b[k].scale = ll_rand_float(0.01f, 1.0f);
        for (int i = 0; i < QK8; i++) {
            a[k].q[i] = (int8_t)(k == 0 ? 127 : ll_rand_int(-127, 127));
            b[k].q[i] = (int8_t)(k == 0 ? -127 : ll_rand_int(-127, 127));
        }
    }
    double want = 0.0, mag = 0.0;
    LL_ORACLE
    {
        for (int k = 0; k < NB; k++) {
            long isum = 0;
            for (int i = 0; i < QK8; i++)
                isum += (long)a[k].q[i] * b[k].q[i];
            const double term = (double)a[k].scale * b[k].scale * (double)isum;
            want += term;
            mag += fabs(term);
        }
    }
    LL_CHECK_FLOAT_NEAR(dot_q8(a, b, NB), want, (NB + 3) * U * mag,
                        "dot_q8 of four seeded blocks, the first all 127 "
                        "against all -127 (expected: computed in double)");
    LL_CHECK_FLOAT_NEAR(dot_q8(a, b, 0), 0.0, 0.0, "dot_q8 of 0 blocks");
    double one = 0.0;
    LL_ORACLE
    {
        long isum = 0;
        for (int i = 0; i < QK8; i++)
            isum += (long)a[1].q[i] * b[1].q[i];
        one = (double)a[1].scale * b[1].scale * (double)isum;
    }
    LL_CHECK_FLOAT_NEAR(dot_q8(a + 1, b + 1, 1), one, 4.0 * U * fabs(one),
                        "dot_q8 of the second seeded block alone");
}

LL_TEST(quant, quantized_dot_is_close_to_the_float_dot)
{
    enum { NB = 32, N = NB * QK8 };
    static float x[N], y[N];
    for (int i = 0; i < N; i++) {
        x[i] = ll_rand_float(-1.0f, 1.0f);
        /* correlated: a large dot */
        y[i] = 0.8f * x[i] + 0.2f * ll_rand_float(-1.0f, 1.0f);
    }
    block_q8 qx[NB], qy[NB];
    LL_CHECK_UINT_EQ(quantize_q8(x, N, qx), NB, "quantize_q8(x, 1024)");
    LL_CHECK_UINT_EQ(quantize_q8(y, N, qy), NB, "quantize_q8(y, 1024)");
    /* |xh.yh - x.y| <= sum |x||ey| + |y||ex| + |ex||ey| with
     * |ex| <= sx/2, |ey| <= sy/2 (per block; 1e-4 more for the float
     * roundings of quantizing), plus the float rounding of dot_q8 itself:
     * (NB + 2) u sum |xh*yh| (10% more for xh != x). */
    double exact = 0.0, bound = 0.0;
    LL_ORACLE
    {
        double mag = 0.0;
        for (int b = 0; b < NB; b++) {
            const double sx = oracle_scale(x + b * QK8),
                         sy = oracle_scale(y + b * QK8);
            double ax = 0.0, ay = 0.0;
            for (int i = 0; i < QK8; i++) {
                const int k = b * QK8 + i;
                exact += (double)x[k] * y[k];
                mag += fabs((double)x[k] * y[k]);
                ax += fabs(x[k]);
                ay += fabs(y[k]);
            }
            bound +=
                (ax * sy / 2 + ay * sx / 2 + QK8 * sx * sy / 4) * (1 + 1e-4);
        }
        bound += (NB + 2) * U * mag * 1.1;
    }
    LL_CHECK_FLOAT_NEAR(dot_q8(qx, qy, NB), exact, bound,
                        "dot_q8(quantize(x), quantize(y)) over 1024 seeded "
                        "values (expected: the float dot, in double)");
}

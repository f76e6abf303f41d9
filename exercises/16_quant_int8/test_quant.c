/* Tests for 16_quant_int8. Students: read them, do not edit them.
 *
 * The error bound (see lectures/02_tensors.md#int8-block-quantization):
 * with q = round(x/s), |x/s - q| <= 1/2, so |x - s*q| <= s/2 in exact
 * arithmetic. In float, x/s (|x/s| <= 127) and s*q (|s*q| <= 127 s) each
 * round once, adding at most 127*s*2^-24 apiece: 254 * 2^-24 ~ 1.5e-5 of s.
 * We allow |x - deq(q(x))| <= s * (0.5 + 3e-5) per element. */
#include "llmlings.h"
#include "quant.h"

#include <math.h>
#include <string.h>

static unsigned rng_state = 99u;
static float rnd(void) /* uniform in [-1, 1), deterministic */
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (float)(rng_state >> 8) / 8388608.0f - 1.0f;
}

LL_TEST(quant, scales_and_the_error_bound)
{
    enum { NB = 8, N = NB * QK8 };
    /* blocks of very different magnitudes: one scale for all would fail */
    static const float mag[NB] = {1e-3f,  0.5f, 1.0f,  3.0f,
                                  100.0f, 1e3f, 7e-2f, 42.0f};
    float x[N], deq[N];
    for (int b = 0; b < NB; b++)
        for (int i = 0; i < QK8; i++)
            x[b * QK8 + i] = mag[b] * rnd();
    block_q8 blk[NB];
    memset(blk, 0, sizeof blk);
    LL_CHECK_UINT_EQ(quantize_q8(x, N, blk), NB, "quantize_q8(x, 256) blocks");
    dequantize_q8(blk, NB, deq);
    for (int b = 0; b < NB; b++) {
        float amax = 0.0f;
        int imax = 0;
        for (int i = 0; i < QK8; i++)
            if (fabsf(x[b * QK8 + i]) > amax) {
                amax = fabsf(x[b * QK8 + i]);
                imax = i;
            }
        const double want_scale = (double)amax / 127.0;
        LL_CHECK(fabs(blk[b].scale - want_scale) <= 1e-6 * want_scale,
                 "block %d: scale expected max|x|/127 = %.9g, got %.9g", b,
                 want_scale, (double)blk[b].scale);
        const int want_q = x[b * QK8 + imax] > 0 ? 127 : -127;
        LL_CHECK(blk[b].q[imax] == want_q,
                 "block %d: the largest |x| (x[%d] = %g) should quantize to "
                 "%d, got %d",
                 b, imax, (double)x[b * QK8 + imax], want_q, blk[b].q[imax]);
        for (int i = 0; i < QK8; i++) {
            const int k = b * QK8 + i;
            LL_CHECK(blk[b].q[i] >= -127 && blk[b].q[i] <= 127,
                     "block %d: q[%d] = %d is outside [-127, 127]", b, i,
                     blk[b].q[i]);
            const double bound = (double)blk[b].scale * (0.5 + 3e-5);
            LL_CHECK(fabs((double)x[k] - (double)deq[k]) <= bound,
                     "block %d element %d: x = %.9g, dequantized %.9g; the "
                     "error %.3g exceeds scale/2 = %.3g",
                     b, i, (double)x[k], (double)deq[k],
                     fabs((double)x[k] - (double)deq[k]), bound);
        }
    }
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
}

LL_TEST(quant, rounding_zero_blocks_and_bad_lengths)
{
    float x[2 * QK8] = {0};
    /* block 0: max |x| = 127, so scale = 1 and q = roundf(x) */
    static const float in[8] = {127.0f, 2.5f, -2.5f,  2.4f,
                                -2.6f,  0.5f, -0.49f, -127.0f};
    static const int8_t want[8] = {127, 3, -3, 2, -3, 1, 0, -127};
    memcpy(x, in, sizeof in);
    /* block 1: all zeros */
    block_q8 blk[2];
    memset(blk, 0x55, sizeof blk);
    LL_CHECK_UINT_EQ(quantize_q8(x, 2 * QK8, blk), 2,
                     "quantize_q8(x, 64) blocks");
    LL_CHECK_FLOAT_NEAR(blk[0].scale, 1.0, 0.0,
                        "scale of a block with max 127");
    for (int i = 0; i < 8; i++)
        LL_CHECK(blk[0].q[i] == want[i],
                 "scale 1: %g should quantize to %d (round half away from "
                 "zero), got %d",
                 (double)in[i], want[i], blk[0].q[i]);
    LL_CHECK_FLOAT_NEAR(blk[1].scale, 0.0, 0.0, "scale of an all-zero block");
    const int8_t zeros[QK8] = {0};
    LL_CHECK_BYTES_EQ(blk[1].q, zeros, QK8, "q of an all-zero block");
    float deq[2 * QK8];
    dequantize_q8(blk + 1, 1, deq);
    const float fz[QK8] = {0};
    LL_CHECK_FLOATS_NEAR(deq, fz, QK8, 0.0f, 0.0f,
                         "dequantize of an all-zero block (no NaN)");

    block_q8 untouched;
    memset(&untouched, 0x55, sizeof untouched);
    LL_CHECK_UINT_EQ(quantize_q8(x, 33, &untouched), 0,
                     "quantize_q8 with n = 33 (not a multiple of 32)");
    LL_CHECK(untouched.q[0] == 0x55,
             "quantize_q8 with n = 33 must write nothing");
}

LL_TEST(quant, dot_of_hand_made_blocks)
{
    block_q8 a[3], b[3];
    double want = 0.0, mag = 0.0;
    for (int k = 0; k < 3; k++) {
        a[k].scale = 0.01f * (float)(k + 1);
        b[k].scale = 0.5f / (float)(k + 1);
        long isum = 0;
        for (int i = 0; i < QK8; i++) {
            /* block 0 is all +-127: its integer sum (516128 in magnitude)
             * overflows 16-bit accumulators */
            a[k].q[i] = (int8_t)(k == 0 ? 127 : (i * 29 + k * 7) % 255 - 127);
            b[k].q[i] = (int8_t)(k == 0 ? -127 : (i * 53 + k) % 255 - 127);
            isum += (long)a[k].q[i] * b[k].q[i];
        }
        const double term = (double)a[k].scale * b[k].scale * (double)isum;
        want += term;
        mag += fabs(term);
    }
    /* float evaluation: two roundings per block and one per addition */
    const double tol = 8.0 * ldexp(1.0, -24) * mag;
    LL_CHECK_FLOAT_NEAR(dot_q8(a, b, 3), want, tol,
                        "dot_q8 of three hand-made blocks (computed in "
                        "double)");
    LL_CHECK_FLOAT_NEAR(dot_q8(a, b, 0), 0.0, 0.0, "dot_q8 of 0 blocks");
}

LL_TEST(quant, quantized_dot_is_close_to_the_float_dot)
{
    enum { NB = 32, N = NB * QK8 };
    static float x[N], y[N];
    for (int i = 0; i < N; i++) {
        x[i] = rnd();
        y[i] = 0.8f * x[i] + 0.2f * rnd(); /* correlated: a large dot */
    }
    block_q8 qx[NB], qy[NB];
    LL_CHECK_UINT_EQ(quantize_q8(x, N, qx), NB, "quantize_q8(x, 1024)");
    LL_CHECK_UINT_EQ(quantize_q8(y, N, qy), NB, "quantize_q8(y, 1024)");
    /* |xh.yh - x.y| <= sum |x||ey| + |y||ex| + |ex||ey| with
     * |ex| <= sx/2, |ey| <= sy/2 (per block), plus the float rounding of
     * dot_q8 itself: (NB + 2) * 2^-24 * sum |xh*yh|. */
    double exact = 0.0, bound = 0.0, mag = 0.0;
    for (int b = 0; b < NB; b++) {
        const double sx = qx[b].scale, sy = qy[b].scale;
        double ax = 0.0, ay = 0.0;
        for (int i = 0; i < QK8; i++) {
            const int k = b * QK8 + i;
            exact += (double)x[k] * y[k];
            mag += fabs((double)x[k] * y[k]);
            ax += fabs(x[k]);
            ay += fabs(y[k]);
        }
        bound += (ax * sy / 2 + ay * sx / 2 + QK8 * sx * sy / 4) * (1 + 1e-4);
    }
    bound += (NB + 2) * ldexp(1.0, -24) * mag * 1.1;
    const float got = dot_q8(qx, qy, NB);
    LL_CHECK(fabs(got - exact) <= bound,
             "dot_q8(quantize(x), quantize(y)) over 1024 values: expected "
             "%.6g (the float dot, in double) within the bound %.3g, got "
             "%.6g",
             exact, bound, (double)got);
}

/* Tests for 33_flash_attention. Students: read them, do not edit them.
 *
 * Expected values: golden_flash.h (NumPy in float64: whole causal score
 * matrices, and the block states computed from all keys at once, with no
 * recurrence; see exercises/common/golden/attention.py), and for the long
 * sequence a naive attention in double precision written out below.
 *
 * Tolerance: |got - want| <= 1e-5 + 1e-4 * |want| for outputs, the same as
 * the naive 30_attention. Tiling changes only the order of float32
 * operations: each new key block may rescale acc and sum by
 * exp(old max - new max), one more rounding (2^-24 relative) per block, so
 * with T/block <= 300 rescalings the drift stays below 300 * 6e-8 ~ 2e-5
 * relative in the worst case and far less in practice (measured with the
 * reference solution: ~1e-7 on the golden cases, see the metric of the long
 * test). Block states: max and sum within 1e-5 relative.
 */
#include "flash.h"
#include "golden_flash.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATOL 1e-5f
#define RTOL 1e-4f

enum { MAXN = 512 };

static const int blocks[] = {1, 3, 4, 16, 64};
enum { NBLOCKS = sizeof blocks / sizeof blocks[0] };

static void fill_nan(float *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = NAN;
}

static void check_flash(const golden_flash_t *c, int block)
{
    float out[MAXN];
    char what[128];
    fill_nan(out, c->T * c->d);
    flash_attention(out, c->q, c->k, c->v, c->T, c->d, block);
    snprintf(what, sizeof what,
             "flash_attention of random q, k, v, T %d, d %d, block %d", c->T,
             c->d, block);
    LL_CHECK_FLOATS_NEAR(out, c->out, (size_t)(c->T * c->d), ATOL, RTOL, what);
}

static void check_state(softmax_state st, const float *want, const char *what)
{
    LL_CHECK(fabsf(st.max - want[0]) <= 1e-5f * fabsf(want[0]) + 1e-6f,
             "%s: expected running max %.9g, got %.9g", what, (double)want[0],
             (double)st.max);
    LL_CHECK(fabsf(st.sum - want[1]) <= 1e-5f * fabsf(want[1]),
             "%s: expected running sum %.9g, got %.9g", what, (double)want[1],
             (double)st.sum);
}

enum { BD = 12, B1 = 5, B2 = 7 }; /* golden block data: d, block sizes */

LL_TEST(block, first_block)
{
    const float scale = 1.0f / sqrtf((float)BD);
    softmax_state st = softmax_state_empty();
    float acc[BD] = {0};
    flash_block(&st, acc, golden_block_q, golden_block_k, golden_block_v, B1,
                BD, scale);
    check_state(st, golden_block_state1, "state after a first block of 5 keys");
    LL_CHECK_FLOATS_NEAR(acc, golden_block_acc1, BD, ATOL, RTOL,
                         "acc after a first block of 5 keys (sum of "
                         "exp(s - max) * v, not divided)");
}

LL_TEST(block, second_block_rescales)
{
    /* continue from the exact state after block 1 with 7 more keys */
    const float scale = 1.0f / sqrtf((float)BD);
    softmax_state st = {golden_block_state1[0], golden_block_state1[1]};
    float acc[BD];
    memcpy(acc, golden_block_acc1, sizeof acc);
    flash_block(&st, acc, golden_block_q, golden_block_k, golden_block_v, 0, BD,
                scale);
    check_state(st, golden_block_state1, "state after an empty block");
    flash_block(&st, acc, golden_block_q, golden_block_k + B1 * BD,
                golden_block_v + B1 * BD, B2, BD, scale);
    check_state(st, golden_block_state2,
                "state after a second block of 7 keys");
    LL_CHECK_FLOATS_NEAR(acc, golden_block_acc2, BD, ATOL, RTOL,
                         "acc after a second block of 7 keys (the old acc "
                         "rescaled to the new max, plus the block)");
}

LL_TEST(flash, length_one)
{
    for (int b = 0; b < NBLOCKS; b++)
        check_flash(&golden_flashs[0], blocks[b]);
}

LL_TEST(flash, matches_numpy)
{
    /* T = 10 and 21: blocks that divide T, that do not, and that exceed it */
    for (int i = 1; i < GOLDEN_FLASH_COUNT - 1; i++)
        for (int b = 0; b < NBLOCKS; b++)
            check_flash(&golden_flashs[i], blocks[b]);
}

LL_TEST(flash, large_logits)
{
    /* scores up to +-1e4: a later block's max makes exp(old - new) = 0 */
    for (int b = 0; b < NBLOCKS; b++)
        check_flash(&golden_flashs[GOLDEN_FLASH_COUNT - 1], blocks[b]);
}

/* Deterministic inputs in [-1, 1) (a 32-bit LCG; any generator will do). */
static float next_uniform(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (float)(*s >> 8) / 8388608.0f - 1.0f;
}

/* Naive causal attention in double: all scores of a row, then softmax. */
static void naive_attention(double *out, const float *q, const float *k,
                            const float *v, int T, int d)
{
    double *s = malloc(sizeof(double) * (size_t)T);
    LL_CHECK_NOT_NULL(s, "malloc in the test");
    for (int t = 0; t < T; t++) {
        double m = -INFINITY, sum = 0.0;
        for (int j = 0; j <= t; j++) {
            double dot = 0.0;
            for (int i = 0; i < d; i++)
                dot += (double)q[t * d + i] * k[j * d + i];
            s[j] = dot / sqrt((double)d);
            m = s[j] > m ? s[j] : m;
        }
        for (int j = 0; j <= t; j++)
            sum += (s[j] = exp(s[j] - m));
        for (int i = 0; i < d; i++) {
            double o = 0.0;
            for (int j = 0; j <= t; j++)
                o += s[j] * v[j * d + i];
            out[t * d + i] = o / sum;
        }
    }
    free(s);
}

LL_TEST(flash, equals_naive_long_sequence)
{
    enum { T = 300, D = 20, N = T * D };
    static float q[N], k[N], v[N], out[N], want[N];
    static double ref[N];
    unsigned seed = 2024u;
    for (int i = 0; i < N; i++) {
        q[i] = 2.0f * next_uniform(&seed);
        k[i] = 2.0f * next_uniform(&seed);
        v[i] = next_uniform(&seed);
    }
    naive_attention(ref, q, k, v, T, D);
    for (int i = 0; i < N; i++)
        want[i] = (float)ref[i];
    static const int long_blocks[] = {1, 7, 32, 300};
    double worst = 0.0;
    for (int b = 0; b < 4; b++) {
        char what[128];
        fill_nan(out, N);
        flash_attention(out, q, k, v, T, D, long_blocks[b]);
        snprintf(what, sizeof what,
                 "flash_attention vs naive (double) attention, T %d, d %d, "
                 "block %d",
                 T, D, long_blocks[b]);
        LL_CHECK_FLOATS_NEAR(out, want, N, ATOL, RTOL, what);
        for (int i = 0; i < N; i++)
            worst = fmax(worst, fabs((double)out[i] - ref[i]));
    }
    LL_METRIC("max_abs_err_vs_naive_f64", worst);
}

/* Tests for 30_attention. Students: read them, do not edit them.
 *
 * Expected values: by hand, or from golden_attention.h (NumPy in float64
 * with whole score matrices and a -inf causal mask, see
 * exercises/common/golden/attention.py).
 *
 * Tolerance: |got - want| <= 1e-5 + 1e-4 * |want|. Each score is a float32
 * dot product of d <= 20 terms (rounding error <= d * 2^-24 * sum|q_i k_i|,
 * ~1e-6 here), softmax adds a few ulps, and the output is a float32 sum of
 * at most T weighted values in [-1, 1]. The reference solution's measured
 * error is below 1e-7. A wrong scale (1/d), a missing mask or an off-by-one
 * in the mask is off by more than 1e-2.
 */
#include "attention.h"
#include "golden_attention.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ATOL 1e-5f
#define RTOL 1e-4f

enum { MAXN = 512 };

static void fill_nan(float *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = NAN;
}

static void check_causal(const golden_causal_t *c)
{
    float out[MAXN];
    char what[96];
    fill_nan(out, c->T * c->d);
    attention(out, c->q, c->k, c->v, c->T, c->d);
    snprintf(what, sizeof what, "attention of random q, k, v, T %d, d %d", c->T,
             c->d);
    LL_CHECK_FLOATS_NEAR(out, c->out, (size_t)(c->T * c->d), ATOL, RTOL, what);
}

LL_TEST(attend, matches_numpy)
{
    for (int i = 0; i < GOLDEN_ATTEND_COUNT; i++) {
        const golden_attend_t *c = &golden_attends[i];
        float out[MAXN];
        char what[96];
        fill_nan(out, c->d);
        attend(out, c->q, c->k, c->v, c->n_keys, c->d);
        snprintf(what, sizeof what, "attend of random q, %d keys, d %d",
                 c->n_keys, c->d);
        LL_CHECK_FLOATS_NEAR(out, c->out, (size_t)c->d, ATOL, RTOL, what);
    }
}

LL_TEST(attend, no_visible_keys)
{
    const float q[3] = {1.0f, 2.0f, 3.0f};
    const float zeros[3] = {0.0f, 0.0f, 0.0f};
    float out[3];
    fill_nan(out, 3);
    attend(out, q, NULL, NULL, 0, 3);
    LL_CHECK_FLOATS_NEAR(out, zeros, 3, 0.0f, 0.0f,
                         "attend with 0 keys (a fully masked row: out = 0)");
}

LL_TEST(attention, length_one)
{
    /* one position sees only itself: its weight is 1, so out = v */
    const golden_causal_t *c = &golden_causals[0];
    float out[MAXN];
    fill_nan(out, c->d);
    attention(out, c->q, c->k, c->v, 1, c->d);
    LL_CHECK_FLOATS_NEAR(out, c->v, (size_t)c->d, ATOL, RTOL,
                         "attention with T = 1 (out must equal v)");
    check_causal(c);
}

LL_TEST(attention, matches_numpy)
{
    for (int i = 1; i < GOLDEN_CAUSAL_COUNT - 1; i++)
        check_causal(&golden_causals[i]);
}

LL_TEST(attention, future_is_invisible)
{
    /* Overwrite keys and values of positions >= 5 with junk: rows 0..4
     * must not change, because a position never attends to the future. */
    const golden_causal_t *c = &golden_causals[2];
    const int d = c->d, cut = 5;
    float k[MAXN], v[MAXN], out[MAXN];
    memcpy(k, c->k, sizeof(float) * (size_t)(c->T * d));
    memcpy(v, c->v, sizeof(float) * (size_t)(c->T * d));
    for (int i = cut * d; i < c->T * d; i++) {
        k[i] = 50.0f;
        v[i] = 1e6f;
    }
    fill_nan(out, c->T * d);
    attention(out, c->q, k, v, c->T, d);
    LL_CHECK_FLOATS_NEAR(out, c->out, (size_t)(cut * d), ATOL, RTOL,
                         "rows 0..4 of attention after changing k, v of "
                         "rows 5.. (the causal mask hides the future)");
}

LL_TEST(attention, large_logits)
{
    /* integer q, k with d = 4: scores q.k / 2 are exact and reach +-1e4 */
    check_causal(&golden_causals[GOLDEN_CAUSAL_COUNT - 1]);

    /* two keys tie at score 1e4, a third sits at -1e4 */
    const float q[12] = {100, 100, 0, 0, 100, 100, 0, 0, 100, 100, 0, 0};
    const float k[12] = {100, 100, 0, 0, 100, 100, 0, 0, -100, -100, 0, 0};
    const float v[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const float want[12] = {1, 2, 3, 4, 3, 4, 5, 6, 3, 4, 5, 6};
    float out[12];
    fill_nan(out, 12);
    attention(out, q, k, v, 3, 4);
    LL_CHECK_FLOATS_NEAR(out, want, 12, ATOL, RTOL,
                         "attention with scores 1e4, 1e4, -1e4 (row 1 and 2 "
                         "average v[0] and v[1])");
}

/* Tests for 30_attention. Students: read them, do not edit them.
 *
 * Expected values: by hand, from golden_attention.h (NumPy in float64 with
 * whole score matrices and a -inf causal mask, see
 * exercises/common/golden/attention.py) and, for the inputs the grader
 * draws (ll_rand_*: other ones each time it grades), from a plain
 * attention in double below (every score of a row, softmax, weighted sum).
 *
 * Tolerance, derived per element (u = 2^-24, the float32 rounding unit):
 *   - a score s_j = (q . k_j) / sqrt(d) in float32, any summation order,
 *     is off by at most E_j = (d + 4) u sum_i |q_i k_ji| / sqrt(d) (d
 *     products and additions, the scale's sqrtf, division and product);
 *   - an error E in the scores moves each weight p_j by a factor of at most
 *     exp(2 max E), and softmax itself rounds as in 27_softmax:
 *     (|s_j - max| + 3.5 n + 7) u relative over n keys;
 *   - the weighted sum of n values adds (n + 2) u of sum_j p_j |v_j|.
 * So element i of an output row may be off by
 *     sum_j p_j |v_ji| ((exp(2 max_j E_j) - 1) + (|s_j - max| + 3.5 n + 7) u
 *                       + (n + 2) u) + u |out_i|
 * For the shapes here (d <= 32, n <= 64, inputs in [-1, 1]) that is about
 * 1e-5 relative or less; the reference solution's error is ~1e-7. A wrong
 * scale (1/d), a key too many or too few, or the wrong row of k or v is
 * off by more than 1e-2.
 */
#include "attention.h"
#include "golden_attention.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U 0x1p-24 /* the float32 unit roundoff */

/* ---- the oracle: attention in double, with its bound -------------------- */

/* One query against n keys and values (row j of k and v at j * ld), in
 * double: want[0..d) and the bound of each element (see above). */
static void attend_oracle(const float *q, const float *k, const float *v, int n,
                          int d, int ld, float *want, float *tol)
{
    if (n == 0) {
        for (int i = 0; i < d; i++)
            want[i] = tol[i] = 0.0f;
        return;
    }
    double *s = ll_alloc(sizeof(double) * (size_t)n);
    double m = -INFINITY, err = 0.0, sum = 0.0;
    for (int j = 0; j < n; j++) {
        double dot = 0.0, mag = 0.0;
        for (int i = 0; i < d; i++) {
            dot += (double)q[i] * k[(long)j * ld + i];
            mag += fabs((double)q[i] * k[(long)j * ld + i]);
        }
        s[j] = dot / sqrt((double)d);
        err = fmax(err, (d + 4) * U * mag / sqrt((double)d));
        m = fmax(m, s[j]);
    }
    for (int j = 0; j < n; j++)
        sum += exp(s[j] - m);
    for (int i = 0; i < d; i++) {
        double out = 0.0, bound = 0.0;
        for (int j = 0; j < n; j++) {
            const double p = exp(s[j] - m) / sum, vj = v[(long)j * ld + i];
            out += p * vj;
            bound += p * fabs(vj) *
                     (expm1(2.0 * err) + (fabs(s[j] - m) + 3.5 * n + 7.0) * U +
                      (n + 2) * U);
        }
        want[i] = (float)out;
        tol[i] = (float)(bound + U * fabs(out) + 1e-37);
    }
    free(s);
}

/* Causal attention of [T x d] q, k, v in double, with bounds. */
static void attention_oracle(const float *q, const float *k, const float *v,
                             int T, int d, float *want, float *tol)
{
    for (int t = 0; t < T; t++)
        attend_oracle(q + (long)t * d, k, v, t + 1, d, d, want + (long)t * d,
                      tol + (long)t * d);
}

/* ---- seeded data -------------------------------------------------------- */

static float *alloc_floats(long n)
{
    return ll_alloc(sizeof(float) * (size_t)n);
}

static float *random_floats(long n, float lo, float hi)
{
    float *x = alloc_floats(n);
    ll_rand_floats(x, (size_t)n, lo, hi);
    return x;
}

static float *nan_floats(long n)
{
    float *x = alloc_floats(n);
    for (long i = 0; i < n; i++)
        x[i] = NAN;
    return x;
}

/* Runs attend on one query and n keys and compares it with the oracle, or
 * with NumPy's `golden` row when given (the same bound). */
static void check_attend(const float *q, const float *k, const float *v, int n,
                         int d, const float *golden, const char *kind)
{
    float *out = nan_floats(d), *want = alloc_floats(d), *tol = alloc_floats(d);
    attend(out, q, k, v, n, d);
    LL_ORACLE
    {
        attend_oracle(q, k, v, n, d, d, want, tol);
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)d);
    }
    char what[200];
    snprintf(what, sizeof what,
             "attend(out, q, k, v, n_keys = %d, d = %d) of %s%s", n, d, kind,
             golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)d, what);
    free(tol);
    free(want);
    free(out);
}

/* Runs attention over T positions and compares it with the oracle, or with
 * NumPy's `golden` output when given. */
static void check_attention(const float *q, const float *k, const float *v,
                            int T, int d, const float *golden, const char *kind)
{
    const long n = (long)T * d;
    float *out = nan_floats(n), *want = alloc_floats(n), *tol = alloc_floats(n);
    attention(out, q, k, v, T, d);
    LL_ORACLE
    {
        attention_oracle(q, k, v, T, d, want, tol);
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)n);
    }
    char what[200];
    snprintf(what, sizeof what,
             "attention(out, q, k, v, T = %d, d = %d) of %s: element "
             "[t * d + i]%s",
             T, d, kind, golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)n, what);
    free(tol);
    free(want);
    free(out);
}

/* q, k, v of T seeded rows of d values in [-1, 1) (q and k scaled by
 * `scale`), checked with check_attention. */
static void check_seeded(int T, int d, float scale, const char *kind)
{
    const long n = (long)T * d;
    float *q = random_floats(n, -scale, scale),
          *k = random_floats(n, -scale, scale), *v = random_floats(n, -1, 1);
    check_attention(q, k, v, T, d, NULL, kind);
    free(v);
    free(k);
    free(q);
}

/* ---- attend ------------------------------------------------------------- */

LL_TEST(attend, matches_numpy)
{
    for (int i = 0; i < GOLDEN_ATTEND_COUNT; i++) {
        const golden_attend_t *c = &golden_attends[i];
        check_attend(c->q, c->k, c->v, c->n_keys, c->d, c->out,
                     "golden q, k, v");
    }
    for (int r = 0; r < 3; r++) {
        const int n = (int)ll_rand_int(2, 64), d = (int)ll_rand_int(1, 32);
        float *q = random_floats(d, -1, 1), *k = random_floats(n * d, -1, 1),
              *v = random_floats(n * d, -1, 1);
        check_attend(q, k, v, n, d, NULL, "seeded q, k, v");
        free(v);
        free(k);
        free(q);
    }
}

LL_TEST(attend, no_visible_keys)
{
    const float q[3] = {1.0f, 2.0f, 3.0f};
    const float zeros[3] = {0.0f, 0.0f, 0.0f};
    float out[3];
    for (int i = 0; i < 3; i++)
        out[i] = NAN;
    attend(out, q, NULL, NULL, 0, 3);
    LL_CHECK_FLOATS_NEAR(out, zeros, 3, 0.0f, 0.0f,
                         "attend with 0 keys (a fully masked row: out = 0)");

    /* one key: its weight is 1, so out = v */
    const int d = (int)ll_rand_int(1, 16);
    float *q1 = random_floats(d, -1, 1), *k1 = random_floats(d, -1, 1),
          *v1 = random_floats(d, -1, 1);
    check_attend(q1, k1, v1, 1, d, NULL, "one seeded key (out = v)");
    free(v1);
    free(k1);
    free(q1);
}

LL_TEST(attend, many_keys)
{
    /* more keys than a fixed-size score buffer would hold */
    const int n = (int)ll_rand_int(1100, 3000), d = 4;
    float *q = random_floats(d, -2, 2), *k = random_floats((long)n * d, -2, 2),
          *v = random_floats((long)n * d, -1, 1);
    check_attend(q, k, v, n, d, NULL, "seeded q, k, v");
    free(v);
    free(k);
    free(q);
}

/* ---- attention ---------------------------------------------------------- */

LL_TEST(attention, length_one)
{
    /* one position sees only itself: its weight is 1, so out = v */
    const golden_causal_t *c = &golden_causals[0];
    check_attention(c->q, c->k, c->v, 1, c->d, c->out, "golden q, k, v");
    check_seeded(1, (int)ll_rand_int(1, 32), 1.0f, "seeded q, k, v (out = v)");
}

LL_TEST(attention, matches_numpy)
{
    for (int i = 1; i < GOLDEN_CAUSAL_COUNT - 1; i++) {
        const golden_causal_t *c = &golden_causals[i];
        check_attention(c->q, c->k, c->v, c->T, c->d, c->out, "golden q, k, v");
    }
    check_seeded((int)ll_rand_int(2, 40), (int)ll_rand_int(2, 32), 1.0f,
                 "seeded q, k, v");
    check_seeded((int)ll_rand_int(2, 40), 1, 1.0f, "seeded q, k, v");
}

LL_TEST(attention, future_is_invisible)
{
    /* Overwrite keys and values of positions >= cut with junk: rows before
     * cut must not change, because a position never attends to the future. */
    const int T = (int)ll_rand_int(6, 30), d = (int)ll_rand_int(2, 16);
    const int cut = (int)ll_rand_int(1, T - 2);
    const long n = (long)T * d;
    float *q = random_floats(n, -1, 1), *k = random_floats(n, -1, 1),
          *v = random_floats(n, -1, 1);
    float *k2 = alloc_floats(n), *v2 = alloc_floats(n);
    memcpy(k2, k, sizeof(float) * (size_t)n);
    memcpy(v2, v, sizeof(float) * (size_t)n);
    for (long i = (long)cut * d; i < n; i++) {
        k2[i] = 50.0f * ll_rand_float(0.5f, 1.0f);
        v2[i] = 1e6f;
    }
    float *out = nan_floats(n), *want = alloc_floats(n), *tol = alloc_floats(n);
    attention(out, q, k2, v2, T, d);
    LL_ORACLE
    {
        attention_oracle(q, k, v, T, d, want, tol);
    }
    char what[200];
    snprintf(what, sizeof what,
             "rows 0..%d of attention(T = %d, d = %d) after changing k, v of "
             "rows %d.. (the causal mask hides the future): element [t * d + "
             "i]",
             cut - 1, T, d, cut);
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)cut * (size_t)d, what);
    free(tol);
    free(want);
    free(out);
    free(v2);
    free(k2);
    free(v);
    free(k);
    free(q);
}

LL_TEST(attention, large_logits)
{
    /* integer q, k with d = 4: scores q.k / 2 are exact and reach +-1e4 */
    const golden_causal_t *c = &golden_causals[GOLDEN_CAUSAL_COUNT - 1];
    check_attention(c->q, c->k, c->v, c->T, c->d, c->out, "golden q, k, v");

    /* two keys tie at score 1e4, a third sits at -1e4 */
    const float q[12] = {100, 100, 0, 0, 100, 100, 0, 0, 100, 100, 0, 0};
    const float k[12] = {100, 100, 0, 0, 100, 100, 0, 0, -100, -100, 0, 0};
    const float v[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const float want[12] = {1, 2, 3, 4, 3, 4, 5, 6, 3, 4, 5, 6};
    float out[12];
    for (int i = 0; i < 12; i++)
        out[i] = NAN;
    attention(out, q, k, v, 3, 4);
    LL_CHECK_FLOATS_NEAR(out, want, 12, 0.0f, 1e-6f,
                         "attention with scores 1e4, 1e4, -1e4 (row 1 and 2 "
                         "average v[0] and v[1])");

    /* seeded q, k in [-30, 30): scores in the hundreds to thousands */
    check_seeded((int)ll_rand_int(4, 20), 16, 30.0f,
                 "seeded q, k in [-30, 30) (scores up to ~1e3)");
}

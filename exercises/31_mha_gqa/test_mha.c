/* Tests for 31_mha_gqa. Students: read them, do not edit them.
 *
 * Expected values: by hand, from golden_mha.h (NumPy in float64, one whole
 * causal score matrix per head, see exercises/common/golden/attention.py)
 * and, for the inputs the grader draws (ll_rand_*: other ones each time it
 * grades), from a plain attention in double below, head by head.
 *
 * Tolerance: the per-element bound of 30_attention (see its test's header
 * comment): a float32 score is off by at most
 * E_j = (head_dim + 4) u sum_i |q_i k_ji| / sqrt(head_dim), which moves the
 * weights by a factor of at most exp(2 max E); softmax over n keys adds
 * (|s_j - max| + 3.5 n + 7) u and the weighted sum (n + 2) u, relative to
 * sum_j p_j |v_ji|. Taking a wrong key/value head, a wrong column or a
 * wrong row stride is off by more than 1e-2.
 */
#include "golden_mha.h"
#include "llmlings.h"
#include "mha.h"

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

/* Causal GQA in double: query head h of row t against kv head
 * h / (n_heads / n_kv_heads) of rows 0..t. */
static void mha_oracle(const float *q, const float *k, const float *v, int T,
                       int n_heads, int n_kv_heads, int head_dim, float *want,
                       float *tol)
{
    const int dim = n_heads * head_dim, kv_dim = n_kv_heads * head_dim;
    const int group = n_heads / n_kv_heads;
    for (int t = 0; t < T; t++)
        for (int h = 0; h < n_heads; h++) {
            const long at = (long)t * dim + (long)h * head_dim;
            const long kv = (long)(h / group) * head_dim;
            attend_oracle(q + at, k + kv, v + kv, t + 1, head_dim, kv_dim,
                          want + at, tol + at);
        }
}

/* ---- checks ------------------------------------------------------------- */

static float *alloc_floats(long n)
{
    return ll_alloc(sizeof(float) * (size_t)n);
}

static float *random_floats(long n)
{
    float *x = alloc_floats(n);
    ll_rand_floats(x, (size_t)n, -1.0f, 1.0f);
    return x;
}

/* Runs mha and compares it with the oracle, or with NumPy's `golden`
 * output when given (the same bound). */
static void check_mha(const float *q, const float *k, const float *v, int T,
                      int n_heads, int n_kv_heads, int head_dim,
                      const float *golden, const char *kind)
{
    const long n = (long)T * n_heads * head_dim;
    float *out = alloc_floats(n), *want = alloc_floats(n),
          *tol = alloc_floats(n);
    for (long i = 0; i < n; i++)
        out[i] = NAN;
    mha(out, q, k, v, T, n_heads, n_kv_heads, head_dim);
    LL_ORACLE
    {
        mha_oracle(q, k, v, T, n_heads, n_kv_heads, head_dim, want, tol);
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)n);
    }
    char what[240];
    snprintf(what, sizeof what,
             "mha(out, q, k, v, T = %d, n_heads = %d, n_kv_heads = %d, "
             "head_dim = %d) of %s: element [t * n_heads * head_dim + h * "
             "head_dim + i]%s",
             T, n_heads, n_kv_heads, head_dim, kind,
             golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)n, what);
    free(tol);
    free(want);
    free(out);
}

static void check_golden(int i)
{
    const golden_mha_t *c = &golden_mhas[i];
    check_mha(c->q, c->k, c->v, c->T, c->n_heads, c->n_kv_heads, c->head_dim,
              c->out, "golden q, k, v");
}

/* Seeded q ([T x n_heads * head_dim]), k and v ([T x n_kv_heads *
 * head_dim]) in [-1, 1). */
static void check_seeded(int T, int n_heads, int n_kv_heads, int head_dim)
{
    float *q = random_floats((long)T * n_heads * head_dim);
    float *k = random_floats((long)T * n_kv_heads * head_dim);
    float *v = random_floats((long)T * n_kv_heads * head_dim);
    check_mha(q, k, v, T, n_heads, n_kv_heads, head_dim, NULL,
              "seeded q, k, v");
    free(v);
    free(k);
    free(q);
}

/* golden_mhas[]: 0 T=1; 1 MHA; 2 and 4 GQA; 3 MQA (see attention.py) */

LL_TEST(mha, length_one)
{
    check_golden(0);
    const int kv = (int)ll_rand_int(1, 3);
    check_seeded(1, kv * (int)ll_rand_int(1, 3), kv, (int)ll_rand_int(1, 16));
}

LL_TEST(mha, multi_head)
{
    check_golden(1);
    const int heads = (int)ll_rand_int(2, 6);
    check_seeded((int)ll_rand_int(2, 12), heads, heads,
                 (int)ll_rand_int(2, 16));
}

LL_TEST(mha, grouped_query)
{
    check_golden(2);
    check_golden(4);
    /* kv heads 2-4 shared by groups of 2-4 query heads; head_dim 1 too */
    const int kv = (int)ll_rand_int(2, 4), group = (int)ll_rand_int(2, 4);
    check_seeded((int)ll_rand_int(2, 12), kv * group, kv,
                 (int)ll_rand_int(2, 16));
    check_seeded((int)ll_rand_int(2, 8), 2 * kv, kv, 1);
}

LL_TEST(mha, multi_query)
{
    check_golden(3);
    check_seeded((int)ll_rand_int(2, 12), (int)ll_rand_int(2, 6), 1,
                 (int)ll_rand_int(2, 16));
}

LL_TEST(mha, head_mapping)
{
    /* T = 1: every head outputs the value of its own kv head. 4 query heads
     * on 2 kv heads: heads 0, 1 use kv head 0, heads 2, 3 use kv head 1. */
    const float q[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const float k[4] = {1, 1, 1, 1};
    const float v[4] = {10, 11, 20, 21};
    const float want[8] = {10, 11, 10, 11, 20, 21, 20, 21};
    float out[8];
    for (int i = 0; i < 8; i++)
        out[i] = NAN;
    mha(out, q, k, v, 1, 4, 2, 2);
    LL_CHECK_FLOATS_NEAR(out, want, 8, 0.0f, 0.0f,
                         "mha, T 1, 4 heads on 2 kv heads, v = [10, 11 | 20, "
                         "21] (head h uses kv head h / 2)");

    /* the same with 3 kv heads of seeded values, groups of 2 and 3 */
    for (int group = 2; group <= 3; group++)
        check_seeded(1, 3 * group, 3, (int)ll_rand_int(1, 4));
}

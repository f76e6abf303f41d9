/* Tests for 32_kv_cache. Students: read them, do not edit them.
 *
 * Expected values: by hand, from golden_kv_cache.h (NumPy in float64
 * running a toy model on ALL positions at once: full recomputation with
 * whole causal score matrices, see exercises/common/golden/attention.py)
 * and, for the sizes, positions and data the grader draws (ll_rand_*:
 * other ones each time it grades), from the same computations in double
 * below. Here the model decodes one token at a time through your cache.
 *
 * Tolerances (u = 2^-24, the float32 rounding unit):
 *   - kv_cache_attend: the per-element bound derived in 30_attention. A
 *     float32 score is off by at most
 *     E_j = (head_dim + 4) u sum_i |q_i k_ji| / sqrt(head_dim), which moves
 *     the weights by a factor of at most exp(2 max E); softmax over n keys
 *     adds (|s_j - max| + 3.5 n + 7) u and the weighted sum (n + 2) u,
 *     relative to sum_j p_j |v_ji|. A wrong kv head, a missing or extra
 *     position or a wrong slot is off by more than 1e-2.
 *   - the toy model (x <- x + attention(Wq x, Wk x, Wv x), layer by
 *     layer): 1e-4 + 1e-4 |want|. This one is not a worst-case bound:
 *     carried through the layers, worst-case bounds compound to ~1e-2
 *     (softmax can amplify an error in its scores ~100 times per layer),
 *     which would no longer tell a correct cache from a wrong one. Float32
 *     errors are random in sign and stay far below it: the reference
 *     solution and the variants measure <= 1e-6 on the golden model and on
 *     seeded ones (projections scaled to unit variance, so that hidden
 *     values stay O(1)), 100 times below the tolerance; a cache that loses
 *     or misplaces a position, or mixes layers, is off by more than 1e-2.
 */
#include "golden_kv_cache.h"
#include "kv_cache.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U 0x1p-24 /* the float32 unit roundoff */

enum {
    DIM = TOY_HEADS * TOY_HEAD_DIM,
    KV_DIM = TOY_KV_HEADS * TOY_HEAD_DIM,
    GQA_DIM = GQA_HEADS * GQA_HEAD_DIM,
    GQA_KV_DIM = GQA_KV_HEADS * GQA_HEAD_DIM,
};

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

static void fill_nan(float *x, long n)
{
    for (long i = 0; i < n; i++)
        x[i] = NAN;
}

/* ---- the oracle: attention in double, with its bound -------------------- */

/* One query against n keys and values (row j of k and v at j * ld), in
 * double: out[0..d) and each element's bound (see above). */
static void attend_oracle(const double *q, const double *k, const double *v,
                          int n, int d, int ld, double *out, double *tol)
{
    double *s = ll_alloc(sizeof(double) * (size_t)n);
    double m = -INFINITY, err = 0.0, sum = 0.0;
    for (int j = 0; j < n; j++) {
        double dot = 0.0, mag = 0.0;
        for (int i = 0; i < d; i++) {
            dot += q[i] * k[(long)j * ld + i];
            mag += fabs(q[i] * k[(long)j * ld + i]);
        }
        s[j] = dot / sqrt((double)d);
        err = fmax(err, (d + 4) * U * mag / sqrt((double)d));
        m = fmax(m, s[j]);
    }
    for (int j = 0; j < n; j++)
        sum += exp(s[j] - m);
    for (int i = 0; i < d; i++) {
        double o = 0.0, bound = 0.0;
        for (int j = 0; j < n; j++) {
            const double p = exp(s[j] - m) / sum, vj = v[(long)j * ld + i];
            o += p * vj;
            bound += p * fabs(vj) *
                     (expm1(2.0 * err) + (fabs(s[j] - m) + 3.5 * n + 7.0) * U +
                      (n + 2) * U);
        }
        out[i] = o;
        tol[i] = bound + U * fabs(o) + 1e-37;
    }
    free(s);
}

/* Causal GQA of the query rows q (T x n_heads*hd) against k, v (T x
 * n_kv*hd), in double, and the bound of every output element. */
static void gqa_oracle(const double *q, const double *k, const double *v, int T,
                       int n_heads, int n_kv, int hd, double *out, double *tol)
{
    const int dim = n_heads * hd, kv_dim = n_kv * hd, group = n_heads / n_kv;
    for (int t = 0; t < T; t++)
        for (int h = 0; h < n_heads; h++) {
            const long at = (long)t * dim + (long)h * hd,
                       kv = (long)(h / group) * hd;
            attend_oracle(q + at, k + kv, v + kv, t + 1, hd, kv_dim, out + at,
                          tol + at);
        }
}

/* ---- the cache ---------------------------------------------------------- */

static void init_ok(kv_cache *c, int layers, int kv_heads, int head_dim,
                    int max_seq)
{
    char what[160];
    snprintf(what, sizeof what,
             "kv_cache_init(&c, n_layers = %d, n_kv_heads = %d, head_dim = "
             "%d, max_seq = %d)",
             layers, kv_heads, head_dim, max_seq);
    LL_CHECK_INT_EQ(kv_cache_init(c, layers, kv_heads, head_dim, max_seq), 0,
                    what);
    LL_CHECK_NOT_NULL(c->k, "c.k after a successful kv_cache_init");
    LL_CHECK_NOT_NULL(c->v, "c.v after a successful kv_cache_init");
}

/* The fields, the zero-filled arrays, free and free again. */
static void check_new_cache(int layers, int kv_heads, int head_dim, int max_seq)
{
    kv_cache c;
    init_ok(&c, layers, kv_heads, head_dim, max_seq);
    char what[200];
    snprintf(what, sizeof what,
             "c.n_layers after kv_cache_init(%d, %d, %d, %d)", layers, kv_heads,
             head_dim, max_seq);
    LL_CHECK_INT_EQ(c.n_layers, layers, what);
    snprintf(what, sizeof what,
             "c.n_kv_heads after kv_cache_init(%d, %d, %d, %d)", layers,
             kv_heads, head_dim, max_seq);
    LL_CHECK_INT_EQ(c.n_kv_heads, kv_heads, what);
    snprintf(what, sizeof what,
             "c.head_dim after kv_cache_init(%d, %d, %d, %d)", layers, kv_heads,
             head_dim, max_seq);
    LL_CHECK_INT_EQ(c.head_dim, head_dim, what);
    snprintf(what, sizeof what, "c.max_seq after kv_cache_init(%d, %d, %d, %d)",
             layers, kv_heads, head_dim, max_seq);
    LL_CHECK_INT_EQ(c.max_seq, max_seq, what);

    /* every float must be there, zeroed */
    const long n = (long)layers * max_seq * kv_heads * head_dim;
    float *zeros = alloc_floats(n);
    LL_ORACLE
    {
        memset(zeros, 0, sizeof(float) * (size_t)n);
    }
    snprintf(what, sizeof what,
             "c.k[0 .. n_layers * max_seq * n_kv_heads * head_dim = %ld) of a "
             "new cache (zero-filled)",
             n);
    LL_CHECK_FLOATS_NEAR(c.k, zeros, (size_t)n, 0.0f, 0.0f, what);
    snprintf(what, sizeof what,
             "c.v[0 .. n_layers * max_seq * n_kv_heads * head_dim = %ld) of a "
             "new cache (zero-filled)",
             n);
    LL_CHECK_FLOATS_NEAR(c.v, zeros, (size_t)n, 0.0f, 0.0f, what);
    free(zeros);

    kv_cache_free(&c);
    LL_CHECK_NULL(c.k, "c.k after kv_cache_free");
    LL_CHECK_NULL(c.v, "c.v after kv_cache_free");
    kv_cache_free(&c); /* twice is harmless */
}

LL_TEST(cache, init_and_free)
{
    check_new_cache(2, 3, 5, 7);
    check_new_cache((int)ll_rand_int(1, 4), (int)ll_rand_int(1, 4),
                    (int)ll_rand_int(1, 16), (int)ll_rand_int(1, 64));
    check_new_cache(1, 1, 1, 1);
}

/* kv_cache_init with bad sizes: -1, k and v NULL (even if they held
 * something before). */
static void check_rejected(int layers, int kv_heads, int head_dim, int max_seq,
                           const char *why)
{
    static float junk[1];
    kv_cache bad = {9, 9, 9, 9, junk, junk};
    char what[200];
    snprintf(what, sizeof what,
             "kv_cache_init(&c, n_layers = %d, n_kv_heads = %d, head_dim = "
             "%d, max_seq = %d) (%s)",
             layers, kv_heads, head_dim, max_seq, why);
    LL_CHECK_INT_EQ(kv_cache_init(&bad, layers, kv_heads, head_dim, max_seq),
                    -1, what);
    LL_CHECK_NULL(bad.k, "c.k after a failed kv_cache_init");
    LL_CHECK_NULL(bad.v, "c.v after a failed kv_cache_init");
}

LL_TEST(cache, init_rejects_bad_sizes)
{
    const int neg = (int)ll_rand_int(-1000, -1);
    check_rejected(0, 1, 4, 8, "no layers");
    check_rejected(neg, 1, 4, 8, "negative n_layers");
    check_rejected(1, 0, 4, 8, "no kv heads");
    check_rejected(1, neg, 4, 8, "negative n_kv_heads");
    check_rejected(1, 1, 0, 8, "head_dim 0");
    check_rejected(1, 1, neg, 8, "negative head_dim");
    check_rejected(1, 1, 4, 0, "max_seq 0");
    check_rejected(1, 1, 4, neg, "negative max_seq");
    /* 2^40 floats per array: far more memory than there is, and more than
     * an int can count */
    check_rejected(1 << 20, 1, 1, 1 << 20, "4 TiB: memory runs out");

    /* after all that, a good init still works */
    check_new_cache((int)ll_rand_int(1, 3), (int)ll_rand_int(1, 3),
                    (int)ll_rand_int(1, 8), (int)ll_rand_int(1, 16));
}

LL_TEST(cache, append_layout)
{
    const int layers = (int)ll_rand_int(2, 3),
              kv_heads = (int)ll_rand_int(1, 3);
    const int head_dim = (int)ll_rand_int(1, 6),
              max_seq = (int)ll_rand_int(3, 9);
    const int kv_dim = kv_heads * head_dim;
    const long n = (long)layers * max_seq * kv_dim;
    kv_cache c;
    init_ok(&c, layers, kv_heads, head_dim, max_seq);

    /* two appends: a random slot and the very last one */
    const int at_layer[2] = {(int)ll_rand_int(0, layers - 1), layers - 1};
    const int at_pos[2] = {(int)ll_rand_int(0, max_seq - 2), max_seq - 1};
    float *k = random_floats(2L * kv_dim, 0.5f, 1.0f),
          *v = random_floats(2L * kv_dim, -1.0f, -0.5f);
    char what[260];
    for (int a = 0; a < 2; a++) {
        snprintf(what, sizeof what,
                 "kv_cache_append(&c, layer = %d, pos = %d, k, v) (n_layers "
                 "%d, max_seq %d)",
                 at_layer[a], at_pos[a], layers, max_seq);
        LL_CHECK_INT_EQ(kv_cache_append(&c, at_layer[a], at_pos[a],
                                        k + (long)a * kv_dim,
                                        v + (long)a * kv_dim),
                        0, what);
    }
    /* out of range: nothing may be written */
    const int bad[6][2] = {{0, max_seq}, {0, -1},          {layers, 0},
                           {-1, 0},      {layers - 1, -3}, {0, max_seq + 5}};
    for (int b = 0; b < 6; b++) {
        snprintf(what, sizeof what,
                 "kv_cache_append(&c, layer = %d, pos = %d, k, v) (n_layers "
                 "%d, max_seq %d: out of range)",
                 bad[b][0], bad[b][1], layers, max_seq);
        LL_CHECK_INT_EQ(kv_cache_append(&c, bad[b][0], bad[b][1], k, v), -1,
                        what);
    }

    float *want_k = alloc_floats(n), *want_v = alloc_floats(n);
    LL_ORACLE
    {
        memset(want_k, 0, sizeof(float) * (size_t)n);
        memset(want_v, 0, sizeof(float) * (size_t)n);
        for (int a = 0; a < 2; a++) {
            const long slot =
                ((long)at_layer[a] * max_seq + at_pos[a]) * kv_dim;
            memcpy(want_k + slot, k + (long)a * kv_dim,
                   sizeof(float) * (size_t)kv_dim);
            memcpy(want_v + slot, v + (long)a * kv_dim,
                   sizeof(float) * (size_t)kv_dim);
        }
    }
    snprintf(what, sizeof what,
             "the whole c.k after appends at (layer %d, pos %d) and (layer %d, "
             "pos %d) and 6 rejected ones: slot (layer, pos) at ((layer * "
             "max_seq + pos) * n_kv_heads * head_dim), n_kv_heads %d, head_dim "
             "%d, max_seq %d",
             at_layer[0], at_pos[0], at_layer[1], at_pos[1], kv_heads, head_dim,
             max_seq);
    LL_CHECK_FLOATS_NEAR(c.k, want_k, (size_t)n, 0.0f, 0.0f, what);
    snprintf(what, sizeof what,
             "the whole c.v after appends at (layer %d, pos %d) and (layer %d, "
             "pos %d) and 6 rejected ones",
             at_layer[0], at_pos[0], at_layer[1], at_pos[1]);
    LL_CHECK_FLOATS_NEAR(c.v, want_v, (size_t)n, 0.0f, 0.0f, what);
    free(want_v);
    free(want_k);
    free(v);
    free(k);
    kv_cache_free(&c);
}

/* ---- kv_cache_attend ---------------------------------------------------- */

/* kv_cache_attend at every position 0..T-1 of `layer` in a cache that
 * already holds all T positions (it must still see only 0..pos), all rows
 * compared at once with causal GQA in double (or NumPy's `golden`). */
static void check_attend_all(kv_cache *c, int layer, const float *q,
                             const float *k, const float *v, int T, int n_heads,
                             const float *golden, const char *kind)
{
    const int hd = c->head_dim, n_kv = c->n_kv_heads, dim = n_heads * hd,
              kv_dim = n_kv * hd;
    const long nq = (long)T * dim, nk = (long)T * kv_dim;
    char what[260];
    for (int t = 0; t < T; t++) {
        snprintf(what, sizeof what, "kv_cache_append(&c, layer = %d, pos = %d)",
                 layer, t);
        LL_CHECK_INT_EQ(kv_cache_append(c, layer, t, k + (long)t * kv_dim,
                                        v + (long)t * kv_dim),
                        0, what);
    }
    float *out = alloc_floats(nq);
    fill_nan(out, nq);
    for (int t = 0; t < T; t++)
        kv_cache_attend(out + (long)t * dim, c, layer, t, q + (long)t * dim,
                        n_heads);
    float *want = alloc_floats(nq), *tol = alloc_floats(nq);
    LL_ORACLE
    {
        double *qd = ll_alloc(sizeof(double) * (size_t)nq),
               *kd = ll_alloc(sizeof(double) * (size_t)nk),
               *vd = ll_alloc(sizeof(double) * (size_t)nk),
               *od = ll_alloc(sizeof(double) * (size_t)nq),
               *td = ll_alloc(sizeof(double) * (size_t)nq);
        for (long i = 0; i < nq; i++)
            qd[i] = q[i];
        for (long i = 0; i < nk; i++) {
            kd[i] = k[i];
            vd[i] = v[i];
        }
        gqa_oracle(qd, kd, vd, T, n_heads, n_kv, hd, od, td);
        for (long i = 0; i < nq; i++) {
            want[i] = golden != NULL ? golden[i] : (float)od[i];
            tol[i] = (float)td[i];
        }
        free(td);
        free(od);
        free(vd);
        free(kd);
        free(qd);
    }
    snprintf(what, sizeof what,
             "kv_cache_attend(out, &c, layer = %d, pos = t, q[t], n_heads = "
             "%d) for every t < %d (n_kv_heads %d, head_dim %d, max_seq %d) "
             "of %s: element [t * n_heads * head_dim + h * head_dim + i]%s",
             layer, n_heads, T, n_kv, hd, c->max_seq, kind,
             golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)nq, what);
    free(tol);
    free(want);
    free(out);
}

LL_TEST(cache, attend_first_position)
{
    /* at pos 0 the only key has weight 1: every head returns its kv head's
     * value. 4 query heads on 2 kv heads of size 2: heads 0, 1 -> kv 0. */
    kv_cache c;
    init_ok(&c, 1, 2, 2, 4);
    const float k[4] = {0.5f, -1.0f, 2.0f, 1.0f}, v[4] = {10, 11, 20, 21};
    const float q[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const float want[8] = {10, 11, 10, 11, 20, 21, 20, 21};
    LL_CHECK_INT_EQ(kv_cache_append(&c, 0, 0, k, v), 0,
                    "kv_cache_append(&c, layer 0, pos 0)");
    float out[8];
    fill_nan(out, 8);
    kv_cache_attend(out, &c, 0, 0, q, 4);
    LL_CHECK_FLOATS_NEAR(out, want, 8, 0.0f, 0.0f,
                         "kv_cache_attend at pos 0, 4 heads on 2 kv heads, "
                         "v = [10, 11 | 20, 21]");
    kv_cache_free(&c);

    /* seeded: 3 kv heads in groups of 2, the second layer */
    const int hd = (int)ll_rand_int(1, 4);
    kv_cache s;
    init_ok(&s, 2, 3, hd, 3);
    float *qs = random_floats(6L * hd, -1, 1),
          *ks = random_floats(3L * hd, -1, 1),
          *vs = random_floats(3L * hd, -1, 1);
    check_attend_all(&s, 1, qs, ks, vs, 1, 6, NULL, "seeded q, k, v");
    free(vs);
    free(ks);
    free(qs);
    kv_cache_free(&s);
}

LL_TEST(cache, attend_matches_numpy)
{
    /* Fill the cache with all positions first; attending at pos t must
     * still see only 0..t (row t of causal GQA attention). */
    kv_cache c;
    init_ok(&c, 2, GQA_KV_HEADS, GQA_HEAD_DIM, GQA_T + 3);
    check_attend_all(&c, 1, gqa_q, gqa_k, gqa_v, GQA_T, GQA_HEADS, gqa_out,
                     "golden q, k, v");
    kv_cache_free(&c);

    /* seeded sizes and data; the other layers hold junk the attention must
     * not read */
    const int layers = (int)ll_rand_int(2, 3), n_kv = (int)ll_rand_int(1, 3);
    const int group = (int)ll_rand_int(1, 3), hd = (int)ll_rand_int(1, 12);
    const int T = (int)ll_rand_int(2, 16), max_seq = T + (int)ll_rand_int(0, 4);
    const int layer = (int)ll_rand_int(0, layers - 1);
    const int n_heads = n_kv * group, kv_dim = n_kv * hd;
    kv_cache s;
    init_ok(&s, layers, n_kv, hd, max_seq);
    float *junk = random_floats(kv_dim, 40.0f, 50.0f);
    for (int l = 0; l < layers; l++)
        for (int p = 0; p < max_seq; p++)
            if (l != layer || p >= T)
                LL_CHECK_INT_EQ(kv_cache_append(&s, l, p, junk, junk), 0,
                                "kv_cache_append of junk to other slots");
    float *q = random_floats((long)T * n_heads * hd, -1, 1),
          *k = random_floats((long)T * kv_dim, -1, 1),
          *v = random_floats((long)T * kv_dim, -1, 1);
    check_attend_all(&s, layer, q, k, v, T, n_heads, NULL, "seeded q, k, v");
    free(v);
    free(k);
    free(q);
    free(junk);
    kv_cache_free(&s);
}

/* ---- decoding a toy model ----------------------------------------------- */

/* A toy attention model: n_layers of x <- x + GQA(Wq x, Wk x, Wv x), with
 * W[l] row-major [rows x dim]. */
typedef struct {
    int n_layers, n_heads, n_kv, hd, T;
    const float *const *wq, *const *wk, *const *wv; /* one per layer */
    const float *x0;                                /* [T x dim] */
} toy_model;

/* out[r] = sum_j w[r * n + j] * x[j] (W is [rows x n], row-major) */
static void matvec(float *out, const float *w, const float *x, int rows, int n)
{
    for (int r = 0; r < rows; r++) {
        float s = 0.0f;
        for (int j = 0; j < n; j++)
            s += w[r * n + j] * x[j];
        out[r] = s;
    }
}

/* The model run on all positions at once, in double: each layer's
 * projections of the whole sequence, then causal GQA over it. */
static void toy_oracle(const toy_model *m, float *want)
{
    const int dim = m->n_heads * m->hd, kv_dim = m->n_kv * m->hd, T = m->T;
    const long nx = (long)T * dim, nk = (long)T * kv_dim;
    double *x = ll_alloc(sizeof(double) * (size_t)nx),
           *q = ll_alloc(sizeof(double) * (size_t)nx),
           *k = ll_alloc(sizeof(double) * (size_t)nk),
           *v = ll_alloc(sizeof(double) * (size_t)nk),
           *att = ll_alloc(sizeof(double) * (size_t)nx),
           *unused = ll_alloc(sizeof(double) * (size_t)nx);
    for (long i = 0; i < nx; i++)
        x[i] = m->x0[i];
    for (int l = 0; l < m->n_layers; l++) {
        const float *w[3] = {m->wq[l], m->wk[l], m->wv[l]};
        double *dst[3] = {q, k, v};
        const int rows[3] = {dim, kv_dim, kv_dim};
        for (int p = 0; p < 3; p++)
            for (int t = 0; t < T; t++)
                for (int r = 0; r < rows[p]; r++) {
                    double s = 0.0;
                    for (int j = 0; j < dim; j++)
                        s += (double)w[p][(long)r * dim + j] *
                             x[(long)t * dim + j];
                    dst[p][(long)t * rows[p] + r] = s;
                }
        gqa_oracle(q, k, v, T, m->n_heads, m->n_kv, m->hd, att, unused);
        for (long i = 0; i < nx; i++)
            x[i] += att[i]; /* the residual connection */
    }
    for (long i = 0; i < nx; i++)
        want[i] = (float)x[i];
    free(unused);
    free(att);
    free(v);
    free(k);
    free(q);
    free(x);
}

/* Decodes the model one token at a time through a cache and compares the
 * final hidden states with the full recomputation (or NumPy's `golden`). */
static void check_decode(const toy_model *m, const float *golden,
                         const char *kind)
{
    const int dim = m->n_heads * m->hd, kv_dim = m->n_kv * m->hd;
    const long nx = (long)m->T * dim;
    kv_cache c;
    init_ok(&c, m->n_layers, m->n_kv, m->hd, m->T + 2);
    float *x = alloc_floats(nx), *q = alloc_floats(dim),
          *k = alloc_floats(kv_dim), *v = alloc_floats(kv_dim),
          *att = alloc_floats(dim);
    memcpy(x, m->x0, sizeof(float) * (size_t)nx);
    for (int pos = 0; pos < m->T; pos++) { /* one token at a time */
        float *xp = x + (long)pos * dim;
        for (int l = 0; l < m->n_layers; l++) {
            matvec(q, m->wq[l], xp, dim, dim);
            matvec(k, m->wk[l], xp, kv_dim, dim);
            matvec(v, m->wv[l], xp, kv_dim, dim);
            LL_CHECK(kv_cache_append(&c, l, pos, k, v) == 0,
                     "kv_cache_append(&c, layer = %d, pos = %d) while "
                     "decoding: expected 0",
                     l, pos);
            fill_nan(att, dim);
            kv_cache_attend(att, &c, l, pos, q, m->n_heads);
            for (int i = 0; i < dim; i++)
                xp[i] += att[i]; /* residual connection */
        }
    }
    float *want = alloc_floats(nx);
    LL_ORACLE
    {
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)nx);
        else
            toy_oracle(m, want);
    }
    char what[260];
    snprintf(what, sizeof what,
             "hidden states after %d layers of %s (%d heads on %d kv heads of "
             "%d), decoded one token at a time with the cache, vs full "
             "recomputation: element [pos * %d + i]%s",
             m->n_layers, kind, m->n_heads, m->n_kv, m->hd, dim,
             golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_NEAR(x, want, (size_t)nx, 1e-4f, 1e-4f, what);
    free(want);
    free(att);
    free(v);
    free(k);
    free(q);
    free(x);
    kv_cache_free(&c);
}

LL_TEST(decode, incremental_equals_full)
{
    const float *const wq[TOY_LAYERS] = {toy_wq0, toy_wq1};
    const float *const wk[TOY_LAYERS] = {toy_wk0, toy_wk1};
    const float *const wv[TOY_LAYERS] = {toy_wv0, toy_wv1};
    const toy_model golden = {TOY_LAYERS,   TOY_HEADS, TOY_KV_HEADS,
                              TOY_HEAD_DIM, TOY_T,     wq,
                              wk,           wv,        toy_x0};
    check_decode(&golden, toy_out, "the golden toy model");

    /* a seeded model: 2-3 layers, 1-2 kv heads in groups of 1-3 */
    enum { MAX_LAYERS = 3 };
    const int layers = (int)ll_rand_int(2, MAX_LAYERS),
              n_kv = (int)ll_rand_int(1, 2);
    const int n_heads = n_kv * (int)ll_rand_int(1, 3),
              hd = (int)ll_rand_int(2, 6), T = (int)ll_rand_int(3, 12);
    const int dim = n_heads * hd, kv_dim = n_kv * hd;
    const float a = sqrtf(3.0f / (float)dim); /* unit-variance projections */
    float *w[3][MAX_LAYERS] = {{NULL}};
    for (int l = 0; l < layers; l++) {
        w[0][l] = random_floats((long)dim * dim, -a, a);
        w[1][l] = random_floats((long)kv_dim * dim, -a, a);
        w[2][l] = random_floats((long)kv_dim * dim, -a, a);
    }
    float *x0 = random_floats((long)T * dim, -1, 1);
    const toy_model seeded = {layers,
                              n_heads,
                              n_kv,
                              hd,
                              T,
                              (const float *const *)w[0],
                              (const float *const *)w[1],
                              (const float *const *)w[2],
                              x0};
    check_decode(&seeded, NULL, "a seeded toy model");
    free(x0);
    for (int l = 0; l < layers; l++)
        for (int p = 0; p < 3; p++)
            free(w[p][l]);
}

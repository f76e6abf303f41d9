/* Tests for 32_kv_cache. Students: read them, do not edit them.
 *
 * Expected values: by hand, or from golden_kv_cache.h: NumPy in float64
 * running the toy model on ALL positions at once (full recomputation with
 * whole causal score matrices), see exercises/common/golden/attention.py.
 * Here the same model decodes one token at a time through your cache.
 *
 * Tolerances: attention alone 1e-5 + 1e-4 * |want| (as in 30_attention).
 * The toy model (2 layers, residual x + attention(Wq x, Wk x, Wv x)) feeds
 * float32 matrix-vector products of 20 terms into attention twice; its
 * hidden values reach ~3, so 1e-4 + 1e-4 * |want| (reference: 7e-7).
 */
#include "golden_kv_cache.h"
#include "kv_cache.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum {
    DIM = TOY_HEADS * TOY_HEAD_DIM,
    KV_DIM = TOY_KV_HEADS * TOY_HEAD_DIM,
    GQA_DIM = GQA_HEADS * GQA_HEAD_DIM,
    GQA_KV_DIM = GQA_KV_HEADS * GQA_HEAD_DIM,
};

static void fill_nan(float *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = NAN;
}

static void init_ok(kv_cache *c, int layers, int kv_heads, int head_dim,
                    int max_seq)
{
    const int rc = kv_cache_init(c, layers, kv_heads, head_dim, max_seq);
    LL_CHECK(rc == 0 && c->k != NULL && c->v != NULL,
             "kv_cache_init(%d layers, %d kv heads, head_dim %d, max_seq %d): "
             "expected 0 and two arrays, got %d, k %p, v %p",
             layers, kv_heads, head_dim, max_seq, rc, (void *)c->k,
             (void *)c->v);
}

LL_TEST(cache, init_and_free)
{
    kv_cache c;
    init_ok(&c, 2, 3, 5, 7);
    LL_CHECK(c.n_layers == 2 && c.n_kv_heads == 3 && c.head_dim == 5 &&
                 c.max_seq == 7,
             "fields after init(2, 3, 5, 7): got n_layers %d, n_kv_heads %d, "
             "head_dim %d, max_seq %d",
             c.n_layers, c.n_kv_heads, c.head_dim, c.max_seq);
    const int n = 2 * 7 * 3 * 5; /* every float must be there, zeroed */
    for (int i = 0; i < n; i++)
        LL_CHECK(c.k[i] == 0.0f && c.v[i] == 0.0f,
                 "k[%d], v[%d] of a new cache: expected 0, got %g, %g", i, i,
                 (double)c.k[i], (double)c.v[i]);
    kv_cache_free(&c);
    LL_CHECK(c.k == NULL && c.v == NULL,
             "after kv_cache_free: expected k and v NULL, got %p, %p",
             (void *)c.k, (void *)c.v);
    kv_cache_free(&c); /* twice is harmless */

    kv_cache bad;
    LL_CHECK_INT_EQ(kv_cache_init(&bad, 0, 1, 4, 8), -1,
                    "kv_cache_init with 0 layers");
    LL_CHECK(bad.k == NULL && bad.v == NULL,
             "failed init: expected k and v NULL, got %p, %p", (void *)bad.k,
             (void *)bad.v);
    LL_CHECK_INT_EQ(kv_cache_init(&bad, 1, 1, 4, -3), -1,
                    "kv_cache_init with max_seq -3");
}

LL_TEST(cache, append_layout)
{
    kv_cache c;
    init_ok(&c, 2, 2, 3, 5); /* 2 layers, kv_dim 6, 5 positions */
    const float k[6] = {1, 2, 3, 4, 5, 6}, v[6] = {-1, -2, -3, -4, -5, -6};
    LL_CHECK_INT_EQ(kv_cache_append(&c, 1, 3, k, v), 0,
                    "kv_cache_append(layer 1, pos 3)");
    const long at = (1L * 5 + 3) * 6; /* (layer * max_seq + pos) * kv_dim */
    LL_CHECK_FLOATS_NEAR(c.k + at, k, 6, 0.0f, 0.0f,
                         "k at ((1 * max_seq + 3) * kv_dim) after append");
    LL_CHECK_FLOATS_NEAR(c.v + at, v, 6, 0.0f, 0.0f,
                         "v at ((1 * max_seq + 3) * kv_dim) after append");
    int nonzero = 0;
    for (long i = 0; i < 2 * 5 * 6; i++)
        nonzero += (c.k[i] != 0.0f) + (c.v[i] != 0.0f);
    LL_CHECK_INT_EQ(nonzero, 12, "nonzero floats in k and v after one append");

    LL_CHECK_INT_EQ(kv_cache_append(&c, 0, 5, k, v), -1,
                    "kv_cache_append at pos == max_seq (out of range)");
    LL_CHECK_INT_EQ(kv_cache_append(&c, 0, -1, k, v), -1,
                    "kv_cache_append at pos -1");
    LL_CHECK_INT_EQ(kv_cache_append(&c, 2, 0, k, v), -1,
                    "kv_cache_append at layer == n_layers");
    nonzero = 0;
    for (long i = 0; i < 2 * 5 * 6; i++)
        nonzero += (c.k[i] != 0.0f) + (c.v[i] != 0.0f);
    LL_CHECK_INT_EQ(nonzero, 12,
                    "nonzero floats after rejected appends (nothing written)");
    kv_cache_free(&c);
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
    LL_CHECK_INT_EQ(kv_cache_append(&c, 0, 0, k, v), 0, "append pos 0");
    float out[8];
    fill_nan(out, 8);
    kv_cache_attend(out, &c, 0, 0, q, 4);
    LL_CHECK_FLOATS_NEAR(out, want, 8, 1e-5f, 1e-4f,
                         "kv_cache_attend at pos 0, 4 heads on 2 kv heads, "
                         "v = [10, 11 | 20, 21]");
    kv_cache_free(&c);
}

LL_TEST(cache, attend_matches_numpy)
{
    /* Fill the cache with all positions first; attending at pos t must
     * still see only 0..t (row t of causal GQA attention). */
    kv_cache c;
    init_ok(&c, 2, GQA_KV_HEADS, GQA_HEAD_DIM, GQA_T + 3);
    for (int t = 0; t < GQA_T; t++)
        LL_CHECK_INT_EQ(kv_cache_append(&c, 1, t, gqa_k + t * GQA_KV_DIM,
                                        gqa_v + t * GQA_KV_DIM),
                        0, "append to layer 1");
    for (int t = 0; t < GQA_T; t++) {
        float out[GQA_DIM];
        char what[128];
        fill_nan(out, GQA_DIM);
        kv_cache_attend(out, &c, 1, t, gqa_q + t * GQA_DIM, GQA_HEADS);
        snprintf(what, sizeof what,
                 "kv_cache_attend(layer 1, pos %d), %d heads on %d kv heads, "
                 "head_dim %d",
                 t, GQA_HEADS, GQA_KV_HEADS, GQA_HEAD_DIM);
        LL_CHECK_FLOATS_NEAR(out, gqa_out + t * GQA_DIM, GQA_DIM, 1e-5f, 1e-4f,
                             what);
    }
    kv_cache_free(&c);
}

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

LL_TEST(decode, incremental_equals_full)
{
    const float *wq[TOY_LAYERS] = {toy_wq0, toy_wq1};
    const float *wk[TOY_LAYERS] = {toy_wk0, toy_wk1};
    const float *wv[TOY_LAYERS] = {toy_wv0, toy_wv1};
    kv_cache c;
    init_ok(&c, TOY_LAYERS, TOY_KV_HEADS, TOY_HEAD_DIM, 2 * TOY_T);
    for (int pos = 0; pos < TOY_T; pos++) { /* one token at a time */
        float x[DIM], q[DIM], k[KV_DIM], v[KV_DIM], att[DIM];
        memcpy(x, toy_x0 + pos * DIM, sizeof x);
        for (int l = 0; l < TOY_LAYERS; l++) {
            matvec(q, wq[l], x, DIM, DIM);
            matvec(k, wk[l], x, KV_DIM, DIM);
            matvec(v, wv[l], x, KV_DIM, DIM);
            LL_CHECK_INT_EQ(kv_cache_append(&c, l, pos, k, v), 0,
                            "kv_cache_append while decoding");
            fill_nan(att, DIM);
            kv_cache_attend(att, &c, l, pos, q, TOY_HEADS);
            for (int i = 0; i < DIM; i++)
                x[i] += att[i]; /* residual connection */
        }
        char what[160];
        snprintf(what, sizeof what,
                 "hidden state of token %d after %d layers, decoded one token "
                 "at a time with the cache (vs full recomputation)",
                 pos, TOY_LAYERS);
        LL_CHECK_FLOATS_NEAR(x, toy_out + pos * DIM, DIM, 1e-4f, 1e-4f, what);
    }
    kv_cache_free(&c);
}

/* Tests for 38_forward. Students: read them, do not edit them.
 *
 * Two oracles. For tinymodel.h's three test shapes, logits and greedy
 * tokens come from the NumPy oracle (golden/llama_golden.h), which runs the
 * same checkpoints in float64; each argmax it recorded wins by more than
 * 1e-3, so a correct float32 forward pass reproduces every token. Besides,
 * every test draws models and token sequences from the grader's seeded
 * generator (ll_rand_*: when it grades, the grader may draw other ones than
 * the ones you see), whose logits come from oracle_forward() below: the
 * lecture's diagram in double precision, written for clarity.
 *
 * Tolerance: |logit - oracle| <= 5e-4 + 5e-4 |oracle|. A float32 pass
 * rounds each of the few thousand operations behind a logit at 2^-24
 * relative, and RMSNorm, softmax and the residual stream keep those errors
 * from growing much: over these tests and eight seeds the largest
 * difference we measured between the reference solution and the
 * double-precision oracle is 1.6e-4 on a logit near 12, about a quarter
 * of the bound there, which leaves room for another summation order or
 * softmax formulation. A wrong attention scale, a misplaced cache row, a
 * wrong key/value head or a missing residual moves logits by 0.01 to 10.
 * The one plausible mistake that moves them less is RMSNorm's epsilon,
 * which only matters when the activations are small: the test
 * small_activations_make_epsilon_count
 * scales the embedding down until eps = 1e-5 dominates the mean square. */
#include "forward.h"
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ATOL 5e-4f
#define RTOL 5e-4f

typedef struct {
    tm_shape shape;
    unsigned char *bytes;
    size_t size;
    Checkpoint ck;
    Transformer t;
} Model;

static void describe(char *buf, size_t cap, const tm_shape *s)
{
    snprintf(buf, cap,
             "model %s {dim %d, hidden_dim %d, n_layers %d, n_heads %d, "
             "n_kv_heads %d, vocab_size %d, seq_len %d}",
             s->name, s->dim, s->hidden_dim, s->n_layers, s->n_heads,
             s->n_kv_heads, s->vocab_size, s->seq_len);
}

/* Builds shape s (its embedding scaled by emb_scale), loads it with your
 * 35_checkpoint and starts a transformer on it. */
static void model_open_scaled(Model *m, const tm_shape *s, float emb_scale)
{
    memset(m, 0, sizeof *m);
    m->shape = *s;
    m->bytes = tm_checkpoint_build(s, &m->size);
    LL_CHECK_NOT_NULL(m->bytes, "tm_checkpoint_build (test setup)");
    const size_t emb = (size_t)abs(s->vocab_size) * (size_t)s->dim;
    float *f = (float *)(m->bytes + 28);
    for (size_t i = 0; i < emb; i++)
        f[i] *= emb_scale;
    LL_CHECK_INT_EQ(checkpoint_from_memory(&m->ck, m->bytes, m->size), CK_OK,
                    "checkpoint_from_memory (your 35_checkpoint)");
    LL_CHECK(m->ck.config.dim == s->dim &&
                 m->ck.config.n_layers == s->n_layers &&
                 m->ck.config.vocab_size == abs(s->vocab_size),
             "the config your 35_checkpoint loaded: expected dim %d, "
             "n_layers %d, vocab_size %d, got %d, %d, %d",
             s->dim, s->n_layers, abs(s->vocab_size), m->ck.config.dim,
             m->ck.config.n_layers, m->ck.config.vocab_size);
    LL_CHECK_INT_EQ(transformer_init(&m->t, &m->ck.config, &m->ck.weights), 0,
                    "transformer_init");
}

static void model_open(Model *m, const tm_shape *s)
{
    model_open_scaled(m, s, 1.0f);
}

/* Golden shape i, checked against the NumPy oracle's fingerprint. */
static void golden_open(Model *m, int i)
{
    model_open(m, &TM_SHAPES[i]);
    LL_CHECK_UINT_EQ(tm_fnv1a(m->bytes, m->size), LLG_SHAPES[i].checkpoint_fnv,
                     "fingerprint of the test model (test setup)");
}

static void model_close(Model *m)
{
    transformer_free(&m->t);
    free(m->bytes);
}

/* ---- the double-precision oracle -------------------------------------------
 */

typedef struct {
    int dim, hidden, L, nh, nkv, V, seq, head, kv_dim;
    const float *emb, *rms_att, *wq, *wk, *wv, *wo, *rms_ffn, *w1, *w2, *w3,
        *rms_final, *wcls;
    double *kcache, *vcache; /* (L, seq, kv_dim) */
} Oracle;

/* Finds every tensor of m's bytes from tinymodel.h's list. */
static void oracle_open(Oracle *o, const Model *m)
{
    const tm_shape *s = &m->shape;
    memset(o, 0, sizeof *o);
    o->dim = s->dim, o->hidden = s->hidden_dim, o->L = s->n_layers;
    o->nh = s->n_heads, o->nkv = s->n_kv_heads, o->V = abs(s->vocab_size);
    o->seq = s->seq_len, o->head = s->dim / s->n_heads;
    o->kv_dim = o->head * o->nkv;
    tm_tensor t[TM_MAX_TENSORS];
    const int n = tm_tensors(s, t);
    const float *p = (const float *)(m->bytes + 28);
    const float **slot[] = {&o->emb, &o->rms_att, &o->wq,       &o->wk,
                            &o->wv,  &o->wo,      &o->rms_ffn,  &o->w1,
                            &o->w2,  &o->w3,      &o->rms_final};
    for (int i = 0; i < n; i++) {
        if (i < 11)
            *slot[i] = p;
        else if (strcmp(t[i].name, "wcls") == 0)
            o->wcls = p;
        p += t[i].count;
    }
    if (!o->wcls)
        o->wcls = o->emb;
    const size_t cache = (size_t)o->L * o->seq * o->kv_dim;
    o->kcache = ll_alloc(cache * sizeof(double));
    o->vcache = ll_alloc(cache * sizeof(double));
}

static void oracle_close(Oracle *o)
{
    free(o->kcache);
    free(o->vcache);
}

static void rmsnorm_d(double *out, const double *x, const float *w, int n)
{
    double ss = 0;
    for (int i = 0; i < n; i++)
        ss += x[i] * x[i];
    const double scale = 1.0 / sqrt(ss / n + 1e-5);
    for (int i = 0; i < n; i++)
        out[i] = w[i] * x[i] * scale;
}

static void matvec_d(double *out, const float *w, const double *x, int n, int d)
{
    for (int i = 0; i < d; i++) {
        double acc = 0;
        for (int j = 0; j < n; j++)
            acc += w[(size_t)i * n + j] * x[j];
        out[i] = acc;
    }
}

static void rope_d(double *v, int heads, int head, int pos)
{
    for (int h = 0; h < heads; h++)
        for (int i = 0; i < head; i += 2) {
            const double angle = pos * pow(10000.0, -(double)i / head);
            const double c = cos(angle), s = sin(angle);
            double *p = v + (size_t)h * head + i;
            const double a = p[0], b = p[1];
            p[0] = a * c - b * s;
            p[1] = a * s + b * c;
        }
}

/* The logits of `token` at `pos`, in double (positions in order). */
static void oracle_forward(Oracle *o, int token, int pos, double *logits)
{
    const int d = o->dim, hd = o->hidden, hs = o->head, kvd = o->kv_dim;
    double *x = ll_alloc((size_t)d * sizeof *x);
    double *xb = ll_alloc((size_t)d * sizeof *xb);
    double *q = ll_alloc((size_t)d * sizeof *q);
    double *att = ll_alloc((size_t)d * sizeof *att);
    double *tmp = ll_alloc((size_t)d * sizeof *tmp);
    double *a = ll_alloc((size_t)hd * sizeof *a);
    double *b = ll_alloc((size_t)hd * sizeof *b);
    double *p = ll_alloc((size_t)(pos + 1) * sizeof *p);
    for (int i = 0; i < d; i++)
        x[i] = o->emb[(size_t)token * d + i];
    for (int l = 0; l < o->L; l++) {
        rmsnorm_d(xb, x, o->rms_att + (size_t)l * d, d);
        double *k = o->kcache + ((size_t)l * o->seq + pos) * kvd;
        double *v = o->vcache + ((size_t)l * o->seq + pos) * kvd;
        matvec_d(q, o->wq + (size_t)l * d * d, xb, d, d);
        matvec_d(k, o->wk + (size_t)l * kvd * d, xb, d, kvd);
        matvec_d(v, o->wv + (size_t)l * kvd * d, xb, d, kvd);
        rope_d(q, o->nh, hs, pos);
        rope_d(k, o->nkv, hs, pos);
        for (int h = 0; h < o->nh; h++) {
            const int g = h / (o->nh / o->nkv); /* its key/value head */
            double max = -INFINITY, sum = 0;
            for (int t = 0; t <= pos; t++) {
                const double *kt =
                    o->kcache + ((size_t)l * o->seq + t) * kvd + g * hs;
                double s = 0;
                for (int i = 0; i < hs; i++)
                    s += q[h * hs + i] * kt[i];
                p[t] = s / sqrt((double)hs);
                max = p[t] > max ? p[t] : max;
            }
            for (int t = 0; t <= pos; t++)
                sum += p[t] = exp(p[t] - max);
            for (int i = 0; i < hs; i++) {
                double acc = 0;
                for (int t = 0; t <= pos; t++)
                    acc +=
                        p[t] / sum *
                        o->vcache[((size_t)l * o->seq + t) * kvd + g * hs + i];
                att[h * hs + i] = acc;
            }
        }
        matvec_d(tmp, o->wo + (size_t)l * d * d, att, d, d);
        for (int i = 0; i < d; i++)
            x[i] += tmp[i];
        rmsnorm_d(xb, x, o->rms_ffn + (size_t)l * d, d);
        matvec_d(a, o->w1 + (size_t)l * hd * d, xb, d, hd);
        matvec_d(b, o->w3 + (size_t)l * hd * d, xb, d, hd);
        for (int j = 0; j < hd; j++)
            a[j] = a[j] / (1.0 + exp(-a[j])) * b[j];
        matvec_d(tmp, o->w2 + (size_t)l * d * hd, a, hd, d);
        for (int i = 0; i < d; i++)
            x[i] += tmp[i];
    }
    rmsnorm_d(xb, x, o->rms_final, d);
    matvec_d(logits, o->wcls, xb, d, o->V);
    free(p);
    free(b);
    free(a);
    free(tmp);
    free(att);
    free(q);
    free(xb);
    free(x);
}

/* ---- checks
 * ------------------------------------------------------------------- */

/* Feeds tokens[0..n-1] at positions 0..n-1 and compares every step's
 * logits with the double-precision oracle. */
static void check_sequence(Model *m, const int *tokens, int n, const char *why)
{
    const int V = abs(m->shape.vocab_size);
    Oracle o;
    LL_ORACLE
    {
        oracle_open(&o, m);
    }
    double *exact = ll_alloc((size_t)V * sizeof *exact);
    float *want = ll_alloc((size_t)V * sizeof *want);
    char shape[200], what[400];
    describe(shape, sizeof shape, &m->shape);
    for (int pos = 0; pos < n; pos++) {
        const float *logits = forward(&m->t, tokens[pos], pos);
        snprintf(what, sizeof what,
                 "%s%s: logits[i] at position %d (token %d) vs double "
                 "precision",
                 shape, why, pos, tokens[pos]);
        LL_CHECK_NOT_NULL(logits, what);
        LL_ORACLE
        {
            oracle_forward(&o, tokens[pos], pos, exact);
            for (int i = 0; i < V; i++)
                want[i] = (float)exact[i];
        }
        LL_CHECK_FLOATS_NEAR(logits, want, (size_t)V, ATOL, RTOL, what);
    }
    LL_ORACLE
    {
        oracle_close(&o);
    }
    free(want);
    free(exact);
}

/* n seeded tokens below V. */
static int *random_tokens(int n, int V)
{
    int *t = ll_alloc((size_t)n * sizeof *t);
    for (int i = 0; i < n; i++)
        t[i] = (int)ll_rand_int(0, V - 1);
    return t;
}

/* A golden shape with seeded weights and a seeded sequence of n tokens. */
static void check_seeded(int shape, int n, const char *why)
{
    tm_shape s = TM_SHAPES[shape];
    s.seed = ll_rand_u64();
    Model m;
    model_open(&m, &s);
    int *tokens = random_tokens(n, abs(s.vocab_size));
    check_sequence(&m, tokens, n, why);
    free(tokens);
    model_close(&m);
}

/* A seeded shape: 1 to 3 key/value heads shared by 1 to 4 query heads
 * each, an even head_size from 2 to 12, small everything else. */
static tm_shape random_shape(void)
{
    const int kv = (int)ll_rand_int(1, 3), group = (int)ll_rand_int(1, 4);
    const int vocab = (int)ll_rand_int(1, 200);
    tm_shape s = {"seeded",
                  kv * group * 2 * (int)ll_rand_int(1, 6),
                  (int)ll_rand_int(1, 64),
                  (int)ll_rand_int(1, 3),
                  kv * group,
                  kv,
                  ll_rand_int(0, 1) ? vocab : -vocab,
                  (int)ll_rand_int(1, 24),
                  ll_rand_u64()};
    return s;
}

/* Feeds LLG_LOGIT_TOKENS at positions 0..npos-1 and compares each step
 * with the NumPy oracle. */
static void check_golden(Model *m, int shape, int npos)
{
    const llg_shape *g = &LLG_SHAPES[shape];
    const int V = m->ck.config.vocab_size;
    for (int pos = 0; pos < npos; pos++) {
        const float *logits = forward(&m->t, LLG_LOGIT_TOKENS[pos], pos);
        char what[128];
        snprintf(what, sizeof what,
                 "shape %s: logits at position %d (token %d) vs NumPy", g->name,
                 pos, LLG_LOGIT_TOKENS[pos]);
        LL_CHECK_NOT_NULL(logits, what);
        LL_CHECK_FLOATS_NEAR(logits, g->logits + (size_t)pos * V, (size_t)V,
                             ATOL, RTOL, what);
    }
}

LL_TEST(forward, first_position_of_every_shape)
{
    for (int s = 0; s < TM_N_SHAPES; s++) {
        Model m;
        golden_open(&m, s);
        check_golden(&m, s, 1);
        model_close(&m);
    }
    for (int i = 0; i < 4; i++) {
        const tm_shape s = random_shape();
        Model m;
        model_open(&m, &s);
        int *token = random_tokens(1, abs(s.vocab_size));
        check_sequence(&m, token, 1, "");
        free(token);
        model_close(&m);
    }
}

LL_TEST(forward, kv_cache_over_a_sequence)
{
    Model m;
    golden_open(&m, 0);
    check_golden(&m, 0, LLG_N_LOGIT_TOKENS);
    model_close(&m);
    check_seeded(0, 12, "");
}

LL_TEST(forward, grouped_query_attention)
{
    Model m;
    golden_open(&m, 1); /* 8 query heads share 2 key/value heads */
    check_golden(&m, 1, LLG_N_LOGIT_TOKENS);
    model_close(&m);
    check_seeded(1, 10, "");
    /* 3 key/value heads shared by 2 query heads each */
    tm_shape s = {"gqa3", 48, 40, 2, 6, 3, -50, 12, ll_rand_u64()};
    model_open(&m, &s);
    int *tokens = random_tokens(8, 50);
    check_sequence(&m, tokens, 8, "");
    free(tokens);
    model_close(&m);
}

LL_TEST(forward, separate_classifier_and_one_kv_head)
{
    Model m;
    golden_open(&m, 2);
    check_golden(&m, 2, LLG_N_LOGIT_TOKENS);
    model_close(&m);
    check_seeded(2, 10, "");
}

LL_TEST(forward, seeded_shapes_over_whole_sequences)
{
    for (int i = 0; i < 4; i++) {
        const tm_shape s = random_shape();
        Model m;
        model_open(&m, &s);
        int *tokens = random_tokens(s.seq_len, abs(s.vocab_size));
        check_sequence(&m, tokens, s.seq_len, "");
        free(tokens);
        model_close(&m);
    }
}

LL_TEST(forward, a_new_sequence_restarts_at_position_0)
{
    Model m;
    golden_open(&m, 1);
    check_golden(&m, 1, LLG_N_LOGIT_TOKENS);
    check_golden(&m, 1, LLG_N_LOGIT_TOKENS); /* again, same cache */
    model_close(&m);
    /* seeded: a long sequence, then a shorter, different one */
    tm_shape s = TM_SHAPES[0];
    s.seed = ll_rand_u64();
    model_open(&m, &s);
    int *first = random_tokens(20, abs(s.vocab_size));
    int *second = random_tokens(6, abs(s.vocab_size));
    check_sequence(&m, first, 20, " (first sequence)");
    check_sequence(&m, second, 6, " (second sequence, same transformer)");
    free(second);
    free(first);
    model_close(&m);
}

LL_TEST(forward, small_activations_make_epsilon_count)
{
    /* embeddings scaled by 2^-12: mean squares near 2e-8, so RMSNorm's
     * eps (1e-5) dominates in the first layer and a different one changes
     * every logit (a separate classifier keeps the logits large) */
    for (int i = 0; i < 2; i++) {
        tm_shape s = i == 0 ? TM_SHAPES[0] : random_shape();
        s.seed = ll_rand_u64();
        s.vocab_size = -abs(s.vocab_size);
        Model m;
        model_open_scaled(&m, &s, 1.0f / 4096);
        const int n = s.seq_len < 4 ? s.seq_len : 4;
        int *tokens = random_tokens(n, abs(s.vocab_size));
        check_sequence(&m, tokens, n, " (embedding scaled by 2^-12)");
        free(tokens);
        model_close(&m);
    }
}

LL_TEST(forward, init_reports_out_of_memory)
{
    /* a KV cache of 2^46 floats: no machine has that (allocation fails);
     * the sizes must be computed in size_t, not int; every other buffer is
     * small (att: n_heads * seq_len = 2^22 floats) */
    Config c = {1 << 15, 64, 1 << 10, 2, 2, 32, 1 << 21};
    TransformerWeights w;
    memset(&w, 0, sizeof w);
    Transformer t;
    LL_CHECK_INT_EQ(transformer_init(&t, &c, &w), -1,
                    "transformer_init(dim 32768, n_layers 1024, n_heads 2, "
                    "n_kv_heads 2, seq_len 2^21): 2^46 floats of KV cache");
    /* after a failure *t means nothing: the test forgets it, so whatever
     * transformer_init still holds is reported as a leak */
    memset(&t, 0, sizeof t);
    /* and a seeded model still runs */
    const tm_shape s = random_shape();
    Model m;
    model_open(&m, &s);
    const int n = s.seq_len < 3 ? s.seq_len : 3;
    int *tokens = random_tokens(n, abs(s.vocab_size));
    check_sequence(&m, tokens, n, "");
    free(tokens);
    model_close(&m);
}

/* run.c's loop with argmax: prompt tokens are forced, then each argmax is
 * fed back, up to seq_len positions (the whole KV cache). */
LL_TEST(forward, greedy_tokens_fill_the_whole_context)
{
    const llg_encoding *prompt = &LLG_ENCODINGS[0]; /* "Once upon a time" */
    LL_CHECK_STR_EQ(prompt->text, LLG_PROMPT, "golden prompt (test setup)");
    for (int s = 0; s < TM_N_SHAPES; s++) {
        Model m;
        golden_open(&m, s);
        const llg_shape *g = &LLG_SHAPES[s];
        const int V = m.ck.config.vocab_size;
        int token = prompt->ids[0];
        for (int pos = 0; pos < g->n_greedy; pos++) {
            const float *logits = forward(&m.t, token, pos);
            int next = 0;
            for (int i = 1; i < V; i++)
                if (logits[i] > logits[next])
                    next = i;
            if (pos < prompt->n - 1)
                next = prompt->ids[pos + 1];
            char what[96];
            snprintf(what, sizeof what, "shape %s: greedy token at position %d",
                     g->name, pos);
            LL_CHECK_INT_EQ(next, g->greedy[pos], what);
            token = next;
        }
        model_close(&m);
    }
    /* seeded: every position of a seeded model's context */
    check_seeded(2, TM_SHAPES[2].seq_len, " (the whole context)");
}

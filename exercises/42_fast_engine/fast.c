/* 42_fast_engine: the forward pass of 38, fast. Edit this file until
 * `make check EX=42_fast_engine` passes, then make it faster.
 *
 * Lecture: lectures/05_engine.md#making-it-fast
 *
 * The engine's skeleton is here, made of your earlier exercises: the
 * threads of 41 (pool_run runs step() on every thread of the pool,
 * pool_meet is a meeting), the int8 blocks of 16 (quantize_q8, dot_q8),
 * rmsnorm (28), rope (29), softmax (27), silu (37). Each thread owns some
 * attention heads, some hidden units and a slice of the rows of every other
 * product; the threads meet where a product needs the whole output of the
 * one before. Every number is computed by one thread, whole (rows are cut
 * between threads, sums never are), so the thread count never changes the
 * answer: the tests check that bit for bit.
 *
 * Plan (measure after every step, e.g. with grader/bench/engine.sh):
 *   1. correct first: fill in the TODOs (your forward() of 38 has every
 *      formula) until the correctness tests pass;
 *   2. then fast (the lecture's "Making it fast"): dot products with
 *      several vector accumulators, several rows read side by side, an
 *      int8 dot product that works on many blocks at once, your own copy
 *      of the weights laid out in the order the threads read them...
 */
#include "fast.h"

#include "ffn.h"     /* your 37_ffn_swiglu: silu */
#include "norms.h"   /* your 28_norms: rmsnorm */
#include "pool.h"    /* your 41_thread_pool */
#include "quant.h"   /* your 16_quant_int8: block_q8, quantize_q8, dot_q8 */
#include "rope.h"    /* your 29_rope */
#include "softmax.h" /* your 27_softmax */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RMS_EPS 1e-5f

/* A matrix of `rows` rows of n values: float32 rows borrowed from the
 * checkpoint, or (quant 8, n a multiple of QK8) its own int8 copy, n / QK8
 * blocks of 16 per row. */
typedef struct {
    const float *f;
    block_q8 *q;
    int rows, n;
} Mat;

typedef struct {
    Mat wq, wk, wv, wo, w1, w2, w3;
} Layer;

/* What one thread owns, and its own buffers. */
typedef struct {
    int g0, g1;      /* key/value heads [g0, g1), with their query heads */
    int u0, u1;      /* hidden units */
    int r0, r1;      /* rows of wo and w2: its part of x */
    int c0, c1;      /* rows of the classifier */
    float *xb;       /* its copy of rmsnorm(x) (dim) */
    float *att;      /* one head's attention scores (seq_len) */
    float *out;      /* its rows of a product (dim or hidden_dim) */
    block_q8 *inq;   /* the input of its product, quantised (quant 8) */
    const float *in; /* the input of its product */
} Part;

struct FastEngine {
    Config c;
    TransformerWeights w; /* borrowed */
    int quant, head_size, kv_dim, n_threads;
    Layer *layers;
    Mat wcls;
    Pool *pool;
    Part *parts; /* [thread] */
    /* shared: each part written by its owner, read after a meeting */
    float *x;      /* the residual stream (dim) */
    float *q;      /* queries (dim) */
    float *heads;  /* attention output, every head (dim) */
    float *hb;     /* SwiGLU output, every hidden unit (hidden_dim) */
    float *logits; /* (vocab_size) */
    float *key_cache, *value_cache; /* (n_layers, seq_len, kv_dim) */
    int token, pos;                 /* the step being computed */
};

/* ---- matrices ----------------------------------------------------------- */

/* m as rows x n values from w: float32 as they are, or int8 blocks. */
static int mat_init(Mat *m, const float *w, int rows, int n, int quant)
{
    *m = (Mat){.f = w, .rows = rows, .n = n};
    if (quant != 8 || n % QK8 != 0)
        return 0;
    /* TODO: allocate rows * (n / QK8) blocks for m->q and quantise every row
     * with quantize_q8 (return -1 when out of memory). */
    return 0;
}

static void mat_free(Mat *m)
{
    free(m->q);
}

/* Makes x (n values) the input of the thread's next products; quantised
 * too when they are int8 (every thread quantises the whole vector). */
static void set_input(const FastEngine *e, Part *p, const float *x, int n)
{
    p->in = x;
    /* TODO: with quant 8 and n a multiple of QK8, quantize_q8(x) into
     * p->inq. */
    (void)e;
    (void)n;
}

/* out[r - begin] = row r of m times the thread's input, r in [begin, end).
 * Speed comes from here (see the plan above). */
static void matvec(const Mat *m, const Part *p, float *out, int begin, int end)
{
    /* TODO: float rows: a dot product with p->in; int8 rows: dot_q8 of the
     * row's blocks with p->inq. */
    (void)m;
    (void)p;
    (void)out;
    (void)begin;
    (void)end;
}

/* ---- the forward pass --------------------------------------------------- */

/* x[its rows] += m[its rows] . in (in: n values, the same for every
 * thread). */
static void add_rows(FastEngine *e, Part *p, const Mat *m, const float *in,
                     int n)
{
    set_input(e, p, in, n);
    matvec(m, p, p->out, p->r0, p->r1);
    /* TODO: add p->out to the thread's rows of e->x. */
}

/* The thread's heads: q, k, v, RoPE, the cache, attention into e->heads. */
static void attend_heads(FastEngine *e, Part *p, int l)
{
    /* TODO: for its key/value heads g0 .. g1 - 1 (query heads g * kv_mul ..
     * (g + 1) * kv_mul - 1): their rows of wq, wk, wv times p->xb (k and v
     * straight into the cache at this position), rope, then attention as
     * in 38, writing head h's output to e->heads + h * head_size. */
    (void)e;
    (void)p;
    (void)l;
}

/* One thread's share of a step: every thread of the pool runs all of it. */
static void step(void *ctx, int thread)
{
    FastEngine *e = ctx;
    Part *p = &e->parts[thread];
    const int dim = e->c.dim;
    for (int l = 0; l < e->c.n_layers; l++) {
        const Layer *L = &e->layers[l];
        /* attention block */
        rmsnorm(p->xb, e->x, e->w.rms_att + (size_t)l * dim, dim, RMS_EPS);
        set_input(e, p, p->xb, dim);
        attend_heads(e, p, l);
        pool_meet(e->pool, thread); /* wo reads every head */
        add_rows(e, p, &L->wo, e->heads, dim);
        pool_meet(e->pool, thread); /* the next rmsnorm reads all of x */
        /* feed-forward block */
        rmsnorm(p->xb, e->x, e->w.rms_ffn + (size_t)l * dim, dim, RMS_EPS);
        set_input(e, p, p->xb, dim);
        /* TODO: for its hidden units u0 .. u1 - 1: e->hb[u] =
         * silu(w1 row u . xb) * (w3 row u . xb) */
        pool_meet(e->pool, thread); /* w2 reads every hidden unit */
        add_rows(e, p, &L->w2, e->hb, e->c.hidden_dim);
        pool_meet(e->pool, thread);
    }
    /* TODO: the final rmsnorm, then its rows c0 .. c1 - 1 of the classifier
     * into e->logits. */
}

float *fast_forward(FastEngine *e, int token, int pos)
{
    memcpy(e->x, e->w.token_embedding + (size_t)token * e->c.dim,
           (size_t)e->c.dim * sizeof(float));
    e->token = token;
    e->pos = pos;
    pool_run(e->pool, step, e);
    return e->logits;
}

/* ---- setting up --------------------------------------------------------- */

/* Where thread t of n begins when `total` items are cut evenly (t = n: the
 * end), at a multiple of `unit`. */
static int cut_at(int total, int t, int n, int unit)
{
    if (t == n)
        return total;
    return (int)((long long)total * t / n) / unit * unit;
}

static int init_part(const FastEngine *e, Part *p, int t, int n)
{
    const Config *c = &e->c;
    p->g0 = cut_at(c->n_kv_heads, t, n, 1);
    p->g1 = cut_at(c->n_kv_heads, t + 1, n, 1);
    p->u0 = cut_at(c->hidden_dim, t, n, 1);
    p->u1 = cut_at(c->hidden_dim, t + 1, n, 1);
    p->r0 = cut_at(c->dim, t, n, 1);
    p->r1 = cut_at(c->dim, t + 1, n, 1);
    p->c0 = cut_at(c->vocab_size, t, n, 1);
    p->c1 = cut_at(c->vocab_size, t + 1, n, 1);
    const int widest = c->dim > c->hidden_dim ? c->dim : c->hidden_dim;
    p->xb = calloc((size_t)c->dim, sizeof(float));
    p->att = calloc((size_t)c->seq_len, sizeof(float));
    p->out = calloc((size_t)widest, sizeof(float));
    p->inq = calloc((size_t)widest / QK8 + 1, sizeof(block_q8));
    return p->xb && p->att && p->out && p->inq ? 0 : -1;
}

static int init_weights(FastEngine *e)
{
    const Config *c = &e->c;
    const TransformerWeights *w = &e->w;
    const size_t d = (size_t)c->dim, hd = (size_t)c->hidden_dim;
    const size_t kv = (size_t)e->kv_dim;
    const int q = e->quant;
    e->layers = calloc((size_t)c->n_layers, sizeof *e->layers);
    if (!e->layers)
        return -1;
    int bad = 0;
    for (int l = 0; l < c->n_layers; l++) {
        Layer *L = &e->layers[l];
        bad |= mat_init(&L->wq, w->wq + l * d * d, c->dim, c->dim, q);
        bad |= mat_init(&L->wk, w->wk + l * kv * d, e->kv_dim, c->dim, q);
        bad |= mat_init(&L->wv, w->wv + l * kv * d, e->kv_dim, c->dim, q);
        bad |= mat_init(&L->wo, w->wo + l * d * d, c->dim, c->dim, q);
        bad |= mat_init(&L->w1, w->w1 + l * hd * d, c->hidden_dim, c->dim, q);
        bad |= mat_init(&L->w2, w->w2 + l * d * hd, c->dim, c->hidden_dim, q);
        bad |= mat_init(&L->w3, w->w3 + l * hd * d, c->hidden_dim, c->dim, q);
    }
    bad |= mat_init(&e->wcls, w->wcls, c->vocab_size, c->dim, q);
    return bad ? -1 : 0;
}

FastEngine *fast_new(const Config *c, const TransformerWeights *w,
                     int n_threads, int quant)
{
    if (n_threads < 1 || (quant != 32 && quant != 8))
        return NULL;
    FastEngine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->c = *c;
    e->w = *w;
    e->quant = quant;
    e->n_threads = n_threads;
    e->head_size = c->dim / c->n_heads;
    e->kv_dim = e->head_size * c->n_kv_heads;
    const size_t cache = (size_t)c->n_layers * c->seq_len * e->kv_dim;
    e->pool = pool_new(n_threads);
    e->parts = calloc((size_t)n_threads, sizeof *e->parts);
    e->x = calloc((size_t)c->dim, sizeof(float));
    e->q = calloc((size_t)c->dim, sizeof(float));
    e->heads = calloc((size_t)c->dim, sizeof(float));
    e->hb = calloc((size_t)c->hidden_dim, sizeof(float));
    e->logits = calloc((size_t)c->vocab_size, sizeof(float));
    e->key_cache = calloc(cache, sizeof(float));
    e->value_cache = calloc(cache, sizeof(float));
    int bad = !e->pool || !e->parts || !e->x || !e->q || !e->heads || !e->hb ||
              !e->logits || !e->key_cache || !e->value_cache;
    for (int t = 0; !bad && t < n_threads; t++)
        bad = init_part(e, &e->parts[t], t, n_threads) != 0;
    if (bad || init_weights(e) != 0) {
        fast_free(e);
        return NULL;
    }
    return e;
}

void fast_free(FastEngine *e)
{
    if (!e)
        return;
    for (int t = 0; e->parts && t < e->n_threads; t++) {
        free(e->parts[t].xb);
        free(e->parts[t].att);
        free(e->parts[t].out);
        free(e->parts[t].inq);
    }
    pool_free(e->pool);
    for (int l = 0; e->layers && l < e->c.n_layers; l++) {
        Layer *L = &e->layers[l];
        Mat *m[] = {&L->wq, &L->wk, &L->wv, &L->wo, &L->w1, &L->w2, &L->w3};
        for (size_t i = 0; i < sizeof m / sizeof *m; i++)
            mat_free(m[i]);
    }
    mat_free(&e->wcls);
    free(e->layers);
    free(e->parts);
    free(e->x);
    free(e->q);
    free(e->heads);
    free(e->hb);
    free(e->logits);
    free(e->key_cache);
    free(e->value_cache);
    free(e);
}

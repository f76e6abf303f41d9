/* 42_fast_engine: reference solution.
 *
 * The forward pass of 38, fast. Decoding a token reads every weight once,
 * so the engine is bound by memory bandwidth; what it does about that:
 *   - all cores read: the pool of 41 runs each step on every thread; a
 *     thread owns some attention heads, some hidden units and a slice of
 *     the rows of every other product, and the threads meet where a product
 *     needs the whole output of the one before (four times per layer);
 *   - every number is computed by one thread, in one fixed order, whatever
 *     the thread count: rows are cut between threads, sums never are, so
 *     the logits are the same, bit for bit, at every thread count;
 *   - dot products that keep up with memory: vector accumulators, several
 *     rows read side by side (matvec);
 *   - fewer bytes: int8 weights in the blocks of 16 (quantize_q8), a
 *     quarter of the bytes of float32, with the input vector quantised the
 *     same way so that the dot products are integer arithmetic;
 *   - a layout made for reading: the engine's own copy of the matrices, in
 *     the order the threads read them, in 2 MiB pages (init_weights).
 * The forward pass comes first below, the machinery after it.
 */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE, MAP_ANONYMOUS */
#include "fast.h"

#include "ffn.h"   /* 37: silu */
#include "norms.h" /* 28: rmsnorm */
#include "pool.h"  /* 41: the threads */
#include "quant.h" /* 16: the int8 blocks */

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#if defined(__AVX__) /* AVX2 and FMA imply it */
#include <immintrin.h>
#endif

#define RMS_EPS 1e-5f
#define GS QK8 /* values per int8 group: one block of 16 */

/* ---- the engine's data -------------------------------------------------- */

/* A matrix of rows of n values: float32, or int8 groups of GS with one
 * scale each (quant 8, when n is a multiple of GS). */
typedef struct {
    const float *f; /* float rows */
    int8_t *q;      /* int8 rows, laid out by interleave_row */
    float *s;       /* their scales, n / GS per row */
    int n;
} Mat;

/* The input of a product: floats and, for int8 weights, the same values
 * quantised like the weights (q, s), so that a dot product of two groups
 * is integer arithmetic. */
typedef struct {
    const float *f;
    int8_t *q;
    float *s;
} Vec;

/* A layer's matrices in the order the threads read them (init_weights):
 * qkv holds wq, wk and wv rows grouped by key/value head, w13 the rows of
 * w1 and w3 in turn. */
typedef struct {
    Mat qkv, wo, w13, w2;
} Layer;

/* Memory for the engine's copy of the weights (arena_init). */
typedef struct {
    void *map;
    char *base;
    size_t mapped, size, used;
} Arena;

/* What one thread owns, and its buffers. */
typedef struct {
    _Alignas(64) int g0, g1; /* its key/value heads */
    int u0, u1;              /* its hidden units */
    int r0, r1;              /* its rows of wo and w2 (parts of x) */
    float *xb;               /* x normalised: the input of its products */
    float *qkv;              /* q, k, v of its heads, as Layer.qkv's rows */
    float *att;              /* one head's attention scores */
    float *h13;              /* w1 and w3 outputs in turn, as Layer.w13 */
    float *rows;             /* its rows of wo or w2 times the input */
    Vec in;                  /* the input of its current product */
    double rate;             /* classifier rows per second, last step */
} Part;

struct FastEngine {
    Config c;
    TransformerWeights w; /* borrowed: norms, embedding */
    int quant, head_size, kv_dim;
    Layer *layers;
    Mat wcls;
    Arena weights;                  /* every Mat's rows */
    Arena kv;                       /* key_cache, value_cache */
    float *key_cache, *value_cache; /* [layer][kv head][position][head] */
    float *rope_cos, *rope_sin;     /* [position][head_size / 2] */
    /* read by every thread, each part written by its owner between
     * meetings */
    float *x;      /* the residual stream (dim) */
    float *heads;  /* attention output, every head (dim) */
    float *hb;     /* SwiGLU output, every hidden unit (hidden_dim) */
    float *logits; /* (vocab_size) */
    Pool *pool;
    Part *parts;   /* [thread] */
    double *share; /* each thread's fraction of the classifier's rows */
    int *cls_rows; /* thread t's rows: [cls_rows[t], cls_rows[t + 1]) */
    int pos;       /* the position of the step being computed */
};

/* The machinery, defined after the forward pass. */
static void matvec(const Mat *m, const Vec *x, float *out, int begin, int end);
static void set_input(const FastEngine *e, Part *p, const float *x, int n);
static void attend_heads(const FastEngine *e, Part *p, int l);
static int group_rows(const FastEngine *e);
static void rebalance(FastEngine *e);
static double now_s(void);

/* ---- the forward pass --------------------------------------------------- */

/* x[its rows] += m[its rows] . in (n values): the thread's share of wo or
 * w2. Rows, not columns, are cut between threads: each x[r] is one whole
 * dot product, summed in the same order at every thread count. */
static void add_rows(FastEngine *e, Part *p, const Mat *m, const float *in,
                     int n)
{
    set_input(e, p, in, n);
    matvec(m, &p->in, p->rows, p->r0, p->r1);
    for (int r = p->r0; r < p->r1; r++)
        e->x[r] += p->rows[r - p->r0];
}

/* x += wo . attention(rmsnorm(x)): the thread's heads, then its rows. */
static void attention_block(FastEngine *e, Part *p, int thread, int l)
{
    const Layer *L = &e->layers[l];
    const int dim = e->c.dim, g = group_rows(e);
    rmsnorm(p->xb, e->x, e->w.rms_att + (size_t)l * dim, dim, RMS_EPS);
    set_input(e, p, p->xb, dim);
    matvec(&L->qkv, &p->in, p->qkv, p->g0 * g, p->g1 * g);
    attend_heads(e, p, l);      /* into e->heads */
    pool_meet(e->pool, thread); /* wo reads every head */
    add_rows(e, p, &L->wo, e->heads, dim);
    pool_meet(e->pool, thread); /* the next norm reads all of x */
}

/* x += w2 . (silu(w1 . xb) * (w3 . xb)), xb = rmsnorm(x): the thread's
 * hidden units, then its rows. */
static void ffn_block(FastEngine *e, Part *p, int thread, int l)
{
    const Layer *L = &e->layers[l];
    const int dim = e->c.dim;
    rmsnorm(p->xb, e->x, e->w.rms_ffn + (size_t)l * dim, dim, RMS_EPS);
    set_input(e, p, p->xb, dim);
    matvec(&L->w13, &p->in, p->h13, 2 * p->u0, 2 * p->u1);
    for (int u = p->u0; u < p->u1; u++) {
        const float *h = p->h13 + 2 * (u - p->u0);
        e->hb[u] = silu(h[0]) * h[1];
    }
    pool_meet(e->pool, thread); /* w2 reads every hidden unit */
    add_rows(e, p, &L->w2, e->hb, e->c.hidden_dim);
    pool_meet(e->pool, thread);
}

/* The final norm and the thread's rows of the classifier, timed (see
 * rebalance). */
static void classify(FastEngine *e, Part *p, int thread)
{
    const int begin = e->cls_rows[thread], end = e->cls_rows[thread + 1];
    rmsnorm(p->xb, e->x, e->w.rms_final, e->c.dim, RMS_EPS);
    set_input(e, p, p->xb, e->c.dim);
    const double t0 = now_s();
    matvec(&e->wcls, &p->in, e->logits + begin, begin, end);
    const double took = now_s() - t0;
    /* 0: too few rows, or too short a time, to tell a speed */
    p->rate = end - begin < 16 || took < 1e-6 ? 0.0 : (end - begin) / took;
}

/* One thread's share of the step: every thread runs all of it. */
static void step(void *ctx, int thread)
{
    FastEngine *e = ctx;
    Part *p = &e->parts[thread];
    for (int l = 0; l < e->c.n_layers; l++) {
        attention_block(e, p, thread, l);
        ffn_block(e, p, thread, l);
    }
    classify(e, p, thread);
}

float *fast_forward(FastEngine *e, int token, int pos)
{
    const size_t dim = (size_t)e->c.dim;
    memcpy(e->x, e->w.token_embedding + (size_t)token * dim,
           dim * sizeof(float));
    e->pos = pos;
    pool_run(e->pool, step, e);
    rebalance(e);
    return e->logits;
}

/* ---- attention ---------------------------------------------------------- */

/* Where the key (or value) of key/value head h at position t of layer l
 * lives: one head's positions are one contiguous run of rows. */
static float *kv_at(const FastEngine *e, float *cache, int l, int h, int t)
{
    const size_t heads = (size_t)l * e->c.n_kv_heads + (size_t)h;
    return cache + (heads * e->c.seq_len + (size_t)t) * e->head_size;
}

/* Rows of Layer.qkv per key/value head: the query heads that share it,
 * then its key, then its value. */
static int group_rows(const FastEngine *e)
{
    return (e->c.n_heads / e->c.n_kv_heads + 2) * e->head_size;
}

/* RoPE from the table: pairs (2i, 2i+1) of `heads` heads from v. */
static void rope_apply(const FastEngine *e, float *v, int heads)
{
    const int half = e->head_size / 2;
    const float *c = e->rope_cos + (size_t)e->pos * half;
    const float *s = e->rope_sin + (size_t)e->pos * half;
    for (int h = 0; h < heads; h++) {
        float *p = v + h * e->head_size;
        for (int i = 0; i < half; i++) {
            const float a = p[2 * i], b = p[2 * i + 1];
            p[2 * i] = a * c[i] - b * s[i];
            p[2 * i + 1] = a * s[i] + b * c[i];
        }
    }
}

static void attention_scores(float *att, const float *q, const float *keys,
                             int rows, int n, float scale);
static void softmax_scores(float *x, int n);
static void weighted_sum(float *out, const float *a, const float *v, int rows,
                         int n);

/* For each of the thread's key/value heads: RoPE, this position's key and
 * value into the cache, then attention for the query heads that share
 * them, into their columns of e->heads. */
static void attend_heads(const FastEngine *e, Part *p, int l)
{
    const int hs = e->head_size, pos = e->pos;
    const int kv_mul = e->c.n_heads / e->c.n_kv_heads;
    const float scale = 1.0f / sqrtf((float)hs);
    for (int g = p->g0; g < p->g1; g++) {
        float *q = p->qkv + (size_t)(g - p->g0) * group_rows(e);
        const float *k = q + kv_mul * hs, *v = k + hs;
        rope_apply(e, q, kv_mul + 1); /* the query heads and the key */
        const float *keys = kv_at(e, e->key_cache, l, g, 0);
        const float *values = kv_at(e, e->value_cache, l, g, 0);
        memcpy(kv_at(e, e->key_cache, l, g, pos), k, hs * sizeof(float));
        memcpy(kv_at(e, e->value_cache, l, g, pos), v, hs * sizeof(float));
        for (int h = 0; h < kv_mul; h++) {
            attention_scores(p->att, q + h * hs, keys, pos + 1, hs, scale);
            softmax_scores(p->att, pos + 1);
            weighted_sum(e->heads + (g * kv_mul + h) * hs, p->att, values,
                         pos + 1, hs);
        }
    }
}

/* ---- float vectors ------------------------------------------------------ */

/* Eight floats in one vector register (two on machines without AVX);
 * aligned(4): rows of the checkpoint are only float-aligned. */
typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef int32_t v8i __attribute__((vector_size(32), aligned(4)));
#if defined(__GNUC__) && !defined(__clang__)
/* Without AVX GCC warns that passing v8f by value has another ABI than
 * with it; these helpers are static, so no call crosses this file. */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

/* a * b + c in one instruction where the machine has it (-std=c17 keeps
 * GCC from fusing `c += a * b` on its own). */
static inline v8f fma8(v8f a, v8f b, v8f c)
{
#if defined(__FMA__)
    return (v8f)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
#else
    return a * b + c;
#endif
}

static inline v8f splat8(float f)
{
    return (v8f){f, f, f, f, f, f, f, f};
}

static inline v8f load8(const float *p)
{
    return *(const v8f *)p;
}

static inline float hsum8(v8f a)
{
    return ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
}

/* Rows with n not a multiple of 8 (e.g. heads of 6): two accumulators of
 * 8 and a scalar tail. */
static float dot_f32(const float *w, const float *x, int n)
{
    v8f a = {0}, b = {0};
    int j = 0;
    for (; j + 16 <= n; j += 16) {
        a = fma8(load8(w + j), load8(x + j), a);
        b = fma8(load8(w + j + 8), load8(x + j + 8), b);
    }
    for (; j + 8 <= n; j += 8)
        a = fma8(load8(w + j), load8(x + j), a);
    float sum = hsum8(a + b);
    for (; j < n; j++)
        sum += w[j] * x[j];
    return sum;
}

/* ---- matrix times vector ------------------------------------------------ */

/* Rows read side by side: each load of x serves all of them, and the core
 * keeps more reads from memory in flight (a few streams pull more bytes
 * per second than one). */
#define STREAMS 2
/* Accumulators per row: adds in flight, so that none waits for the last. */
#define ACC 4

/* Rows i, part + i, ... (`streams` of them) of w (rows of n floats, n a
 * multiple of 8) times x, for i in [0, part): out[s * part + i]. Every row
 * is summed the same way whatever `streams` is: ACC accumulators, the
 * leftover vectors into the first, then a fixed tree. Inlined with constant
 * streams, so that the loops unroll into registers. (No scalar tail here:
 * one made GCC keep the accumulators on the stack.) */
static inline __attribute__((always_inline)) void
rows_dot(const float *w, int n, int part, const float *x, float *out,
         const int streams)
{
    for (int i = 0; i < part; i++) {
        const float *r[STREAMS];
        v8f a[STREAMS][ACC];
        for (int s = 0; s < streams; s++) {
            r[s] = w + ((size_t)s * part + i) * n;
            for (int k = 0; k < ACC; k++)
                a[s][k] = (v8f){0};
        }
        int j = 0;
        for (; j + 8 * ACC <= n; j += 8 * ACC)
            for (int s = 0; s < streams; s++)
                for (int k = 0; k < ACC; k++)
                    a[s][k] = fma8(load8(r[s] + j + 8 * k),
                                   load8(x + j + 8 * k), a[s][k]);
        for (; j < n; j += 8)
            for (int s = 0; s < streams; s++)
                a[s][0] = fma8(load8(r[s] + j), load8(x + j), a[s][0]);
        for (int s = 0; s < streams; s++) {
            v8f t = a[s][0];
            for (int k = 1; k < ACC; k++)
                t += a[s][k];
            out[(size_t)s * part + i] = hsum8(t);
        }
    }
}

static void rows_side_by_side(const float *w, int n, int part, const float *x,
                              float *out)
{
    rows_dot(w, n, part, x, out, STREAMS);
}

static void rows_one_by_one(const float *w, int n, int rows, const float *x,
                            float *out)
{
    rows_dot(w, n, rows, x, out, 1);
}

static float dot_int8(const int8_t *q, const float *s, const Vec *x, int n);

/* out[r - begin] = row r of m times x, for r in [begin, end). */
static void matvec(const Mat *m, const Vec *x, float *out, int begin, int end)
{
    const size_t n = (size_t)m->n;
    if (m->q) {
        for (int r = begin; r < end; r++)
            out[r - begin] = dot_int8(m->q + r * n, m->s + r * n / GS, x, m->n);
        return;
    }
    if (n % 8 != 0) {
        for (int r = begin; r < end; r++)
            out[r - begin] = dot_f32(m->f + r * n, x->f, m->n);
        return;
    }
    const float *w = m->f + (size_t)begin * n;
    const int rows = end - begin, part = rows / STREAMS;
    const int done = part * STREAMS;
    if (part > 0)
        rows_side_by_side(w, m->n, part, x->f, out);
    if (done < rows)
        rows_one_by_one(w + done * n, m->n, rows - done, x->f, out + done);
}

/* ---- int8 --------------------------------------------------------------- */

/* Within a row, every block of BLOCK groups (256 values) is stored as an
 * 8 x 8 matrix of 4-byte words, transposed: word k of group i goes to word
 * k * BLOCK + i. One 32-byte load k then holds bytes 4k..4k+3 of all eight
 * groups, and the integer dot-product instructions (which sum four byte
 * products into each 32-bit lane) leave group i's sum in lane i: eight
 * group sums in one register, scaled by eight scales at once. Groups after
 * the last whole block stay as they are. Input vectors are laid out the
 * same way, so each byte still meets its partner. */
#define BLOCK 8 /* groups per block = 4-byte words per group (GS / 4) */

static void interleave_row(int8_t *q, int n)
{
    int8_t block[BLOCK * GS];
    for (int b = 0; b + BLOCK * GS <= n; b += BLOCK * GS) {
        memcpy(block, q + b, sizeof block);
        for (int i = 0; i < BLOCK; i++)
            for (int k = 0; k < GS / 4; k++)
                memcpy(q + b + (k * BLOCK + i) * 4, block + i * GS + k * 4, 4);
    }
}

#if defined(__AVX2__) && defined(__FMA__)

/* acc + the products of 32 signed bytes w and v, four per 32-bit lane. The
 * instructions want unsigned x signed bytes, so w's sign moves onto v
 * (|w| * (v * sign(w)) = w * v); products of values in [-127, 127] never
 * saturate maddubs' int16 pair sums. */
static inline __m256i dot_words(__m256i acc, __m256i w, __m256i v)
{
    const __m256i aw = _mm256_sign_epi8(w, w), sv = _mm256_sign_epi8(v, w);
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpbusd_epi32(acc, aw, sv);
#elif defined(__AVXVNNI__)
    return _mm256_dpbusd_avx_epi32(acc, aw, sv);
#else
    const __m256i pairs = _mm256_maddubs_epi16(aw, sv);
    return _mm256_add_epi32(acc,
                            _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
#endif
}

static inline __m256i load32(const int8_t *p)
{
    return _mm256_loadu_si256((const __m256i *)p);
}

static float dot_int8(const int8_t *q, const float *s, const Vec *x, int n)
{
    const int groups = n / GS;
    __m256 acc = _mm256_setzero_ps();
    int g = 0;
    for (; g + BLOCK <= groups; g += BLOCK) { /* lane i: group g + i */
        const int8_t *w = q + g * GS, *v = x->q + g * GS;
        __m256i even = _mm256_setzero_si256(), odd = _mm256_setzero_si256();
        for (int k = 0; k < BLOCK; k += 2) { /* two chains of additions */
            even = dot_words(even, load32(w + 32 * k), load32(v + 32 * k));
            odd = dot_words(odd, load32(w + 32 * k + 32),
                            load32(v + 32 * k + 32));
        }
        const __m256 scale =
            _mm256_mul_ps(_mm256_loadu_ps(s + g), _mm256_loadu_ps(x->s + g));
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(even, odd)),
                              scale, acc);
    }
    for (; g < groups; g++) { /* lanes of one group: summed at the end */
        const __m256i p = dot_words(_mm256_setzero_si256(), load32(q + g * GS),
                                    load32(x->q + g * GS));
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p),
                              _mm256_set1_ps(s[g] * x->s[g]), acc);
    }
    __m128 h =
        _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_movehdup_ps(h));
    return _mm_cvtss_f32(h);
}

/* groups x GS floats of x into q (int8) and s (one scale per group):
 * scale = max |x| / 127, q = x / scale rounded to nearest (even on ties). */
static void quantize_groups(const float *x, int groups, int8_t *q, float *s)
{
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int g = 0; g < groups; g++) {
        const float *v = x + g * GS;
        __m256 m = _mm256_setzero_ps();
        for (int k = 0; k < GS; k += 8)
            m = _mm256_max_ps(m,
                              _mm256_andnot_ps(sign, _mm256_loadu_ps(v + k)));
        __m128 h =
            _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        h = _mm_max_ps(h, _mm_movehl_ps(h, h));
        h = _mm_max_ss(h, _mm_movehdup_ps(h));
        const float scale = _mm_cvtss_f32(h) / 127.0f;
        const __m256 inv = _mm256_set1_ps(scale > 0.0f ? 1.0f / scale : 0.0f);
        s[g] = scale;
        for (int k = 0; k < GS; k += 8) {
            const __m256i i =
                _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(v + k), inv));
            __m128i p = _mm_packs_epi32(_mm256_castsi256_si128(i),
                                        _mm256_extracti128_si256(i, 1));
            _mm_storel_epi64((__m128i *)(q + g * GS + k),
                             _mm_packs_epi16(p, p));
        }
    }
}

#else /* plain C, same results */

/* Group g + i of a block: its words sit at word k * BLOCK + i (see
 * interleave_row); groups after the last block are plain. */
static float dot_int8(const int8_t *q, const float *s, const Vec *x, int n)
{
    const int groups = n / GS;
    float sum = 0.0f;
    for (int g = 0; g < groups; g++) {
        const int block = g / BLOCK * BLOCK, i = g - block;
        const bool in_block = block + BLOCK <= groups;
        int32_t t = 0;
        for (int k = 0; k < GS / 4; k++) {
            const int word = in_block ? k * BLOCK + i : k;
            const int at = (in_block ? block : g) * GS + word * 4;
            for (int b = 0; b < 4; b++)
                t += (int32_t)q[at + b] * x->q[at + b];
        }
        sum += (float)t * s[g] * x->s[g];
    }
    return sum;
}

static void quantize_groups(const float *x, int groups, int8_t *q, float *s)
{
    for (int g = 0; g < groups; g++) {
        const float *v = x + g * GS;
        float amax = 0.0f;
        for (int k = 0; k < GS; k++)
            amax = fmaxf(amax, fabsf(v[k]));
        const float scale = amax / 127.0f;
        const float inv = scale > 0.0f ? 1.0f / scale : 0.0f;
        s[g] = scale;
        for (int k = 0; k < GS; k++)
            q[g * GS + k] = (int8_t)lrintf(v[k] * inv);
    }
}
#endif

/* Makes x (n floats) the input of the thread's next products: quantised
 * too when they are int8 (every thread quantises the whole vector itself,
 * cheaper than one more meeting). */
static void set_input(const FastEngine *e, Part *p, const float *x, int n)
{
    p->in.f = x;
    if (e->quant == 8 && n % GS == 0) {
        quantize_groups(x, n / GS, p->in.q, p->in.s);
        interleave_row(p->in.q, n);
    }
}

/* ---- attention kernels -------------------------------------------------- */

/* Lane r of the result: the sum of the 8 lanes of a[r] (eight reductions
 * at once). */
static inline v8f hsum8x8(const v8f a[8])
{
#if defined(__AVX__)
    const __m256 t0 = _mm256_hadd_ps((__m256)a[0], (__m256)a[1]);
    const __m256 t1 = _mm256_hadd_ps((__m256)a[2], (__m256)a[3]);
    const __m256 t2 = _mm256_hadd_ps((__m256)a[4], (__m256)a[5]);
    const __m256 t3 = _mm256_hadd_ps((__m256)a[6], (__m256)a[7]);
    const __m256 u0 = _mm256_hadd_ps(t0, t1), u1 = _mm256_hadd_ps(t2, t3);
    return (v8f)_mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20),
                              _mm256_permute2f128_ps(u0, u1, 0x31));
#else
    v8f out;
    for (int r = 0; r < 8; r++)
        out[r] = hsum8(a[r]);
    return out;
#endif
}

/* att[t] = scale * (q . keys[t]) for t < rows (keys: rows of n floats).
 * Eight keys at a time: each load of q serves eight rows, and their sums
 * are reduced together. */
static void attention_scores(float *att, const float *q, const float *keys,
                             int rows, int n, float scale)
{
    int t = 0;
    if (n % 8 == 0)
        for (; t + 8 <= rows; t += 8) {
            const float *k = keys + (size_t)t * n;
            v8f acc[8] = {{0}};
            for (int j = 0; j < n; j += 8) {
                const v8f qj = load8(q + j);
                for (int r = 0; r < 8; r++)
                    acc[r] = fma8(load8(k + (size_t)r * n + j), qj, acc[r]);
            }
            const v8f s = hsum8x8(acc) * splat8(scale);
            memcpy(att + t, &s, sizeof s);
        }
    for (; t < rows; t++)
        att[t] = dot_f32(keys + (size_t)t * n, q, n) * scale;
}

/* out[0..n) = sum over t < rows of a[t] * v[t * n ..]: the weighted sum of
 * a head's values, 32 (then 8) columns at a time in registers. */
static void weighted_sum(float *out, const float *a, const float *v, int rows,
                         int n)
{
    int j = 0;
    for (; j + 32 <= n; j += 32) {
        v8f s[4] = {{0}};
        for (int t = 0; t < rows; t++)
            for (int k = 0; k < 4; k++)
                s[k] = fma8(splat8(a[t]), load8(v + (size_t)t * n + j + 8 * k),
                            s[k]);
        memcpy(out + j, s, sizeof s);
    }
    for (; j + 8 <= n; j += 8) { /* even and odd positions, then added */
        v8f s0 = {0}, s1 = {0};
        int t = 0;
        for (; t + 2 <= rows; t += 2) {
            s0 = fma8(splat8(a[t]), load8(v + (size_t)t * n + j), s0);
            s1 = fma8(splat8(a[t + 1]), load8(v + (size_t)(t + 1) * n + j), s1);
        }
        if (t < rows)
            s0 = fma8(splat8(a[t]), load8(v + (size_t)t * n + j), s0);
        s0 += s1;
        memcpy(out + j, &s0, sizeof s0);
    }
    for (; j < n; j++) {
        float sum = 0.0f;
        for (int t = 0; t < rows; t++)
            sum += a[t] * v[(size_t)t * n + j];
        out[j] = sum;
    }
}

/* e^x for x <= 0, eight at a time (libm's expf is one at a time). x = k ln 2
 * + r with |r| <= ln 2 / 2: e^r by its Taylor polynomial to r^6 (relative
 * error < 2e-7, about expf's), 2^k built in the exponent bits. Below -87
 * the result would not be a normal float: clamped there (e^-87 ~ 1.6e-38,
 * nothing next to the maximum's 1). */
static inline v8f exp8_nonpositive(v8f x)
{
    const v8i low = x < splat8(-87.0f); /* lanes: -1 where true */
    x = (v8f)(((v8i)x & ~low) | ((v8i)splat8(-87.0f) & low));
    const v8f round = splat8(12582912.0f); /* 1.5 * 2^23: rounds to integer */
    const v8f k = (x * splat8(1.44269504f) + round) - round;
    const v8f r = (x - k * splat8(0.693145752f)) - k * splat8(1.42860677e-6f);
    v8f p = splat8(1.0f / 720);
    p = fma8(p, r, splat8(1.0f / 120));
    p = fma8(p, r, splat8(1.0f / 24));
    p = fma8(p, r, splat8(1.0f / 6));
    p = fma8(p, r, splat8(0.5f));
    p = fma8(p, r, splat8(1.0f));
    p = fma8(p, r, splat8(1.0f));
    const v8i bits = (__builtin_convertvector(k, v8i) + 127) << 23;
    v8f scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* softmax of the attention scores x[0..n), in place (finite scores). */
static void softmax_scores(float *x, int n)
{
    float max = x[0];
    for (int i = 1; i < n; i++)
        max = x[i] > max ? x[i] : max;
    v8f vsum = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        v8f v;
        memcpy(&v, x + i, sizeof v);
        v = exp8_nonpositive(v - splat8(max));
        memcpy(x + i, &v, sizeof v);
        vsum += v;
    }
    float sum = hsum8(vsum);
    for (; i < n; i++) {
        x[i] = expf(x[i] - max);
        sum += x[i];
    }
    const float inv = 1.0f / sum;
    for (i = 0; i < n; i++)
        x[i] *= inv;
}

/* ---- balancing the classifier ------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Each thread's rows of the classifier, by its share. */
static void set_cls_rows(FastEngine *e)
{
    const int n = pool_size(e->pool), rows = e->c.vocab_size;
    double f = 0.0;
    e->cls_rows[0] = 0;
    for (int t = 1; t < n; t++) {
        f += e->share[t - 1];
        e->cls_rows[t] = (int)(f * rows + 0.5);
    }
    e->cls_rows[n] = rows;
}

/* After a step: moves each thread's share of the classifier (most of the
 * bytes) a step towards its part of everyone's speed, so that a core slowed
 * down by a neighbour on a shared machine does not keep the others waiting.
 * Which thread computes a row never changes the row's value. */
#define SHARE_STEP 0.05
static void rebalance(FastEngine *e)
{
    const int n = pool_size(e->pool);
    double total = 0.0;
    for (int t = 0; t < n; t++) {
        if (e->parts[t].rate == 0.0)
            return;
        total += e->parts[t].rate;
    }
    for (int t = 0; t < n; t++)
        e->share[t] += SHARE_STEP * (e->parts[t].rate / total - e->share[t]);
    set_cls_rows(e);
}

/* ---- memory for the weights and the KV cache ---------------------------- */

#define HUGE_PAGE ((size_t)2 << 20)

/* One mapping, carved into 64-byte aligned blocks, asked for in 2 MiB pages
 * where the kernel offers them (transparent huge pages): a stream of reads
 * crosses a page boundary 512 times less often. The pages are reserved,
 * not touched: an int8 copy uses only about a third. */
static int arena_init(Arena *a, size_t size)
{
    a->size = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    a->used = 0;
    a->mapped = a->size + HUGE_PAGE; /* room to start on a boundary */
    const int prot = PROT_READ | PROT_WRITE;
    const int anonymous = MAP_PRIVATE | MAP_ANONYMOUS;
    a->map = mmap(NULL, a->mapped, prot, anonymous, -1, 0);
    if (a->map == MAP_FAILED) {
        a->map = NULL;
        return -1;
    }
    const uintptr_t at = (uintptr_t)a->map;
    a->base = (char *)a->map + (HUGE_PAGE - at % HUGE_PAGE) % HUGE_PAGE;
#if defined(MADV_HUGEPAGE)
    madvise(a->base, a->size, MADV_HUGEPAGE); /* a hint: failure is fine */
#endif
    return 0;
}

/* `bytes` from the arena, 64-byte aligned, or NULL when it is full. */
static void *arena_take(Arena *a, size_t bytes)
{
    const size_t at = (a->used + 63) / 64 * 64;
    if (bytes > a->size || at > a->size - bytes)
        return NULL;
    a->used = at + bytes;
    return a->base + at;
}

static void arena_free(Arena *a)
{
    if (a->map)
        munmap(a->map, a->mapped);
}

/* n floats, zeroed, in cache lines of their own: a buffer that one thread
 * writes must not share a line with another thread's. */
static float *own_floats(size_t n)
{
    const size_t bytes = (n * sizeof(float) + 63) / 64 * 64 + 64;
    float *f = aligned_alloc(64, bytes);
    if (f)
        memset(f, 0, bytes);
    return f;
}

/* ---- the weights, in the order they are read ---------------------------- */

/* m as `rows` rows of n floats from w, copied into the arena, or, with
 * quant 8 and rows of whole groups, quantised into it by 16's
 * quantize_q8 (then interleaved, see interleave_row). */
static int mat_place(Mat *m, Arena *a, const float *w, size_t rows, int n,
                     int quant)
{
    *m = (Mat){.n = n};
    const size_t count = rows * (size_t)n;
    if (quant != 8 || n % GS != 0) {
        float *f = arena_take(a, count * sizeof(float));
        if (!f)
            return -1;
        memcpy(f, w, count * sizeof(float));
        m->f = f;
        return 0;
    }
    const size_t groups = (size_t)n / GS;
    block_q8 *blocks = malloc(groups * sizeof *blocks);
    m->q = arena_take(a, count);
    m->s = arena_take(a, rows * groups * sizeof(float));
    if (!blocks || !m->q || !m->s) {
        free(blocks);
        return -1;
    }
    for (size_t row = 0; row < rows; row++) {
        int8_t *q = m->q + row * n;
        quantize_q8(w + row * n, (size_t)n, blocks);
        for (size_t g = 0; g < groups; g++) {
            memcpy(q + g * GS, blocks[g].q, GS);
            m->s[row * groups + g] = blocks[g].scale;
        }
        interleave_row(q, n);
    }
    free(blocks);
    return 0;
}

/* Layer l's wq, wk and wv rows grouped by key/value head g: the rows of
 * the query heads that share g, g's key rows, g's value rows. A thread's
 * heads are then one run of rows. */
static void gather_qkv(float *to, const FastEngine *e, int l)
{
    const size_t d = (size_t)e->c.dim, hs = (size_t)e->head_size;
    const size_t kv = (size_t)e->kv_dim;
    const size_t q_rows = (size_t)(e->c.n_heads / e->c.n_kv_heads) * hs;
    const float *wq = e->w.wq + l * d * d, *wk = e->w.wk + l * kv * d;
    const float *wv = e->w.wv + l * kv * d;
    for (size_t g = 0; g < (size_t)e->c.n_kv_heads; g++) {
        memcpy(to, wq + g * q_rows * d, q_rows * d * sizeof *to);
        to += q_rows * d;
        memcpy(to, wk + g * hs * d, hs * d * sizeof *to);
        to += hs * d;
        memcpy(to, wv + g * hs * d, hs * d * sizeof *to);
        to += hs * d;
    }
}

/* Layer l's w1 and w3 rows in turn (row 2u is w1's row u, 2u + 1 is w3's):
 * a thread's hidden units are one run of rows. */
static void gather_w13(float *to, const FastEngine *e, int l)
{
    const size_t d = (size_t)e->c.dim, hd = (size_t)e->c.hidden_dim;
    const float *w1 = e->w.w1 + l * hd * d, *w3 = e->w.w3 + l * hd * d;
    for (size_t r = 0; r < hd; r++) {
        memcpy(to + 2 * r * d, w1 + r * d, d * sizeof *to);
        memcpy(to + (2 * r + 1) * d, w3 + r * d, d * sizeof *to);
    }
}

/* m as the `rows` rows of dim floats that gather writes for layer l. */
static int mat_gather(Mat *m, FastEngine *e, int l, size_t rows,
                      void (*gather)(float *, const FastEngine *, int))
{
    float *tmp = malloc(rows * (size_t)e->c.dim * sizeof(float));
    if (!tmp)
        return -1;
    gather(tmp, e, l);
    const int r = mat_place(m, &e->weights, tmp, rows, e->c.dim, e->quant);
    free(tmp);
    return r;
}

/* The engine's copy of every matrix, each layer's in the order a step
 * reads them. The checkpoint stores each kind of matrix for all layers
 * together, 28 bytes past a cache-line boundary; here every product is
 * one run of 64-byte aligned rows. It costs a second copy of the float32
 * weights in memory. */
static int init_weights(FastEngine *e)
{
    const Config *c = &e->c;
    const TransformerWeights *w = &e->w;
    const size_t d = (size_t)c->dim, hd = (size_t)c->hidden_dim;
    const size_t kv = (size_t)e->kv_dim;
    const size_t layer = (d + 2 * kv) * d + d * d + 2 * hd * d + d * hd;
    const size_t floats = c->n_layers * layer + (size_t)c->vocab_size * d;
    const size_t blocks = 2 * (4 * (size_t)c->n_layers + 1); /* rows, scales */
    e->layers = calloc((size_t)c->n_layers, sizeof *e->layers);
    if (!e->layers ||
        arena_init(&e->weights, floats * sizeof(float) + 64 * blocks) != 0)
        return -1;
    int bad = 0;
    for (int l = 0; l < c->n_layers; l++) {
        Layer *L = &e->layers[l];
        bad |= mat_gather(&L->qkv, e, l, d + 2 * kv, gather_qkv);
        bad |= mat_place(&L->wo, &e->weights, w->wo + l * d * d, d, c->dim,
                         e->quant);
        bad |= mat_gather(&L->w13, e, l, 2 * hd, gather_w13);
        bad |= mat_place(&L->w2, &e->weights, w->w2 + l * d * hd, d,
                         c->hidden_dim, e->quant);
    }
    bad |= mat_place(&e->wcls, &e->weights, w->wcls, (size_t)c->vocab_size,
                     c->dim, e->quant);
    return bad ? -1 : 0;
}

/* The key and value caches, zeroed, in an arena of their own, with every
 * page mapped now: fresh pages are otherwise mapped at their first write,
 * which for the cache happens while generating (a page fault every few
 * tokens). The volatile writes fault them in. */
static int init_kv_cache(FastEngine *e)
{
    const Config *c = &e->c;
    const size_t bytes =
        (size_t)c->n_layers * c->seq_len * e->kv_dim * sizeof(float);
    if (arena_init(&e->kv, 2 * bytes + 64) != 0)
        return -1;
    e->key_cache = arena_take(&e->kv, bytes);
    e->value_cache = arena_take(&e->kv, bytes);
    for (size_t b = 0; b < e->kv.used; b += 4096)
        ((volatile char *)e->kv.base)[b] = 0;
    return 0;
}

/* ---- threads' parts and state ------------------------------------------- */

/* Where thread t of n begins in `total` items cut evenly, at a multiple of
 * `unit` (thread n: the end). More threads than items leave some threads
 * nothing to do. */
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
    p->u0 = cut_at(c->hidden_dim, t, n, GS); /* whole int8 groups */
    p->u1 = cut_at(c->hidden_dim, t + 1, n, GS);
    p->r0 = cut_at(c->dim, t, n, 16); /* whole cache lines of x */
    p->r1 = cut_at(c->dim, t + 1, n, 16);
    const size_t widest =
        (size_t)(c->dim > c->hidden_dim ? c->dim : c->hidden_dim);
    p->xb = own_floats((size_t)c->dim);
    p->qkv = own_floats((size_t)(p->g1 - p->g0) * group_rows(e));
    p->att = own_floats((size_t)c->seq_len);
    p->h13 = own_floats(2 * (size_t)(p->u1 - p->u0));
    p->rows = own_floats((size_t)(p->r1 - p->r0));
    p->in.q = malloc(widest + 1);
    p->in.s = malloc((widest / GS + 1) * sizeof(float));
    return p->xb && p->qkv && p->att && p->h13 && p->rows && p->in.q && p->in.s
               ? 0
               : -1;
}

static void free_part(Part *p)
{
    free(p->xb);
    free(p->qkv);
    free(p->att);
    free(p->h13);
    free(p->rows);
    free(p->in.q);
    free(p->in.s);
}

static int init_state(FastEngine *e)
{
    const Config *c = &e->c;
    const int n = pool_size(e->pool);
    const size_t half = (size_t)e->head_size / 2;
    e->parts = aligned_alloc(64, (size_t)n * sizeof *e->parts);
    if (!e->parts)
        return -1;
    memset(e->parts, 0, (size_t)n * sizeof *e->parts);
    for (int t = 0; t < n; t++)
        if (init_part(e, &e->parts[t], t, n) != 0)
            return -1;
    e->x = own_floats((size_t)c->dim);
    e->heads = own_floats((size_t)c->dim);
    e->hb = own_floats((size_t)c->hidden_dim);
    e->logits = own_floats((size_t)c->vocab_size);
    e->rope_cos = calloc((size_t)c->seq_len * half + 1, sizeof(float));
    e->rope_sin = calloc((size_t)c->seq_len * half + 1, sizeof(float));
    e->share = calloc((size_t)n, sizeof *e->share);
    e->cls_rows = calloc((size_t)n + 1, sizeof *e->cls_rows);
    if (!e->x || !e->heads || !e->hb || !e->logits || !e->rope_cos ||
        !e->rope_sin || !e->share || !e->cls_rows)
        return -1;
    for (int t = 0; t < n; t++)
        e->share[t] = 1.0 / n;
    set_cls_rows(e);
    for (int p = 0; p < c->seq_len; p++)
        for (size_t i = 0; i < half; i++) {
            const double freq =
                pow(10000.0, -(double)(2 * i) / (double)e->head_size);
            e->rope_cos[p * half + i] = (float)cos(p * freq);
            e->rope_sin[p * half + i] = (float)sin(p * freq);
        }
    return 0;
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
    e->head_size = c->dim / c->n_heads;
    e->kv_dim = e->head_size * c->n_kv_heads;
    e->pool = pool_new(n_threads);
    if (!e->pool || init_weights(e) != 0 || init_kv_cache(e) != 0 ||
        init_state(e) != 0) {
        fast_free(e);
        return NULL;
    }
    return e;
}

void fast_free(FastEngine *e)
{
    if (!e)
        return;
    for (int t = 0; e->parts && t < pool_size(e->pool); t++)
        free_part(&e->parts[t]);
    pool_free(e->pool);
    free(e->parts);
    free(e->layers);
    arena_free(&e->weights);
    arena_free(&e->kv);
    free(e->x);
    free(e->heads);
    free(e->hb);
    free(e->logits);
    free(e->rope_cos);
    free(e->rope_sin);
    free(e->share);
    free(e->cls_rows);
    free(e);
}

/* 41_fast_engine: reference solution.
 *
 * Where the time goes when decoding one token: every weight is read once
 * (matrix-vector products), so the engine is bound by memory bandwidth.
 * Four things matter, in this order:
 *   1. dot products that keep up with memory: independent vector
 *      accumulators and a tree reduction per row (GCC/Clang vector
 *      extensions, no intrinsics needed);
 *   2. more reads in flight: 8 rows side by side from 8 distant parts of
 *      each matrix, and software prefetch a page ahead;
 *   3. all cores pulling bytes: a pool of threads that stay alive and split
 *      the rows of each matrix, woken by a spinning generation counter
 *      (a few hundred ns) instead of a condition variable (tens of us);
 *   4. fewer bytes: int8 weights with a float scale per 32 values, a
 *      quarter of the traffic of float32; the input vector is quantised
 *      the same way so that the dot products are integer arithmetic
 *      (AVX2 maddubs/madd where available, plain C otherwise).
 * Fusing q/k/v into one job and w1/w3/SwiGLU into another keeps the number
 * of thread hand-offs per token small (5 per layer, plus the classifier).
 */
#define _POSIX_C_SOURCE 200809L
#include "fast.h"

#include "norms.h"
#include "softmax.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GS 32 /* int8 group size */
#define RMS_EPS 1e-5f

/* ---- matrices: float32 borrowed, or int8 owned -------------------------- */

typedef struct {
    const float *f; /* float rows (quant 32, or rows not a multiple of GS) */
    int8_t *q;      /* int8 rows, n per row */
    float *s;       /* one scale per GS values */
    int n;          /* row length */
} Mat;

/* Eight floats in one vector register (two SSE registers on older
 * machines); aligned(4): weights mapped from the file are only
 * float-aligned. */
typedef float v8f __attribute__((vector_size(32), aligned(4)));

/* Bytes read ahead by software prefetch. The hardware prefetcher stops at
 * every 4 KiB page and restarts at each new matrix; asking for the bytes
 * 4 KiB ahead keeps more reads in flight (about +15 % tok/s here). */
#define PREFETCH_AHEAD 4096
#define STREAMS 8 /* rows read side by side in a matrix-vector product */

static inline float hsum8(v8f a)
{
    return ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
}

/* Asks for the cache line PREFETCH_AHEAD bytes after p. uintptr_t: that
 * address may lie past the end of the weights, which a prefetch tolerates
 * and pointer arithmetic does not. */
static inline void prefetch_ahead(const float *p)
{
    __builtin_prefetch((const void *)((uintptr_t)p + PREFETCH_AHEAD));
}

/* Four independent vector accumulators (a sum of 32 lanes) so that the
 * adds never wait for each other, and a tree reduction at the end: a
 * chain of 32 scalar adds per row would cost as much as the row itself. */
static float dot_f32(const float *restrict w, const float *restrict x, int n)
{
    v8f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    int j = 0;
    for (; j + 32 <= n; j += 32) {
        prefetch_ahead(w + j);
        prefetch_ahead(w + j + 16);
        const v8f *wv = (const v8f *)(w + j), *xv = (const v8f *)(x + j);
        a0 += wv[0] * xv[0];
        a1 += wv[1] * xv[1];
        a2 += wv[2] * xv[2];
        a3 += wv[3] * xv[3];
    }
    for (; j + 8 <= n; j += 8) /* e.g. a head of 48 */
        a0 += *(const v8f *)(w + j) * *(const v8f *)(x + j);
    float sum = hsum8((a0 + a1) + (a2 + a3));
    for (; j < n; j++)
        sum += w[j] * x[j];
    return sum;
}

/* Rows w[0..STREAMS-1] times x at once. The rows come from distant parts
 * of the matrix: several streams in flight pull more bytes per second out
 * of memory than one (about +25 % on one core here), and each load of x
 * serves all of them. */
static void dot_rows(const float *const w[STREAMS], const float *x, int n,
                     float out[STREAMS])
{
    v8f a[STREAMS] = {{0}}, b[STREAMS] = {{0}};
    int j = 0;
    for (; j + 16 <= n; j += 16) {
        const v8f x0 = *(const v8f *)(x + j), x1 = *(const v8f *)(x + j + 8);
        for (int s = 0; s < STREAMS; s++) {
            prefetch_ahead(w[s] + j);
            a[s] += *(const v8f *)(w[s] + j) * x0;
            b[s] += *(const v8f *)(w[s] + j + 8) * x1;
        }
    }
    for (int s = 0; s < STREAMS; s++) {
        out[s] = hsum8(a[s] + b[s]);
        for (int k = j; k < n; k++)
            out[s] += w[s][k] * x[k];
    }
}

/* The input of a matrix-vector product, as floats and, for int8 weights,
 * quantised the same way (int8 in groups of GS, one scale per group): the
 * dot product of two int8 groups is then exact integer arithmetic and only
 * one multiply by (weight scale * input scale) per group is in float. */
typedef struct {
    const float *f;
    int8_t *q;
    float *s;
} Vec;

static void vec_quantize(Vec *v, int n)
{
    for (int g = 0; g < n / GS; g++) {
        const float *x = v->f + g * GS;
        float amax = 0.0f;
        for (int k = 0; k < GS; k++)
            amax = fmaxf(amax, fabsf(x[k]));
        const float scale = amax / 127.0f;
        const float inv = scale > 0.0f ? 1.0f / scale : 0.0f;
        v->s[g] = scale;
        for (int k = 0; k < GS; k++)
            v->q[g * GS + k] = (int8_t)lrintf(x[k] * inv);
    }
}

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

/* 32 signed bytes times 32 signed bytes: maddubs wants unsigned x signed,
 * so move w's sign onto x (|w| * (x * sign(w)) = w * x); products of
 * numbers in [-127, 127] never saturate the int16 pair sums. */
static float dot_q8(const int8_t *q, const float *s, const Vec *x, int n)
{
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc = _mm256_setzero_ps();
    for (int g = 0; g < n / GS; g++) {
        const __m256i w = _mm256_loadu_si256((const __m256i *)(q + g * GS));
        const __m256i v = _mm256_loadu_si256((const __m256i *)(x->q + g * GS));
        const __m256i p16 = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w),
                                                 _mm256_sign_epi8(v, w));
        const __m256 p = _mm256_cvtepi32_ps(_mm256_madd_epi16(p16, ones));
        acc = _mm256_fmadd_ps(p, _mm256_set1_ps(s[g] * x->s[g]), acc);
    }
    __m128 h =
        _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_movehdup_ps(h));
    return _mm_cvtss_f32(h);
}
#else
static float dot_q8(const int8_t *q, const float *s, const Vec *x, int n)
{
    float sum = 0.0f;
    for (int g = 0; g < n / GS; g++) {
        int32_t t = 0;
        for (int k = 0; k < GS; k++)
            t += (int32_t)q[g * GS + k] * x->q[g * GS + k];
        sum += (float)t * s[g] * x->s[g];
    }
    return sum;
}
#endif

/* Row r of m times x. */
static inline float mat_row_dot(const Mat *m, size_t r, const Vec *x)
{
    if (m->q)
        return dot_q8(m->q + r * m->n, m->s + r * (m->n / GS), x, m->n);
    return dot_f32(m->f + r * m->n, x->f, m->n);
}

/* out[r - begin] = row r of m times x, for r in [begin, end). Float rows
 * go STREAMS at a time, one from each STREAMS-th part of the range. */
static void matvec(const Mat *m, const Vec *x, float *out, int begin, int end)
{
    const int part = m->q ? 0 : (end - begin) / STREAMS;
    for (int i = 0; i < part; i++) {
        const float *w[STREAMS];
        float o[STREAMS];
        for (int s = 0; s < STREAMS; s++)
            w[s] = m->f + (size_t)(begin + s * part + i) * m->n;
        dot_rows(w, x->f, m->n, o);
        for (int s = 0; s < STREAMS; s++)
            out[s * part + i] = o[s];
    }
    for (int r = begin + STREAMS * part; r < end; r++)
        out[r - begin] = mat_row_dot(m, (size_t)r, x);
}

/* Wraps `rows` rows of n floats; quantises them when quant == 8. */
static int mat_init(Mat *m, const float *w, size_t rows, int n, int quant)
{
    m->f = w;
    m->q = NULL;
    m->s = NULL;
    m->n = n;
    if (quant != 8 || n % GS != 0)
        return 0;
    const size_t count = rows * (size_t)n, groups = count / GS;
    m->q = malloc(count);
    m->s = malloc(groups * sizeof(float));
    if (!m->q || !m->s)
        return -1;
    for (size_t g = 0; g < groups; g++) {
        const float *v = w + g * GS;
        float amax = 0.0f;
        for (int k = 0; k < GS; k++)
            amax = fmaxf(amax, fabsf(v[k]));
        const float scale = amax / 127.0f;
        const float inv = scale > 0.0f ? 1.0f / scale : 0.0f;
        m->s[g] = scale;
        for (int k = 0; k < GS; k++)
            m->q[g * GS + k] = (int8_t)lrintf(v[k] * inv);
    }
    m->f = NULL;
    return 0;
}

static void mat_free(Mat *m)
{
    free(m->q);
    free(m->s);
}

/* ---- thread pool -----------------------------------------------------------
 */

typedef void (*job_fn)(void *ctx, int begin, int end);

typedef struct Pool Pool;
typedef struct {
    Pool *pool;
    int index;
} Worker;

struct Pool {
    int n; /* threads including the caller */
    pthread_t *threads;
    Worker *workers;
    job_fn fn;
    void *ctx;
    int rows;
    atomic_uint generation; /* bumped once per job */
    atomic_int pending;     /* workers still busy with the current job */
    atomic_int sleepers;
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Thread `index`'s share of the rows: one fixed slice each. (Handing out
 * smaller chunks on demand balances better on paper but was 2-14 % slower
 * here: every chunk restarts the memory streams and the prefetching.) */
static void run_share(Pool *p, int index)
{
    const int begin = (int)((long long)p->rows * index / p->n);
    const int end = (int)((long long)p->rows * (index + 1) / p->n);
    if (begin < end)
        p->fn(p->ctx, begin, end);
}

/* Spins briefly for the next job, then sleeps on the condition variable
 * (an idle engine must not burn a core). */
static unsigned wait_job(Pool *p, unsigned seen)
{
    for (int spin = 0; spin < (1 << 16); spin++) {
        const unsigned g = atomic_load(&p->generation);
        if (g != seen || atomic_load(&p->stop))
            return g;
        if (spin & 0xff)
            cpu_relax();
        else
            sched_yield();
    }
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add(&p->sleepers, 1);
    while (atomic_load(&p->generation) == seen && !atomic_load(&p->stop))
        pthread_cond_wait(&p->cv, &p->mu);
    atomic_fetch_sub(&p->sleepers, 1);
    pthread_mutex_unlock(&p->mu);
    return atomic_load(&p->generation);
}

static void *worker_main(void *arg)
{
    const Worker *w = arg;
    Pool *p = w->pool;
    /* the generation the pool started with, not the current one: the first
     * job may be posted before this thread gets to run */
    unsigned seen = 0;
    for (;;) {
        seen = wait_job(p, seen);
        if (atomic_load(&p->stop))
            return NULL;
        run_share(p, w->index);
        atomic_fetch_sub(&p->pending, 1);
    }
}

/* Runs fn over rows [0, rows) split across all threads; returns when done. */
static void pool_run(Pool *p, job_fn fn, void *ctx, int rows)
{
    if (p->n == 1) {
        fn(ctx, 0, rows);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->rows = rows;
    atomic_store(&p->pending, p->n - 1);
    atomic_fetch_add(&p->generation, 1);
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    run_share(p, 0);
    for (int spin = 0; atomic_load(&p->pending) > 0; spin++) {
        if (spin & 0xff)
            cpu_relax();
        else
            sched_yield(); /* on a busy machine, let the worker run */
    }
}

static int pool_init(Pool *p, int n)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (n == 1)
        return 0;
    p->threads = calloc((size_t)n, sizeof *p->threads);
    p->workers = calloc((size_t)n, sizeof *p->workers);
    if (!p->threads || !p->workers)
        return -1;
    for (int i = 1; i < n; i++) {
        p->workers[i] = (Worker){p, i};
        if (pthread_create(&p->threads[i], NULL, worker_main, &p->workers[i]) !=
            0) {
            p->n = i; /* pool_free joins the ones that started */
            return -1;
        }
    }
    return 0;
}

static void pool_free(Pool *p)
{
    atomic_store(&p->stop, 1);
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->n && p->threads; i++)
        pthread_join(p->threads[i], NULL);
    free(p->threads);
    free(p->workers);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

/* ---- the engine
 * -------------------------------------------------------------- */

typedef struct {
    Mat wq, wk, wv, wo, w1, w2, w3;
} Layer;

struct FastEngine {
    Config c;
    TransformerWeights w; /* the pointers; the model owns the floats */
    int head_size, kv_dim;
    Layer *layers;
    Mat wcls;
    float *x, *xb, *xb2, *hb, *hb2, *q, *att, *logits;
    float *key_cache, *value_cache;
    float *rope_cos, *rope_sin; /* (seq_len, head_size / 2) */
    Pool pool;
    /* the current step, read by the jobs */
    int layer, pos;
    int quant;
    Vec in; /* the input of the current products */
    float *k_row, *v_row;
};

/* Rows [begin, end) of a stack of matrices, restricted to the one that
 * occupies rows [first, first + m's rows) of the stack. */
static void matvec_part(const Mat *m, const Vec *x, float *out, int first,
                        int rows, int begin, int end)
{
    const int b = begin > first ? begin - first : 0;
    const int e = end < first + rows ? end - first : rows;
    if (b < e)
        matvec(m, x, out + b, b, e);
}

/* q, k and v as one stack of dim + 2 * kv_dim rows: one hand-off. */
static void job_qkv(void *ctx, int begin, int end)
{
    FastEngine *e = ctx;
    const Layer *L = &e->layers[e->layer];
    const int dim = e->c.dim, kv = e->kv_dim;
    matvec_part(&L->wq, &e->in, e->q, 0, dim, begin, end);
    matvec_part(&L->wk, &e->in, e->k_row, dim, kv, begin, end);
    matvec_part(&L->wv, &e->in, e->v_row, dim + kv, kv, begin, end);
}

static void job_attention(void *ctx, int begin, int end)
{
    FastEngine *e = ctx;
    const int hs = e->head_size, kv = e->kv_dim, pos = e->pos;
    const int kv_mul = e->c.n_heads / e->c.n_kv_heads;
    const size_t loff = (size_t)e->layer * e->c.seq_len * kv;
    const float scale = 1.0f / sqrtf((float)hs);
    for (int h = begin; h < end; h++) {
        const float *q = e->q + h * hs;
        float *att = e->att + (size_t)h * e->c.seq_len;
        const size_t off = loff + (size_t)(h / kv_mul) * hs;
        for (int t = 0; t <= pos; t++)
            att[t] =
                dot_f32(q, e->key_cache + off + (size_t)t * kv, hs) * scale;
        softmax(att, pos + 1);
        float *out = e->xb + h * hs;
        memset(out, 0, (size_t)hs * sizeof(float));
        for (int t = 0; t <= pos; t++) {
            const float *v = e->value_cache + off + (size_t)t * kv;
            const float a = att[t];
            for (int i = 0; i < hs; i++)
                out[i] += a * v[i];
        }
    }
}

static void job_wo(void *ctx, int begin, int end)
{
    FastEngine *e = ctx;
    matvec(&e->layers[e->layer].wo, &e->in, e->xb2 + begin, begin, end);
}

/* w1 and w3 rows of the same range, then SwiGLU on them: one hand-off. */
static void job_w13(void *ctx, int begin, int end)
{
    FastEngine *e = ctx;
    const Layer *L = &e->layers[e->layer];
    matvec(&L->w1, &e->in, e->hb + begin, begin, end);
    matvec(&L->w3, &e->in, e->hb2 + begin, begin, end);
    for (int r = begin; r < end; r++) {
        const float a = e->hb[r];
        e->hb[r] = a / (1.0f + expf(-a)) * e->hb2[r];
    }
}

static void job_w2(void *ctx, int begin, int end)
{
    FastEngine *e = ctx;
    matvec(&e->layers[e->layer].w2, &e->in, e->xb2 + begin, begin, end);
}

static void job_cls(void *ctx, int begin, int end)
{
    FastEngine *e = ctx;
    matvec(&e->wcls, &e->in, e->logits + begin, begin, end);
}

/* RoPE from the precomputed table: pairs (2i, 2i+1) of every head. */
static void rope_apply(const FastEngine *e, float *v, int n_heads)
{
    const int half = e->head_size / 2;
    const float *c = e->rope_cos + (size_t)e->pos * half;
    const float *s = e->rope_sin + (size_t)e->pos * half;
    for (int h = 0; h < n_heads; h++) {
        float *p = v + h * e->head_size;
        for (int i = 0; i < half; i++) {
            const float a = p[2 * i], b = p[2 * i + 1];
            p[2 * i] = a * c[i] - b * s[i];
            p[2 * i + 1] = a * s[i] + b * c[i];
        }
    }
}

/* Makes x (n floats) the input of the next products. */
static void set_input(FastEngine *e, const float *x, int n)
{
    e->in.f = x;
    if (e->quant == 8 && n % GS == 0)
        vec_quantize(&e->in, n);
}

float *fast_forward(FastEngine *e, int token, int pos)
{
    const Config *c = &e->c;
    const TransformerWeights *w = &e->w;
    const int dim = c->dim, kv = e->kv_dim;
    e->pos = pos;
    memcpy(e->x, w->token_embedding + (size_t)token * dim,
           (size_t)dim * sizeof(float));
    for (int l = 0; l < c->n_layers; l++) {
        e->layer = l;
        const size_t loff = (size_t)l * c->seq_len * kv;
        e->k_row = e->key_cache + loff + (size_t)pos * kv;
        e->v_row = e->value_cache + loff + (size_t)pos * kv;
        rmsnorm(e->xb, e->x, w->rms_att + (size_t)l * dim, dim, RMS_EPS);
        set_input(e, e->xb, dim);
        pool_run(&e->pool, job_qkv, e, dim + 2 * kv);
        rope_apply(e, e->q, c->n_heads);
        rope_apply(e, e->k_row, c->n_kv_heads);
        pool_run(&e->pool, job_attention, e, c->n_heads);
        set_input(e, e->xb, dim);
        pool_run(&e->pool, job_wo, e, dim);
        for (int i = 0; i < dim; i++)
            e->x[i] += e->xb2[i];
        rmsnorm(e->xb, e->x, w->rms_ffn + (size_t)l * dim, dim, RMS_EPS);
        set_input(e, e->xb, dim);
        pool_run(&e->pool, job_w13, e, c->hidden_dim);
        set_input(e, e->hb, c->hidden_dim);
        pool_run(&e->pool, job_w2, e, dim);
        for (int i = 0; i < dim; i++)
            e->x[i] += e->xb2[i];
    }
    rmsnorm(e->x, e->x, w->rms_final, dim, RMS_EPS);
    set_input(e, e->x, dim);
    pool_run(&e->pool, job_cls, e, c->vocab_size);
    return e->logits;
}

static int init_layers(FastEngine *e, int quant)
{
    const Config *c = &e->c;
    const TransformerWeights *w = &e->w;
    const size_t d = (size_t)c->dim, hd = (size_t)c->hidden_dim;
    const size_t kv = (size_t)e->kv_dim;
    e->layers = calloc((size_t)c->n_layers, sizeof *e->layers);
    if (!e->layers)
        return -1;
    int bad = 0;
    for (int l = 0; l < c->n_layers; l++) {
        Layer *L = &e->layers[l];
        bad |= mat_init(&L->wq, w->wq + l * d * d, d, c->dim, quant);
        bad |= mat_init(&L->wk, w->wk + l * kv * d, kv, c->dim, quant);
        bad |= mat_init(&L->wv, w->wv + l * kv * d, kv, c->dim, quant);
        bad |= mat_init(&L->wo, w->wo + l * d * d, d, c->dim, quant);
        bad |= mat_init(&L->w1, w->w1 + l * hd * d, hd, c->dim, quant);
        bad |= mat_init(&L->w2, w->w2 + l * d * hd, d, c->hidden_dim, quant);
        bad |= mat_init(&L->w3, w->w3 + l * hd * d, hd, c->dim, quant);
    }
    bad |= mat_init(&e->wcls, w->wcls, (size_t)c->vocab_size, c->dim, quant);
    return bad ? -1 : 0;
}

static int init_state(FastEngine *e)
{
    const Config *c = &e->c;
    const size_t cache = (size_t)c->n_layers * c->seq_len * e->kv_dim;
    const size_t half = (size_t)e->head_size / 2;
    e->x = calloc((size_t)c->dim, sizeof(float));
    e->xb = calloc((size_t)c->dim, sizeof(float));
    e->xb2 = calloc((size_t)c->dim, sizeof(float));
    e->hb = calloc((size_t)c->hidden_dim, sizeof(float));
    e->hb2 = calloc((size_t)c->hidden_dim, sizeof(float));
    e->q = calloc((size_t)c->dim, sizeof(float));
    e->att = calloc((size_t)c->n_heads * c->seq_len, sizeof(float));
    e->logits = calloc((size_t)c->vocab_size, sizeof(float));
    e->key_cache = calloc(cache, sizeof(float));
    e->value_cache = calloc(cache, sizeof(float));
    e->rope_cos = calloc((size_t)c->seq_len * half, sizeof(float));
    e->rope_sin = calloc((size_t)c->seq_len * half, sizeof(float));
    const size_t widest =
        (size_t)(c->hidden_dim > c->dim ? c->hidden_dim : c->dim);
    e->in.q = malloc(widest);
    e->in.s = malloc((widest / GS + 1) * sizeof(float));
    if (!e->in.q || !e->in.s)
        return -1;
    if (!e->x || !e->xb || !e->xb2 || !e->hb || !e->hb2 || !e->q || !e->att ||
        !e->logits || !e->key_cache || !e->value_cache || !e->rope_cos ||
        !e->rope_sin)
        return -1;
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
    const int ok = init_layers(e, quant) == 0 && init_state(e) == 0;
    if (pool_init(&e->pool, n_threads) != 0 || !ok) {
        fast_free(e);
        return NULL;
    }
    return e;
}

void fast_free(FastEngine *e)
{
    if (!e)
        return;
    pool_free(&e->pool);
    if (e->layers)
        for (int l = 0; l < e->c.n_layers; l++) {
            Layer *L = &e->layers[l];
            mat_free(&L->wq);
            mat_free(&L->wk);
            mat_free(&L->wv);
            mat_free(&L->wo);
            mat_free(&L->w1);
            mat_free(&L->w2);
            mat_free(&L->w3);
        }
    free(e->layers);
    mat_free(&e->wcls);
    free(e->x);
    free(e->xb);
    free(e->xb2);
    free(e->hb);
    free(e->hb2);
    free(e->q);
    free(e->att);
    free(e->logits);
    free(e->key_cache);
    free(e->value_cache);
    free(e->rope_cos);
    free(e->rope_sin);
    free(e->in.q);
    free(e->in.s);
    free(e);
}

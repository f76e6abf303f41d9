/* 42_fast_engine: reference solution.
 *
 * Where the time goes when decoding one token: every weight is read once
 * (matrix-vector products), so the engine is bound by memory bandwidth.
 * Four things matter, in this order:
 *   1. dot products that keep up with memory: independent vector
 *      accumulators, fused multiply-adds and a tree reduction per row
 *      (GCC/Clang vector extensions);
 *   2. more reads in flight: several rows side by side from distant parts
 *      of each matrix, and software prefetch ahead. How many rows, and
 *      whether prefetch helps, differs from machine to machine, so
 *      fast_new times a few ways of reading on the model itself and keeps
 *      the fastest (pick_reader);
 *   3. all cores pulling bytes: threads that stay alive, each of which runs
 *      the whole step on its own part of every layer (its attention heads
 *      and its columns of wo, its hidden units and its columns of w2), so
 *      that they meet only twice per layer, to add up their terms of the
 *      residual stream (add_terms), and once per token; the classifier's
 *      rows follow each thread's measured speed, so that a slower core
 *      does not keep the others waiting (rebalance);
 *   4. fewer bytes: int8 weights with a float scale per 32 values, a
 *      quarter of the traffic of float32; the input vector is quantised
 *      the same way so that the dot products are integer arithmetic
 *      (VNNI dpbusd or AVX2 maddubs/madd where available, plain C
 *      otherwise), with the groups laid out so that eight of them are
 *      scaled at once (interleave_row).
 * The engine reads its own copy of the matrices, laid out in the order the
 * threads read them, aligned, in 2 MiB pages (init_layers): fewer, longer
 * streams of reads than the checkpoint's layout allows. It costs a second
 * copy of the float32 weights in memory.
 */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE, MAP_ANONYMOUS */
#include "fast.h"

#include "norms.h"
#include "softmax.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#if defined(__AVX__) /* AVX2 and FMA imply it */
#include <immintrin.h>
#endif

#define GS 32 /* int8 group size */
#define RMS_EPS 1e-5f

/* ---- matrices: float32 borrowed, or int8 owned -------------------------- */

typedef struct {
    const float *f; /* float rows (quant 32, or rows not a multiple of GS) */
    int8_t *q;      /* int8 rows, n per row */
    float *s;       /* one scale per GS values */
    int n;          /* row length */
    int rows;
} Mat;

/* Eight floats in one vector register (two SSE registers on older
 * machines); aligned(4): weights mapped from the file are only
 * float-aligned. */
typedef float v8f __attribute__((vector_size(32), aligned(4)));
#if defined(__GNUC__) && !defined(__clang__)
/* Without AVX GCC warns that passing v8f by value has a different ABI than
 * with it; these helpers are static, so no call crosses this file. */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

/* a * b + c in one fused instruction where the machine has it (-std=c17
 * keeps GCC from fusing `c += a * b` on its own): half the arithmetic
 * instructions of a multiply and an add. */
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

static inline float hsum8(v8f a)
{
    return ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
}

/* Asks for the cache line `ahead` bytes after p. uintptr_t: that address
 * may lie past the end of the weights, which a prefetch tolerates and
 * pointer arithmetic does not. */
static inline void prefetch_at(const float *p, size_t ahead)
{
    __builtin_prefetch((const void *)((uintptr_t)p + ahead));
}

/* Two independent vector accumulators (16 lanes) so that the adds never
 * wait for each other, and a tree reduction at the end: a chain of
 * scalar adds per row would cost as much as the row itself. */
static float dot_f32(const float *restrict w, const float *restrict x, int n)
{
    v8f a = {0}, b = {0};
    int j = 0;
    for (; j + 16 <= n; j += 16) {
        a = fma8(*(const v8f *)(w + j), *(const v8f *)(x + j), a);
        b = fma8(*(const v8f *)(w + j + 8), *(const v8f *)(x + j + 8), b);
    }
    for (; j + 8 <= n; j += 8) /* e.g. a head of 48 */
        a = fma8(*(const v8f *)(w + j), *(const v8f *)(x + j), a);
    float sum = hsum8(a + b);
    for (; j < n; j++)
        sum += w[j] * x[j];
    return sum;
}

/* ---- reading float weights as fast as memory allows ----------------------
 *
 * A matrix-vector product reads each weight once, so its speed is how many
 * bytes per second the core pulls out of memory. More reads in flight pull
 * more: several rows read side by side ("streams", from distant parts of
 * the matrix; each load of x serves all of them), and software prefetch
 * some bytes ahead. How many streams and whether prefetch helps depends on
 * the machine (measured: a 2-core Intel VM liked 8 streams and prefetch; on
 * a 2-core AMD Zen 5 VM 4 streams without prefetch were 30 % faster than
 * that), so fast_new times each reader below on the model itself and keeps
 * the fastest (pick_reader), as a self-tuning BLAS does. */
#define MAX_STREAMS 8
#define PREFETCH_AHEAD 4096 /* the hardware prefetcher stops at each page */

/* Rows i, part + i, 2 part + i, ... (`streams` of them) of w (rows of n
 * floats, n a multiple of 8) times x, for i in [0, part): out[s * part +
 * i]. (No scalar tail: with one, GCC kept the accumulators on the stack
 * instead of in registers, and the products ran 5-12 % slower.) Each row sums
 * into `acc` independent accumulators (2 or 4: more adds in flight, but
 * 8 streams x 4 would not fit in the registers); with acc 2 a step reads
 * one cache line per row, which is what `ahead` prefetches. Inlined into
 * each reader with constant arguments, so that the loops over streams and
 * accumulators unroll into registers. */
static inline __attribute__((always_inline)) void
rows_dot(const float *w, int n, int part, const float *x, float *out,
         const int streams, const int acc, const size_t ahead)
{
    enum { MAX_ACC = 4 };
    for (int i = 0; i < part; i++) {
        const float *r[MAX_STREAMS];
        v8f a[MAX_STREAMS][MAX_ACC];
        for (int s = 0; s < streams; s++) {
            r[s] = w + ((size_t)s * part + i) * n;
            for (int k = 0; k < acc; k++)
                a[s][k] = (v8f){0};
        }
        int j = 0;
        for (; j + 8 * acc <= n; j += 8 * acc)
            for (int s = 0; s < streams; s++) {
                if (ahead)
                    prefetch_at(r[s] + j, ahead);
                for (int k = 0; k < acc; k++)
                    a[s][k] = fma8(*(const v8f *)(r[s] + j + 8 * k),
                                   *(const v8f *)(x + j + 8 * k), a[s][k]);
            }
        for (; j + 8 <= n; j += 8) /* e.g. the rest of a head of 48 */
            for (int s = 0; s < streams; s++)
                a[s][0] = fma8(*(const v8f *)(r[s] + j), *(const v8f *)(x + j),
                               a[s][0]);
        for (int s = 0; s < streams; s++) {
            v8f t = a[s][0];
            for (int k = 1; k < acc; k++)
                t += a[s][k];
            out[(size_t)s * part + i] = hsum8(t);
        }
    }
}

typedef void (*rows_fn)(const float *w, int n, int part, const float *x,
                        float *out);

/* fn reads `streams` rows side by side; rest reads the rows left over one
 * at a time with the same accumulators, so that every row's sum comes out
 * the same, bit for bit, whichever thread or stream reads it (a thread's
 * classifier rows change as rebalance moves them). */
typedef struct {
    rows_fn fn, rest;
    int streams;
} Reader;

#define READER(NAME, STREAMS, ACC, AHEAD)                                      \
    static void NAME(const float *w, int n, int part, const float *x,          \
                     float *out)                                               \
    {                                                                          \
        rows_dot(w, n, part, x, out, STREAMS, ACC, AHEAD);                     \
    }                                                                          \
    static void NAME##_rest(const float *w, int n, int rows, const float *x,   \
                            float *out)                                        \
    {                                                                          \
        rows_dot(w, n, rows, x, out, 1, ACC, 0);                               \
    }
READER(rows_2x4, 2, 4, 0)
READER(rows_4x4, 4, 4, 0)
READER(rows_8x2_prefetch, 8, 2, PREFETCH_AHEAD)

/* Few and distinct, so that a noisy measurement rarely picks a worse one.
 * Measured on a 2-core AMD Zen 5 VM: 4 streams the fastest, 2 streams
 * 3-5 % slower at 2 threads, 8 streams without prefetch 8 % slower at 1
 * thread (and sometimes picked by a noisy probe: left out), with prefetch
 * 30 % slower; on a 2-core Intel VM 8 streams with prefetch were the
 * fastest. */
static const Reader READERS[] = {
    {rows_2x4, rows_2x4_rest, 2},
    {rows_4x4, rows_4x4_rest, 4},
    {rows_8x2_prefetch, rows_8x2_prefetch_rest, 8},
};
enum { N_READERS = sizeof READERS / sizeof READERS[0] };

/* The input of a matrix-vector product, as floats and, for int8 weights,
 * quantised the same way (int8 in groups of GS, one scale per group): the
 * dot product of two int8 groups is then exact integer arithmetic and only
 * one multiply by (weight scale * input scale) per group is in float. */
typedef struct {
    const float *f;
    int8_t *q;
    float *s;
} Vec;

/* groups x GS floats of x into int8 q, one scale (max |x| / 127) per group
 * in s: the same rule for the weights and for the input vectors. */
static void quantize_groups(const float *x, size_t groups, int8_t *q, float *s)
{
    for (size_t g = 0; g < groups; g++) {
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

/* How int8 rows are laid out: within a row, every block of BLOCK groups
 * (256 values) is stored as an 8 x 8 matrix of 4-byte words, transposed:
 * word k of group i goes to word k * BLOCK + i. One 32-byte load k then
 * holds bytes 4k..4k+3 of all eight groups, and the integer dot-product
 * instructions (which sum four byte products into each 32-bit lane) leave
 * group i's sum in lane i: eight group sums in one register, converted
 * and scaled by eight scales at once, with no sum across lanes per group.
 * Groups after the last whole block stay as they are. The input vectors
 * are laid out the same way, so each byte still meets its partner. */
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

static void vec_quantize(Vec *v, int n)
{
    quantize_groups(v->f, (size_t)(n / GS), v->q, v->s);
    interleave_row(v->q, n);
}

#if defined(__AVX2__) && defined(__FMA__)

/* acc + the products of 32 signed bytes w and v, four per 32-bit lane.
 * The instructions want unsigned x signed bytes, so w's sign moves onto v
 * (|w| * (v * sign(w)) = w * v); products of numbers in [-127, 127] never
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

static float dot_q8(const int8_t *q, const float *s, const Vec *x, int n)
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
#else
/* Group g + i of a block: its words sit at word k * BLOCK + i (see
 * interleave_row); groups after the last block are plain. */
static float dot_q8(const int8_t *q, const float *s, const Vec *x, int n)
{
    const int groups = n / GS;
    float sum = 0.0f;
    for (int g = 0; g < groups; g++) {
        const int block = g / BLOCK * BLOCK, i = g - block;
        const int in_block = block + BLOCK <= groups;
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
#endif

/* Row r of m times x. */
static inline float mat_row_dot(const Mat *m, size_t r, const Vec *x)
{
    if (m->q)
        return dot_q8(m->q + r * m->n, m->s + r * (m->n / GS), x, m->n);
    return dot_f32(m->f + r * m->n, x->f, m->n);
}

/* out[r - begin] = row r of m times x, for r in [begin, end). Float rows
 * of whole vectors go through the reader (rd->streams rows side by side,
 * then the rest), int8 rows and odd lengths one by one. */
static void matvec(const Reader *rd, const Mat *m, const Vec *x, float *out,
                   int begin, int end)
{
    if (m->q || m->n % 8) {
        for (int r = begin; r < end; r++)
            out[r - begin] = mat_row_dot(m, (size_t)r, x);
        return;
    }
    const float *w = m->f + (size_t)begin * m->n;
    const int rows = end - begin, part = rows / rd->streams;
    const int done = part * rd->streams;
    if (part > 0)
        rd->fn(w, m->n, part, x->f, out);
    if (done < rows)
        rd->rest(w + (size_t)done * m->n, m->n, rows - done, x->f, out + done);
}

/* The engine's copy of the weights: one mapping, carved into 64-byte
 * aligned blocks, asked for in 2 MiB pages where the kernel offers them
 * (transparent huge pages, madvise mode). Measured on the Zen 5 VM: the
 * copy in plain 4 KiB pages read 12-16 % slower than in 2 MiB pages, and
 * slower than the checkpoint's own mapping. The pages are reserved, not
 * touched: an int8 copy uses only the first quarter or so. */
typedef struct {
    void *map;  /* the mapping, `mapped` bytes */
    char *base; /* its first huge page boundary: the blocks start here */
    size_t mapped, size, used;
} Arena;

#define HUGE_PAGE ((size_t)2 << 20)

static int arena_init(Arena *a, size_t size)
{
    a->size = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    a->used = 0;
    a->mapped = a->size + HUGE_PAGE; /* room to start on a boundary */
    const int private_memory = MAP_PRIVATE | MAP_ANONYMOUS;
    a->map =
        mmap(NULL, a->mapped, PROT_READ | PROT_WRITE, private_memory, -1, 0);
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

/* m as `rows` rows of n floats copied from w into the arena, or quantised
 * into it when quant == 8 (and the rows split into whole groups). */
static int mat_place(Mat *m, Arena *a, const float *w, size_t rows, int n,
                     int quant)
{
    const size_t count = rows * (size_t)n;
    m->q = NULL;
    m->s = NULL;
    m->n = n;
    m->rows = (int)rows;
    if (quant != 8 || n % GS != 0) {
        float *f = arena_take(a, count * sizeof(float));
        if (!f)
            return -1;
        memcpy(f, w, count * sizeof(float));
        m->f = f;
        return 0;
    }
    const size_t groups = count / GS;
    m->f = NULL;
    m->q = arena_take(a, count);
    m->s = arena_take(a, groups * sizeof(float));
    if (!m->q || !m->s)
        return -1;
    quantize_groups(w, groups, m->q, m->s);
    for (size_t r = 0; r < rows; r++)
        interleave_row(m->q + r * (size_t)n, n);
    return 0;
}

/* ---- threads ---------------------------------------------------------------
 *
 * Every thread runs the whole step on its own part of the model (see
 * step_part) and the threads meet only where they must: twice per layer,
 * to add up their terms of the residual stream, and once at the end. A
 * meeting costs what crosses between the cores' caches (measured on the
 * 2-core Zen 5 VM: a cache line took ~450 ns to reach the other core), so
 * each thread signals in a line of its own (Slot), and the step is posted
 * in one line (the generation, fn and ctx, at the top of Pool). Workers
 * spin briefly for the next step, then sleep (an idle engine must not burn
 * a core).
 *
 * Measured on the Zen 5 VM against the engine before, where one thread
 * handed each product out to the others and waited for them (25 times per
 * token): a model small enough for the L2 caches took 27 us per token at
 * two threads instead of 56; paired runs at two threads, stories15M shape:
 * float32 1.07x, int8 1.16x; with half its vocabulary (44 MB, which fits
 * the L3 caches) 1.12x. */

typedef void (*thread_fn)(void *ctx, int index);

typedef struct {
    _Alignas(64) atomic_uint arrived; /* meetings this thread has reached */
} Slot;

typedef struct Pool Pool;
typedef struct {
    Pool *pool;
    int index;
} Worker;

struct Pool {
    _Alignas(64) atomic_uint generation; /* bumped once per step */
    thread_fn fn;
    void *ctx;
    int n; /* threads including the caller */
    pthread_t *threads;
    Worker *workers;
    Slot *slots; /* one per thread */
    _Alignas(64) atomic_int sleepers;
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

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Waiting for the other threads: pause only for the first SPIN_US (the
 * other thread is usually a few us away, and a sched_yield is a system
 * call, ~1 us on a VM, that delays noticing it), then yield the core at
 * every step so that a busy machine can run something else. */
#define SPIN_US 50.0
/* an idle worker then sleeps (see wait_step_posted) */
#define SLEEP_US 2000.0

typedef struct {
    unsigned steps;
    double start, us; /* us: microseconds waited, updated every 64 steps
                         (a clock read costs ~25 ns) */
} Wait;

static void wait_step(Wait *w)
{
    if ((w->steps++ & 63) == 0) {
        const double t = now_s();
        if (w->steps == 1)
            w->start = t;
        w->us = (t - w->start) * 1e6;
    }
    if (w->us < SPIN_US)
        cpu_relax();
    else
        sched_yield();
}

/* Thread `index` has reached its next meeting; returns that meeting's
 * number. (What it wrote before is visible to whoever sees the number.) */
static unsigned pool_arrive(Pool *p, int index)
{
    atomic_uint *a = &p->slots[index].arrived;
    const unsigned k = atomic_load_explicit(a, memory_order_relaxed) + 1;
    atomic_store_explicit(a, k, memory_order_release);
    return k;
}

/* Until every thread has reached meeting k. */
static void pool_wait_all(Pool *p, unsigned k)
{
    for (int i = 0; i < p->n; i++)
        for (Wait w = {0}; (int)(atomic_load_explicit(&p->slots[i].arrived,
                                                      memory_order_acquire) -
                                 k) < 0;)
            wait_step(&w);
}

/* Inside a step: waits until every thread has come this far. */
static void pool_meet(Pool *p, int index)
{
    if (p->n > 1)
        pool_wait_all(p, pool_arrive(p, index));
}

/* Spins briefly for the next step, then sleeps on the condition
 * variable. */
static unsigned wait_step_posted(Pool *p, unsigned seen)
{
    for (Wait w = {0}; w.us < SLEEP_US; wait_step(&w)) {
        const unsigned g =
            atomic_load_explicit(&p->generation, memory_order_acquire);
        if (g != seen || atomic_load(&p->stop))
            return g;
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
     * step may be posted before this thread gets to run */
    unsigned seen = 0;
    for (;;) {
        seen = wait_step_posted(p, seen);
        if (atomic_load(&p->stop))
            return NULL;
        p->fn(p->ctx, w->index);
        pool_arrive(p, w->index); /* the step's last meeting */
    }
}

/* Runs fn(ctx, i) on every thread i (the caller is thread 0); returns
 * when all have finished. What the caller wrote before is visible to
 * every thread, and what they wrote is visible after. */
static void pool_run(Pool *p, thread_fn fn, void *ctx)
{
    if (p->n == 1) {
        fn(ctx, 0);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    atomic_fetch_add(&p->generation, 1); /* seq_cst: see the sleepers */
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    fn(ctx, 0);
    pool_wait_all(p, pool_arrive(p, 0));
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
    p->slots = aligned_alloc(64, (size_t)n * sizeof *p->slots);
    if (!p->threads || !p->workers || !p->slots)
        return -1;
    memset(p->slots, 0, (size_t)n * sizeof *p->slots);
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
    free(p->slots);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

/* ---- the engine
 * -------------------------------------------------------------- */

/* A layer's weights in the order the threads read them (see init_layers):
 * qkv holds wq, wk and wv grouped by key/value head, w13 holds w1 and w3
 * row by row in turn; wo and w2 are cut by columns, one block per thread
 * (the columns of its heads, of its hidden units). */
typedef struct {
    Mat qkv, w13;
    Mat *wo, *w2; /* [thread] */
} Layer;

/* What one thread reads and writes in a step: its part of the model (a
 * run of key/value heads, a run of hidden units, a run of classifier rows)
 * and its own copy of the residual stream, which all threads keep equal. */
typedef struct {
    /* aligned: each thread writes its own Part (in, sums, rate), and a
     * line shared with another thread's would bounce between the cores */
    _Alignas(64) float *x;
    float *xb;  /* x normalised: the input of the next products */
    float *qkv; /* q, k, v of its heads, laid out as Layer.qkv's rows */
    float *att; /* one head's attention scores */
    float *out; /* the attention output of its heads */
    float *h13; /* w1 and w3 outputs in turn, as Layer.w13's rows */
    float *hb;  /* SwiGLU of its hidden units */
    /* its term of the residual stream after wo and after w2 (add_terms) */
    float *term[2];
    Vec in;      /* the input of the current product */
    int g0, g1;  /* its key/value heads */
    int u0, u1;  /* its hidden units */
    int sums;    /* add_terms so far: which term buffer is next */
    double rate; /* classifier rows per second in the last step */
} Part;

struct FastEngine {
    Config c;
    TransformerWeights w; /* the pointers; the model owns the floats */
    int head_size, kv_dim;
    Arena arena;    /* every matrix below (init_layers) */
    Arena kv_arena; /* key_cache and value_cache (init_kv_cache) */
    Layer *layers;
    Mat wcls;
    float *logits;
    float *key_cache, *value_cache;
    float *rope_cos, *rope_sin; /* (seq_len, head_size / 2) */
    Pool pool;
    Part *parts;   /* [thread] */
    double *share; /* each thread's fraction of the classifier's rows */
    int *cls_rows; /* thread i's rows: [cls_rows[i], cls_rows[i + 1]) */
    int quant;
    const Reader *reader; /* how float weights are read (pick_reader) */
    /* the current step, set before the threads start it */
    int token, pos;
    int run_layers; /* all, or fewer while probing (probe_step) */
    bool run_classify;
};

/* Where head h's key (or value) of position t in layer l lives: the cache
 * is laid out [layer][kv head][position][head_size], so that one head's
 * keys are one contiguous block that the hardware prefetcher streams. */
static float *kv_at(const FastEngine *e, float *cache, int l, int h, int t)
{
    const size_t heads = (size_t)l * e->c.n_kv_heads + (size_t)h;
    return cache + (heads * e->c.seq_len + (size_t)t) * e->head_size;
}

/* Rows of Layer.qkv (and floats of Part.qkv) per key/value head: the query
 * heads that share it, then its key, then its value. */
static int group_rows(const FastEngine *e)
{
    return (e->c.n_heads / e->c.n_kv_heads + 2) * e->head_size;
}

/* Columns of wo per key/value head: the outputs of the query heads that
 * share it. */
static int group_cols(const FastEngine *e)
{
    return e->c.n_heads / e->c.n_kv_heads * e->head_size;
}

/* RoPE from the precomputed table: pairs (2i, 2i+1) of heads [hb, he). */
static void rope_apply(const FastEngine *e, float *v, int hb, int he)
{
    const int half = e->head_size / 2;
    const float *c = e->rope_cos + (size_t)e->pos * half;
    const float *s = e->rope_sin + (size_t)e->pos * half;
    for (int h = hb; h < he; h++) {
        float *p = v + h * e->head_size;
        for (int i = 0; i < half; i++) {
            const float a = p[2 * i], b = p[2 * i + 1];
            p[2 * i] = a * c[i] - b * s[i];
            p[2 * i + 1] = a * s[i] + b * c[i];
        }
    }
}

/* Lane r of the result: the sum of the 8 lanes of a[r] (eight reductions
 * at once: three rounds of pairwise adds instead of 8 x 7 scalar adds). */
static inline v8f hsum8x8(const v8f a[8])
{
#if defined(__AVX__)
    const __m256 t0 = _mm256_hadd_ps((__m256)a[0], (__m256)a[1]);
    const __m256 t1 = _mm256_hadd_ps((__m256)a[2], (__m256)a[3]);
    const __m256 t2 = _mm256_hadd_ps((__m256)a[4], (__m256)a[5]);
    const __m256 t3 = _mm256_hadd_ps((__m256)a[6], (__m256)a[7]);
    /* u0: a0..a3 summed over lanes 0-3, then the same over lanes 4-7 */
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

/* att[t] = scale * (q . keys[t]) for t < rows; keys are rows of n floats.
 * Eight keys at a time: each load of q serves eight rows, and their eight
 * sums are reduced together. */
static void attention_scores(float *att, const float *q, const float *keys,
                             int rows, int n, float scale)
{
    int t = 0;
    if (n % 8 == 0)
        for (; t + 8 <= rows; t += 8) {
            const float *k = keys + (size_t)t * n;
            v8f acc[8] = {{0}};
            for (int j = 0; j < n; j += 8) {
                const v8f qj = *(const v8f *)(q + j);
                for (int r = 0; r < 8; r++)
                    acc[r] =
                        fma8(*(const v8f *)(k + (size_t)r * n + j), qj, acc[r]);
            }
            const v8f s = hsum8x8(acc) * splat8(scale);
            memcpy(att + t, &s, sizeof s);
        }
    for (; t < rows; t++)
        att[t] = dot_f32(keys + (size_t)t * n, q, n) * scale;
}

/* out[0..n) = sum over t < rows of a[t] * v[t * n ..]: the attention-weighted
 * sum of a head's values, 32 (then 8) columns at a time in registers. */
static void weighted_sum(float *out, const float *a, const float *v, int rows,
                         int n)
{
    int j = 0;
    for (; j + 32 <= n; j += 32) {
        v8f s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
        for (int t = 0; t < rows; t++) {
            const v8f *r = (const v8f *)(v + (size_t)t * n + j);
            const v8f at = splat8(a[t]);
            s0 = fma8(at, r[0], s0);
            s1 = fma8(at, r[1], s1);
            s2 = fma8(at, r[2], s2);
            s3 = fma8(at, r[3], s3);
        }
        memcpy(out + j, &s0, sizeof s0);
        memcpy(out + j + 8, &s1, sizeof s1);
        memcpy(out + j + 16, &s2, sizeof s2);
        memcpy(out + j + 24, &s3, sizeof s3);
    }
    for (; j + 8 <= n; j += 8) {
        v8f s0 = {0}, s1 = {0};
        int t = 0;
        for (; t + 2 <= rows; t += 2) {
            s0 = fma8(splat8(a[t]), *(const v8f *)(v + (size_t)t * n + j), s0);
            s1 = fma8(splat8(a[t + 1]),
                      *(const v8f *)(v + (size_t)(t + 1) * n + j), s1);
        }
        if (t < rows)
            s0 = fma8(splat8(a[t]), *(const v8f *)(v + (size_t)t * n + j), s0);
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

/* e^x for x <= 0, eight at a time (libm's expf is one at a time: at one
 * thread the softmax of the scores took 20 us per token, 1.5 % of it).
 * x = k ln 2 + r with |r| <= ln 2 / 2, e^x = 2^k e^r: e^r by its Taylor
 * polynomial to r^6 (relative error < 2e-7, about expf's), 2^k built in
 * the exponent bits. Below -87 the result would not be a normal float;
 * it is clamped there (e^-87 ~ 1.6e-38, nothing next to the maximum's 1). */
typedef int32_t v8i __attribute__((vector_size(32), aligned(4)));

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

/* RoPE, this position's keys and values into the cache, then attention,
 * for the thread's key/value heads and the query heads that share them
 * (q, k, v in p->qkv; the output into p->out). */
static void attend_heads(const FastEngine *e, Part *p, int l)
{
    const int hs = e->head_size, pos = e->pos, rows = pos + 1;
    const int kv_mul = e->c.n_heads / e->c.n_kv_heads;
    const float scale = 1.0f / sqrtf((float)hs);
    for (int g = p->g0; g < p->g1; g++) {
        float *q = p->qkv + (size_t)(g - p->g0) * group_rows(e);
        const float *k = q + kv_mul * hs, *v = k + hs;
        rope_apply(e, q, 0, kv_mul + 1); /* the query heads and the key */
        float *keys = kv_at(e, e->key_cache, l, g, 0);
        const float *values = kv_at(e, e->value_cache, l, g, 0);
        memcpy(keys + (size_t)pos * hs, k, (size_t)hs * sizeof(float));
        memcpy(kv_at(e, e->value_cache, l, g, pos), v,
               (size_t)hs * sizeof(float));
        float *out = p->out + (size_t)(g - p->g0) * group_cols(e);
        for (int h = 0; h < kv_mul; h++) {
            attention_scores(p->att, q + h * hs, keys, rows, hs, scale);
            softmax_scores(p->att, rows);
            weighted_sum(out + h * hs, p->att, values, rows, hs);
        }
    }
}

/* Makes x (n floats) the input of the thread's next products. */
static void set_input(const FastEngine *e, Part *p, const float *x, int n)
{
    p->in.f = x;
    if (e->quant == 8 && n % GS == 0)
        vec_quantize(&p->in, n);
}

/* The buffer for the thread's next term of the residual stream. */
static float *next_term(Part *p)
{
    return p->term[p->sums & 1];
}

/* Every thread's term just written (next_term), added to the residual
 * stream once all threads have written theirs: in thread order, so that
 * every thread's copy of x comes out the same, bit for bit. Two buffers
 * per thread: a thread may write its next term while another still reads
 * this one, but not the one after (that needs the next meeting). */
static void add_terms(FastEngine *e, Part *p, int index)
{
    const int n = e->pool.n, b = p->sums & 1;
    pool_meet(&e->pool, index);
    for (int j = 0; j < e->c.dim; j++) {
        float sum = e->parts[0].term[b][j];
        for (int t = 1; t < n; t++)
            sum += e->parts[t].term[b][j];
        p->x[j] += sum;
    }
    p->sums++;
}

/* Layer l for one thread: its heads' q/k/v and attention, its columns of
 * wo; its hidden units' w1/w3 and SwiGLU, its columns of w2. Two meetings,
 * where the terms are added. */
static void layer_part(FastEngine *e, Part *p, int index, int l)
{
    const Config *c = &e->c;
    const Layer *L = &e->layers[l];
    const int dim = c->dim, g = group_rows(e);
    rmsnorm(p->xb, p->x, e->w.rms_att + (size_t)l * dim, dim, RMS_EPS);
    set_input(e, p, p->xb, dim);
    matvec(e->reader, &L->qkv, &p->in, p->qkv, p->g0 * g, p->g1 * g);
    attend_heads(e, p, l);
    set_input(e, p, p->out, L->wo[index].n);
    matvec(e->reader, &L->wo[index], &p->in, next_term(p), 0, dim);
    add_terms(e, p, index);

    rmsnorm(p->xb, p->x, e->w.rms_ffn + (size_t)l * dim, dim, RMS_EPS);
    set_input(e, p, p->xb, dim);
    matvec(e->reader, &L->w13, &p->in, p->h13, 2 * p->u0, 2 * p->u1);
    for (int u = 0; u < p->u1 - p->u0; u++) {
        const float a = p->h13[2 * u], b = p->h13[2 * u + 1];
        p->hb[u] = a / (1.0f + expf(-a)) * b;
    }
    set_input(e, p, p->hb, L->w2[index].n);
    matvec(e->reader, &L->w2[index], &p->in, next_term(p), 0, dim);
    add_terms(e, p, index);
}

/* The final norm and the thread's rows of the classifier, timed. */
static void classify_part(FastEngine *e, Part *p, int index)
{
    const int begin = e->cls_rows[index], end = e->cls_rows[index + 1];
    rmsnorm(p->xb, p->x, e->w.rms_final, e->c.dim, RMS_EPS);
    set_input(e, p, p->xb, e->c.dim);
    const double t0 = now_s();
    matvec(e->reader, &e->wcls, &p->in, e->logits + begin, begin, end);
    const double took = now_s() - t0;
    /* 0: too few rows, or too short a time, to tell a speed */
    p->rate = end - begin < 16 || took < 1e-6 ? 0.0 : (end - begin) / took;
}

/* One thread's share of the step of e->token at e->pos. */
static void step_part(void *ctx, int index)
{
    FastEngine *e = ctx;
    Part *p = &e->parts[index];
    memcpy(p->x, e->w.token_embedding + (size_t)e->token * e->c.dim,
           (size_t)e->c.dim * sizeof(float));
    for (int l = 0; l < e->run_layers; l++)
        layer_part(e, p, index, l);
    if (e->run_classify)
        classify_part(e, p, index);
}

/* Each thread's rows of the classifier, by its share. */
static void set_cls_rows(FastEngine *e)
{
    const int n = e->pool.n, rows = e->c.vocab_size;
    double f = 0.0;
    e->cls_rows[0] = 0;
    for (int i = 1; i < n; i++) {
        f += e->share[i - 1];
        e->cls_rows[i] = (int)(f * rows + 0.5);
    }
    e->cls_rows[n] = rows;
}

/* After a step: moves each thread's share of the classifier a step towards
 * its part of everyone's speed (rows per second), so that the threads
 * finish together. Measured on a 2-core VM: one core read ~25 % slower
 * than the other for minutes at a time (a neighbour on the host, a busier
 * cache), and with even slices the faster thread waited ~200 us per
 * token; the shares settle within a few tokens. The layers are cut evenly:
 * how a sum is cut changes its rounding, and the same seed must give the
 * same tokens in every run. */
#define SHARE_STEP 0.05
static void rebalance(FastEngine *e)
{
    const int n = e->pool.n;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        if (e->parts[i].rate == 0.0)
            return;
        total += e->parts[i].rate;
    }
    for (int i = 0; i < n; i++)
        e->share[i] += SHARE_STEP * (e->parts[i].rate / total - e->share[i]);
    set_cls_rows(e);
}

/* A step on every thread: `layers` layers, then the classifier if asked. */
static void run_step(FastEngine *e, int token, int pos, int layers,
                     bool classify)
{
    e->token = token;
    e->pos = pos;
    e->run_layers = layers;
    e->run_classify = classify;
    pool_run(&e->pool, step_part, e);
    if (classify)
        rebalance(e);
}

float *fast_forward(FastEngine *e, int token, int pos)
{
    run_step(e, token, pos, e->c.n_layers, true);
    return e->logits;
}

/* ---- the weights, in the order they are read -----------------------------
 *
 * The checkpoint stores each kind of matrix for all layers together (every
 * wq, then every wk, ...), at an offset of 28 bytes: a 32-byte load of
 * every second vector of a row straddles two cache lines. The engine copies
 * the matrices into blocks of its own, 64-byte aligned, laid out the way
 * the threads read them: q, k and v of one key/value head next to each
 * other, w1 and w3 row by row in turn, wo and w2 cut into one block of
 * columns per thread. Each product is then one run of rows, and each
 * product starts its streams of reads afresh (measured on the Zen 5 VM:
 * about 0.8 us per product, 42 products per token before, 24 with this
 * layout). With the arena's huge pages, paired runs against the engine
 * that read the checkpoint's mapping: float32 1.13x at 1 thread and 1.19x
 * at 2, int8 1.11x and 1.13x. The int8 matrices are quantised from the
 * same blocks. */

/* Layer l's wq, wk and wv rows in read order, into `to`: per key/value
 * head g, the rows of the query heads that share it, then g's key rows,
 * then its value rows (group_rows in all), so that a thread's heads are
 * one run of rows. */
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

/* Layer l's w1 and w3 rows in read order, into `to`: row 2r is w1's row r,
 * row 2r + 1 is w3's, so that any range of hidden units is one run of
 * rows. */
static void gather_w13(float *to, const FastEngine *e, int l)
{
    const size_t d = (size_t)e->c.dim, hd = (size_t)e->c.hidden_dim;
    const float *w1 = e->w.w1 + l * hd * d, *w3 = e->w.w3 + l * hd * d;
    for (size_t r = 0; r < hd; r++) {
        memcpy(to + 2 * r * d, w1 + r * d, d * sizeof *to);
        memcpy(to + (2 * r + 1) * d, w3 + r * d, d * sizeof *to);
    }
}

/* m as the rows that gather writes (layer l, rows x dim floats), placed in
 * the arena through a scratch block (freed here). */
static int mat_gather(Mat *m, FastEngine *e, int l, size_t rows,
                      void (*gather)(float *, const FastEngine *, int))
{
    float *tmp = malloc(rows * (size_t)e->c.dim * sizeof(float));
    if (!tmp)
        return -1;
    gather(tmp, e, l);
    const int r = mat_place(m, &e->arena, tmp, rows, e->c.dim, e->quant);
    free(tmp);
    return r;
}

/* Columns [c0, c1) of a rows x cols matrix src as m, placed in the arena
 * through a scratch block (freed here). */
static int mat_columns(Mat *m, FastEngine *e, const float *src, size_t rows,
                       int cols, int c0, int c1)
{
    const size_t n = (size_t)(c1 - c0);
    float *tmp = malloc(rows * n * sizeof(float) + 1);
    if (!tmp)
        return -1;
    for (size_t r = 0; r < rows; r++)
        memcpy(tmp + r * n, src + r * (size_t)cols + c0, n * sizeof(float));
    const int res = mat_place(m, &e->arena, tmp, rows, (int)n, e->quant);
    free(tmp);
    return res;
}

/* Floats of one layer's matrices: qkv, wo, w13 and w2. */
static size_t layer_floats(const FastEngine *e)
{
    const size_t d = (size_t)e->c.dim, hd = (size_t)e->c.hidden_dim;
    const size_t kv = (size_t)e->kv_dim;
    return (d + 2 * kv) * d + d * d + 2 * hd * d + d * hd;
}

/* Floats of all the matrices: the arena holds them (float32), or less. */
static size_t matrix_floats(const FastEngine *e)
{
    const Config *c = &e->c;
    return (size_t)c->n_layers * layer_floats(e) +
           (size_t)c->vocab_size * (size_t)c->dim;
}

/* A layer's wo (by_heads) or w2, rows of `cols` floats from src, cut by
 * columns: thread t's block holds the columns of its heads' outputs (wo)
 * or of its hidden units (w2), so that each thread's term of the residual
 * stream is one product over one block. */
static int place_column_blocks(FastEngine *e, Mat **blocks, const float *src,
                               int cols, bool by_heads)
{
    const int n = e->pool.n, gc = group_cols(e);
    *blocks = calloc((size_t)n, sizeof **blocks);
    if (!*blocks)
        return -1;
    int bad = 0;
    for (int t = 0; t < n; t++) {
        const Part *p = &e->parts[t];
        const int c0 = by_heads ? p->g0 * gc : p->u0;
        const int c1 = by_heads ? p->g1 * gc : p->u1;
        bad |=
            mat_columns(&(*blocks)[t], e, src, (size_t)e->c.dim, cols, c0, c1);
    }
    return bad;
}

static int init_layers(FastEngine *e)
{
    const Config *c = &e->c;
    const TransformerWeights *w = &e->w;
    const size_t d = (size_t)c->dim, hd = (size_t)c->hidden_dim;
    const size_t kv = (size_t)e->kv_dim;
    Arena *a = &e->arena;
    /* under 64 bytes of alignment before each block: at most two blocks
     * (int8 rows, scales) for each of a layer's 2 + 2 x threads matrices
     * and for the classifier */
    const size_t mats = (2 + 2 * (size_t)e->pool.n) * (size_t)c->n_layers + 1;
    e->layers = calloc((size_t)c->n_layers, sizeof *e->layers);
    if (!e->layers ||
        arena_init(a, matrix_floats(e) * sizeof(float) + 64 * 2 * mats))
        return -1;
    int bad = 0;
    for (int l = 0; l < c->n_layers; l++) {
        Layer *L = &e->layers[l];
        /* in the order a step reads them */
        bad |= mat_gather(&L->qkv, e, l, d + 2 * kv, gather_qkv);
        bad |= place_column_blocks(e, &L->wo, w->wo + l * d * d, c->dim, true);
        bad |= mat_gather(&L->w13, e, l, 2 * hd, gather_w13);
        bad |= place_column_blocks(e, &L->w2, w->w2 + l * d * hd, c->hidden_dim,
                                   false);
    }
    bad |= mat_place(&e->wcls, a, w->wcls, (size_t)c->vocab_size, c->dim,
                     e->quant);
    return bad ? -1 : 0;
}

/* The key and value caches, zeroed, in an arena of their own (2 MiB pages:
 * paired runs 1.00-1.03x at 1 thread against calloc's 4 KiB ones), with
 * every page mapped now. Fresh pages are mapped only at their first write; for
 * the KV cache that would happen while generating, a page fault every few
 * tokens (measured on the Zen 5 VM with calloc: ~3 per token, 10+ us each, a
 * third of the attention time). The volatile writes fault them in (fresh
 * anonymous pages read as zero already). */
static int init_kv_cache(FastEngine *e)
{
    const Config *c = &e->c;
    const size_t bytes =
        (size_t)c->n_layers * c->seq_len * e->kv_dim * sizeof(float);
    Arena *a = &e->kv_arena;
    if (arena_init(a, 2 * bytes + 64) != 0)
        return -1;
    e->key_cache = arena_take(a, bytes);
    e->value_cache = arena_take(a, bytes);
    for (size_t b = 0; b < a->used; b += 4096)
        ((volatile char *)a->base)[b] = 0;
    return 0;
}

/* n floats, zeroed, in cache lines of their own: a thread's buffers must
 * not share a line with another thread's (each write would pull the line
 * away from the other core). */
static float *own_floats(size_t n)
{
    const size_t bytes = (n * sizeof(float) + 63) / 64 * 64 + 64;
    float *f = aligned_alloc(64, bytes);
    if (f)
        memset(f, 0, bytes);
    return f;
}

/* Where thread t of n begins in `total` items cut evenly (thread n: the
 * end), at multiples of `unit` where total is one (int8 groups stay
 * whole). More threads than items leave some threads none: their term of
 * the sum is zero. */
static int cut_at(int total, int t, int n, int unit)
{
    if (total % unit != 0)
        unit = 1;
    return (int)((long long)(total / unit) * t / n) * unit;
}

/* Each thread's key/value heads and hidden units (the layout of wo and w2
 * follows them: set before init_layers). */
static int init_parts(FastEngine *e)
{
    const int n = e->pool.n;
    e->parts = aligned_alloc(64, (size_t)n * sizeof *e->parts);
    if (!e->parts)
        return -1;
    memset(e->parts, 0, (size_t)n * sizeof *e->parts);
    for (int t = 0; t < n; t++) {
        Part *p = &e->parts[t];
        p->g0 = cut_at(e->c.n_kv_heads, t, n, 1);
        p->g1 = cut_at(e->c.n_kv_heads, t + 1, n, 1);
        p->u0 = cut_at(e->c.hidden_dim, t, n, GS);
        p->u1 = cut_at(e->c.hidden_dim, t + 1, n, GS);
    }
    return 0;
}

static int init_part_buffers(const FastEngine *e, Part *p)
{
    const Config *c = &e->c;
    const size_t dim = (size_t)c->dim, groups = (size_t)(p->g1 - p->g0);
    const size_t units = (size_t)(p->u1 - p->u0);
    const size_t widest = dim > units ? dim : units;
    p->x = own_floats(dim);
    p->xb = own_floats(dim);
    p->qkv = own_floats(groups * (size_t)group_rows(e));
    p->att = own_floats((size_t)c->seq_len);
    p->out = own_floats(groups * (size_t)group_cols(e));
    p->h13 = own_floats(2 * units);
    p->hb = own_floats(units);
    p->term[0] = own_floats(dim);
    p->term[1] = own_floats(dim);
    p->in.q = malloc(widest + 1);
    p->in.s = malloc((widest / GS + 1) * sizeof(float));
    return p->x && p->xb && p->qkv && p->att && p->out && p->h13 && p->hb &&
                   p->term[0] && p->term[1] && p->in.q && p->in.s
               ? 0
               : -1;
}

static void free_part_buffers(Part *p)
{
    free(p->x);
    free(p->xb);
    free(p->qkv);
    free(p->att);
    free(p->out);
    free(p->h13);
    free(p->hb);
    free(p->term[0]);
    free(p->term[1]);
    free(p->in.q);
    free(p->in.s);
}

static int init_state(FastEngine *e)
{
    const Config *c = &e->c;
    const int n = e->pool.n;
    const size_t half = (size_t)e->head_size / 2;
    if (init_kv_cache(e) != 0)
        return -1;
    for (int t = 0; t < n; t++)
        if (init_part_buffers(e, &e->parts[t]) != 0)
            return -1;
    e->logits = own_floats((size_t)c->vocab_size);
    e->rope_cos = calloc((size_t)c->seq_len * half + 1, sizeof(float));
    e->rope_sin = calloc((size_t)c->seq_len * half + 1, sizeof(float));
    e->share = calloc((size_t)n, sizeof *e->share);
    e->cls_rows = calloc((size_t)n + 1, sizeof *e->cls_rows);
    if (!e->logits || !e->rope_cos || !e->rope_sin || !e->share || !e->cls_rows)
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

/* ---- picking the reader -------------------------------------------------
 */

/* Up to this many bytes of weights per timed pass: all of a small model,
 * the first layers of a large one (the choice must not cost seconds). */
#define PROBE_BYTES (64u << 20)
#define PROBE_ROUNDS 5

/* Seconds for one step with e->reader, exactly as fast_forward takes it
 * (the same meetings and attention), over as many layers as PROBE_BYTES
 * allows. The step is token 0 at position 0: the state it leaves is
 * overwritten by the first real step, which is at position 0. */
static double probe_step(FastEngine *e)
{
    const Config *c = &e->c;
    const size_t layer = layer_floats(e) * sizeof(float);
    size_t bytes = 0;
    int layers = 0;
    for (; layers < c->n_layers && bytes < PROBE_BYTES; layers++)
        bytes += layer;
    const double t0 = now_s();
    run_step(e, 0, 0, layers, bytes < PROBE_BYTES);
    return now_s() - t0;
}

/* Times a step with every reader PROBE_ROUNDS times (taking turns, so that
 * a noisy moment hurts them alike), keeps the one with the fastest step. */
static void pick_reader(FastEngine *e)
{
    double best[N_READERS];
    probe_step(e); /* warm-up: page faults, caches */
    for (int r = 0; r < PROBE_ROUNDS; r++)
        for (int v = 0; v < N_READERS; v++) {
            e->reader = &READERS[v];
            const double t = probe_step(e);
            best[v] = r == 0 || t < best[v] ? t : best[v];
        }
    int pick = 0;
    for (int v = 1; v < N_READERS; v++)
        if (best[v] < best[pick])
            pick = v;
    e->reader = &READERS[pick];
}

FastEngine *fast_new(const Config *c, const TransformerWeights *w,
                     int n_threads, int quant)
{
    if (n_threads < 1 || (quant != 32 && quant != 8))
        return NULL;
    /* aligned: the pool's lines must not share a line with anything */
    FastEngine *e = aligned_alloc(64, (sizeof *e + 63) / 64 * 64);
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    e->c = *c;
    e->w = *w;
    e->quant = quant;
    e->head_size = c->dim / c->n_heads;
    e->kv_dim = e->head_size * c->n_kv_heads;
    e->reader = &READERS[0];
    if (pool_init(&e->pool, n_threads) != 0 || init_parts(e) != 0 ||
        init_layers(e) != 0 || init_state(e) != 0) {
        fast_free(e);
        return NULL;
    }
    if (quant == 32)
        pick_reader(e);
    return e;
}

void fast_free(FastEngine *e)
{
    if (!e)
        return;
    pool_free(&e->pool);
    for (int l = 0; e->layers && l < e->c.n_layers; l++) {
        free(e->layers[l].wo);
        free(e->layers[l].w2);
    }
    free(e->layers);
    arena_free(&e->arena);
    for (int t = 0; e->parts && t < e->pool.n; t++)
        free_part_buffers(&e->parts[t]);
    free(e->parts);
    free(e->logits);
    free(e->share);
    free(e->cls_rows);
    arena_free(&e->kv_arena);
    free(e->rope_cos);
    free(e->rope_sin);
    free(e);
}

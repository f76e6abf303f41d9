/* membw.c: streaming memory read bandwidth, for grader/bench/engine.sh.
 *
 *   membw BYTES THREADS [PASSES]
 *
 * Each thread sums its slice of a BYTES-long float buffer with many
 * independent accumulators (so the loop is bound by memory, not by adds).
 * The fastest way of reading it is picked first (below), then the buffer
 * is read PASSES times (default 256) without a pause, and the sustained
 * GB/s (1e9 bytes/s) is printed: like an engine's tokens per second, an
 * average over many passes, not the luckiest single one. A decoding LLM
 * engine does the same thing to its weights once per token, which is why
 * this number bounds its tokens per second. Pass the bytes the engine
 * reads per token: a buffer of that size, read over and over, meets the
 * same caches as the engine's weights (a model that fits in the last-level
 * cache is bounded by the cache, one that does not by DRAM). */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE, MAP_ANONYMOUS */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/mman.h>

/* How a reader walks its slice: from a buffer in plain 4 KiB pages or in
 * 2 MiB ones (transparent huge pages, where the kernel offers them: the
 * reference engine asks for them), with software prefetch some floats
 * ahead or none (all left to the hardware prefetcher), cut into `streams`
 * parts read side by side (more reads in flight). Every combination is
 * measured and the fastest counts, so the bound is the best a plain read
 * achieves, with every trick an engine may use. */
static const size_t PREFETCH[] = {0, 1024};
static const int STREAMS[] = {1, 2, 4, 8};
enum {
    N_PAGES = 2, /* 0: 4 KiB pages, 1: 2 MiB pages */
    N_PREFETCH = sizeof PREFETCH / sizeof PREFETCH[0],
    N_STREAMS = sizeof STREAMS / sizeof STREAMS[0],
    N_VARIANTS = N_PAGES * N_PREFETCH * N_STREAMS,
};

/* Variant v's page kind, prefetch distance and streams. */
static int pages_of(int v)
{
    return v / (N_PREFETCH * N_STREAMS);
}
static size_t prefetch_of(int v)
{
    return PREFETCH[v % N_PREFETCH];
}
static int streams_of(int v)
{
    return STREAMS[v / N_PREFETCH % N_STREAMS];
}

typedef struct {
    const float *p;
    size_t n, ahead;
    int streams, passes;
    pthread_barrier_t *start;
    float sum;
    double t0, t1; /* timed inside the thread: the main thread may be
                      descheduled while the readers already run */
} Slice;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef float v8f __attribute__((vector_size(32), aligned(4)));

static inline void prefetch(const float *p, size_t ahead)
{
    /* uintptr_t: the address may lie past the buffer, which a prefetch
     * tolerates and pointer arithmetic does not */
    for (int c = 0; c < 4; c++)
        __builtin_prefetch(
            (const void *)((uintptr_t)(p + 16 * c) + ahead * sizeof(float)));
}

/* Sums n floats (a multiple of 64) read as `streams` parts side by side,
 * with eight independent vector accumulators, so the loop waits for
 * memory, not for additions. */
static float sum_floats(const float *restrict p, size_t n, size_t ahead,
                        int streams)
{
    v8f acc[8] = {0};
    const size_t part = n / (size_t)streams / 64 * 64;
    for (size_t i = 0; i < part; i += 64)
        for (int s = 0; s < streams; s++) {
            const float *q = p + (size_t)s * part + i;
            if (ahead)
                prefetch(q, ahead);
            for (int k = 0; k < 8; k++)
                acc[k] += ((const v8f *)q)[k];
        }
    for (size_t i = part * (size_t)streams; i < n; i += 64) /* the rest */
        for (int k = 0; k < 8; k++)
            acc[k] += ((const v8f *)(p + i))[k];
    const v8f s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) +
                  ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

static void *reader(void *arg)
{
    Slice *s = arg;
    pthread_barrier_wait(s->start);
    s->t0 = now_s();
    for (int i = 0; i < s->passes; i++)
        s->sum += sum_floats(s->p, s->n, s->ahead, s->streams);
    s->t1 = now_s();
    return NULL;
}

/* `threads` readers each read their slice of buf[pages_of(v)] (n floats)
 * `passes` times the way variant v says; returns the seconds from the
 * first reader's start to the last reader's end. */
static double timed_read(const float *const buf[N_PAGES], size_t n, int threads,
                         int v, int passes, double *check)
{
    pthread_t tid[256];
    Slice s[256];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    for (int t = 0; t < threads; t++) {
        /* slice bounds on 64-float steps, as sum_floats reads them */
        const size_t a = n / 64 * t / threads * 64;
        const size_t b = n / 64 * (t + 1) / threads * 64;
        s[t] = (Slice){buf[pages_of(v)] + a,
                       b - a,
                       prefetch_of(v),
                       streams_of(v),
                       passes,
                       &start,
                       0.0f,
                       0.0,
                       0.0};
        pthread_create(&tid[t], NULL, reader, &s[t]);
    }
    pthread_barrier_wait(&start);
    double t0 = 1e300, t1 = 0.0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tid[t], NULL);
        t0 = s[t].t0 < t0 ? s[t].t0 : t0;
        t1 = s[t].t1 > t1 ? s[t].t1 : t1;
        *check += s[t].sum;
    }
    pthread_barrier_destroy(&start);
    return t1 - t0;
}

/* A buffer of `bytes` (a multiple of 256) of anonymous memory, in 2 MiB
 * pages where the kernel offers them when `huge`, every page touched (no
 * faults while timing); NULL on failure. Free with munmap(buf, bytes). */
static float *new_buffer(size_t bytes, int huge)
{
    float *buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED)
        return NULL;
#if defined(MADV_HUGEPAGE)
    if (huge)
        madvise(buf, bytes, MADV_HUGEPAGE); /* a hint: failure is fine */
#else
    (void)huge;
#endif
    for (size_t i = 0; i < bytes / sizeof(float); i++)
        buf[i] = (float)(i & 1023);
    return buf;
}

/* The fastest way to read buf: each variant reads it twice, the best
 * single pass wins. */
static int fastest_variant(const float *const buf[N_PAGES], size_t n,
                           int threads, double *check)
{
    int best_v = 0;
    double best_dt = 1e300;
    for (int v = 0; v < N_VARIANTS; v++)
        for (int r = 0; r < 2; r++) {
            const double dt = timed_read(buf, n, threads, v, 1, check);
            if (dt < best_dt) {
                best_dt = dt;
                best_v = v;
            }
        }
    return best_v;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: membw BYTES THREADS [PASSES]\n");
        return 2;
    }
    /* whole 64-float blocks, as sum_floats reads them */
    size_t bytes = (size_t)strtoull(argv[1], NULL, 10) / 256 * 256;
    const int threads = atoi(argv[2]);
    const int passes = argc > 3 ? atoi(argv[3]) : 256;
    if (bytes == 0 || threads < 1 || threads > 256 || passes < 1) {
        fprintf(stderr, "membw: bad arguments\n");
        return 2;
    }
    float *plain = new_buffer(bytes, 0), *huge = new_buffer(bytes, 1);
    if (!plain || !huge) {
        fprintf(stderr, "membw: cannot allocate 2 x %zu bytes\n", bytes);
        return 1;
    }
    const float *const buf[N_PAGES] = {plain, huge};
    const size_t n = bytes / sizeof(float);
    double check = 0.0;
    for (int k = 0; k < N_PAGES; k++) /* warm-up: caches, page tables */
        timed_read(buf, n, threads, k * N_PREFETCH * N_STREAMS, 1, &check);
    const int v = fastest_variant(buf, n, threads, &check);
    const double dt = timed_read(buf, n, threads, v, passes, &check);
    printf("%.2f\n", (double)bytes * passes / dt / 1e9);
    fprintf(stderr,
            "(%d passes, %s pages, prefetch %zu floats, %d streams; "
            "checksum %g)\n",
            passes, pages_of(v) ? "2 MiB" : "4 KiB", prefetch_of(v),
            streams_of(v), check);
    munmap(plain, bytes);
    munmap(huge, bytes);
    return 0;
}

/* membw.c: streaming memory read bandwidth, for grader/bench/engine.sh.
 *
 *   membw MIB THREADS [REPEATS]
 *
 * Each thread sums its slice of a MIB-mebibyte float buffer with many
 * independent accumulators (so the loop is bound by memory, not by adds);
 * prints the best GB/s (1e9 bytes/s) over REPEATS passes. A decoding LLM
 * engine does the same thing to its weights once per token, which is why
 * this number bounds its tokens per second. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { LANES = 64 };

typedef struct {
    const float *p;
    size_t n;
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

static float sum_floats(const float *restrict p, size_t n)
{
    float acc[LANES] = {0};
    for (size_t i = 0; i + LANES <= n; i += LANES)
        for (int k = 0; k < LANES; k++)
            acc[k] += p[i + k];
    float s = 0.0f;
    for (int k = 0; k < LANES; k++)
        s += acc[k];
    return s;
}

static void *reader(void *arg)
{
    Slice *s = arg;
    pthread_barrier_wait(s->start);
    s->t0 = now_s();
    s->sum = sum_floats(s->p, s->n);
    s->t1 = now_s();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: membw MIB THREADS [REPEATS]\n");
        return 2;
    }
    const size_t bytes = (size_t)atol(argv[1]) << 20;
    const int threads = atoi(argv[2]);
    const int repeats = argc > 3 ? atoi(argv[3]) : 10;
    if (bytes == 0 || threads < 1 || threads > 256 || repeats < 1) {
        fprintf(stderr, "membw: bad arguments\n");
        return 2;
    }
    const size_t n = bytes / sizeof(float);
    float *buf = malloc(n * sizeof(float));
    if (!buf)
        return 1;
    for (size_t i = 0; i < n; i++) /* touch every page: no faults later */
        buf[i] = (float)(i & 1023);
    double best = 0.0, check = 0.0;
    for (int r = 0; r < repeats; r++) {
        pthread_t tid[256];
        Slice s[256];
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
        for (int t = 0; t < threads; t++) {
            const size_t a = n * t / threads, b = n * (t + 1) / threads;
            s[t] = (Slice){buf + a, b - a, &start, 0.0f, 0.0, 0.0};
            pthread_create(&tid[t], NULL, reader, &s[t]);
        }
        pthread_barrier_wait(&start);
        double t0 = 1e300, t1 = 0.0;
        for (int t = 0; t < threads; t++) {
            pthread_join(tid[t], NULL);
            t0 = s[t].t0 < t0 ? s[t].t0 : t0;
            t1 = s[t].t1 > t1 ? s[t].t1 : t1;
        }
        const double dt = t1 - t0;
        pthread_barrier_destroy(&start);
        for (int t = 0; t < threads; t++)
            check += s[t].sum;
        if (bytes / dt > best)
            best = bytes / dt;
    }
    printf("%.2f\n", best / 1e9);
    fprintf(stderr, "(checksum %g)\n", check);
    free(buf);
    return 0;
}

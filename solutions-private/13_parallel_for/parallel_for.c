/* 13_parallel_for: reference solution. */
#include "parallel_for.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct chunk {
    pf_body body;
    void *ctx;
    size_t begin, end;
    int tid;
} chunk;

static void *run_chunk(void *arg)
{
    const chunk *c = arg;
    c->body(c->ctx, c->begin, c->end, c->tid);
    return NULL;
}

int parallel_for(size_t n, int nthreads, pf_body body, void *ctx)
{
    if (nthreads < 1 || body == NULL)
        return -1;
    const size_t T = (size_t)nthreads;
    chunk *chunks = calloc(T, sizeof *chunks);
    pthread_t *threads = calloc(T, sizeof *threads);
    unsigned char *started = calloc(T, 1);
    int rc = 0;
    if (chunks == NULL || threads == NULL || started == NULL) {
        rc = -1;
        goto out;
    }
    for (size_t t = 0; t < T; t++) {
        /* (t*n)/T without overflow for any n: split n = q*T + r */
        const size_t q = n / T, r = n % T;
        chunks[t] = (chunk){body, ctx, t * q + t * r / T,
                            (t + 1) * q + (t + 1) * r / T, (int)t};
    }
    /* chunk 0 runs on the calling thread, after the others have started */
    for (size_t t = 1; t < T; t++) {
        if (chunks[t].begin == chunks[t].end)
            continue;
        if (pthread_create(&threads[t], NULL, run_chunk, &chunks[t]) != 0) {
            rc = -1; /* still join the ones already running */
            break;
        }
        started[t] = 1;
    }
    if (rc == 0 && chunks[0].begin < chunks[0].end)
        run_chunk(&chunks[0]);
    for (size_t t = 1; t < T; t++)
        if (started[t])
            pthread_join(threads[t], NULL);
out:
    free(started);
    free(threads);
    free(chunks);
    return rc;
}

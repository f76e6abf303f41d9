/* 13_parallel_for: a parallel-for on POSIX threads. Edit this file until
 * `make check EX=13_parallel_for` passes.
 *
 * Lecture: lectures/02_tensors.md#threads-and-a-parallel-for
 */
#include "parallel_for.h"

#include <pthread.h>
#include <stdlib.h>

int parallel_for(size_t n, int nthreads, pf_body body, void *ctx)
{
    /* TODO:
     * 1. reject nthreads < 1 and body == NULL (return -1);
     * 2. compute each chunk [t*n/T, (t+1)*n/T) into its own struct (one per
     *    thread: a thread reads its argument after pthread_create returns);
     * 3. pthread_create a thread per non-empty chunk (or run one chunk on
     *    the calling thread), then pthread_join every thread you started. */
    (void)n;
    (void)nthreads;
    (void)body;
    (void)ctx;
    return 0;
}

/* parallel_for.h: the interface of exercise 13_parallel_for (do not edit).
 *
 * Lecture: lectures/02_tensors.md#threads-and-a-parallel-for
 */
#ifndef PARALLEL_FOR_H
#define PARALLEL_FOR_H

#include <stddef.h>

/* The work: handle every index in [begin, end). tid is the number (0 ..
 * nthreads-1) of the chunk; ctx is passed through unchanged. */
typedef void (*pf_body)(void *ctx, size_t begin, size_t end, int tid);

/* Runs body over the indices 0..n-1 on nthreads POSIX threads at the same
 * time, with STATIC chunking: chunk t (t = 0..nthreads-1) is
 *
 *     [t*n/nthreads, (t+1)*n/nthreads)        (integer division)
 *
 * and runs on its own thread (the calling thread may run one chunk). The
 * body is called exactly once per non-empty chunk and never with an empty
 * range, so n < nthreads and n == 0 work. Returns after every chunk has
 * finished (all threads joined): 0 on success, -1 when nthreads < 1, body
 * is NULL, or a thread cannot be created. */
int parallel_for(size_t n, int nthreads, pf_body body, void *ctx);

#endif /* PARALLEL_FOR_H */

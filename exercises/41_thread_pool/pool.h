/* pool.h: the interface of exercise 41_thread_pool (do not edit).
 *
 * A pool of threads that live as long as the pool, for work that is cut the
 * same way again and again (every token of the engine of 42_fast_engine):
 * the caller posts a job, every thread of the pool runs it on its own part,
 * and inside the job the threads meet (a barrier) wherever one part needs
 * what the others computed.
 *
 *     Pool *p = pool_new(3);     caller + 2 workers, started once
 *     pool_run(p, job, &ctx);    job(&ctx, 0) here, job(&ctx, 1), job(&ctx, 2)
 *     pool_run(p, job, &ctx);    on the workers; returns when all three have
 *     pool_free(p);              returned
 *
 * Lecture: lectures/05_engine.md#threads-that-stay-alive
 */
#ifndef POOL_H
#define POOL_H

typedef struct Pool Pool;

/* The work of one thread of the pool: `thread` is its number, 0 .. n-1. */
typedef void (*pool_job)(void *ctx, int thread);

/* A pool of n threads in all: the calling thread (thread 0) and n - 1
 * worker threads, started here and kept until pool_free. Returns NULL when
 * n < 1, when out of memory, or when a thread cannot be started (then no
 * thread of the pool is left running). */
Pool *pool_new(int n);

/* n, the number of threads of the pool (the caller included). */
int pool_size(const Pool *p);

/* Runs job(ctx, t) once for every t in 0 .. n-1, at the same time: t = 0 on
 * the calling thread, every other t on its own worker (the same worker for
 * the same t in every run). Returns when every call has returned. What the
 * caller wrote before is visible to every call; what the calls wrote is
 * visible to the caller after. One run at a time, from the thread that
 * created the pool. */
void pool_run(Pool *p, pool_job job, void *ctx);

/* A meeting, called inside a job by every thread of the pool: returns to
 * thread `thread` once all n threads have called it (the k-th call of each
 * thread in a run meets the k-th call of every other). What a thread wrote
 * before its call is visible to every thread after the meeting. Every
 * thread must call it equally often in a run. With n == 1 it returns at
 * once. */
void pool_meet(Pool *p, int thread);

/* Stops the workers (sleeping ones included), waits for them to end and
 * frees the pool. NULL is fine. */
void pool_free(Pool *p);

#endif /* POOL_H */

/* perf_fast.c: the judge's timing driver for 42_fast_engine (grader/README.md,
 * "Performance in judge mode"). Students: you never need it; local grading
 * times your engine in test_fast.c.
 *
 * One run: an engine for a model shaped like stories15M (int8 weights, as
 * many threads as test_fast.c uses), one warm-up token, then the timed
 * part: a new sequence of seeded tokens at positions 0 .. n-1 (n from the
 * case, LL_PERF_CASE), on the wall clock. The logits of the last position
 * are checked against the naive engine's, within what int8 weights may
 * change (the reference solution's run gives the expected values). The
 * grader times the same driver with the naive engine (baseline_fast.c) and
 * with an empty stub, in turn. fast_new's own work (copying and
 * quantising the weights, starting threads) happens before the timed part,
 * so the manifest does not check the work done before it. */
#define _POSIX_C_SOURCE 200809L /* sysconf */
#include "fast.h"
#include "llmlings.h"
#include "perf_naive.h"
#include "tinymodel/tinymodel.h"

#include <unistd.h>

enum { MOST_THREADS = 8, MOST_POSITIONS = 256 };

/* A logit may differ from the naive engine's by the model's RMS logit
 * plus a quarter of its own size: int8 weights move the logits by about
 * 0.04 (at most 0.10) of their RMS (test_fast.c, INT8_TOLERANCE), while a
 * stale or skipped position, or a wrong engine, moves many of the 32000 by
 * several times it. */
static void expected_logits(const Checkpoint *ck, const int *tokens, int n,
                            float *want, float *tol)
{
    Naive m;
    naive_init(&m, &ck->config, &ck->weights);
    const float *logits = NULL;
    for (int pos = 0; pos < n; pos++)
        logits = naive_forward(&m, tokens[pos], pos);
    const int V = ck->config.vocab_size;
    double ss = 0;
    for (int i = 0; i < V; i++)
        ss += (double)logits[i] * logits[i];
    const float rms = (float)sqrt(ss / V);
    for (int i = 0; i < V; i++) {
        want[i] = logits[i];
        tol[i] = rms + 0.25f * fabsf(logits[i]);
    }
    naive_free(&m);
}

LL_PERF_DRIVER(fast, speedup_vs_naive)
{
    const int n = atoi(ll_perf_case("24"));
    LL_CHECK(n >= 1 && n <= MOST_POSITIONS,
             "the perf case must be a number of positions from 1 to 256");
    size_t size = 0;
    unsigned char *bytes = tm_checkpoint_build(&TM_STORIES15M, &size);
    LL_CHECK_NOT_NULL(bytes, "tm_checkpoint_build (driver setup)");
    Checkpoint ck;
    LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, bytes, size), CK_OK,
                    "checkpoint_from_memory (35)");
    const Config *c = &ck.config;
    const int V = c->vocab_size;
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    const int threads = cpus < 1              ? 1
                        : cpus > MOST_THREADS ? MOST_THREADS
                                              : (int)cpus;
    int tokens[MOST_POSITIONS];
    for (int i = 0; i < n; i++)
        tokens[i] = (int)ll_rand_int(0, V - 1);
    FastEngine *e = fast_new(c, &ck.weights, threads, 8);
    LL_CHECK_NOT_NULL(e, "fast_new(stories15M shape, int8)");
    LL_CHECK_NOT_NULL(fast_forward(e, 1, 0), "fast_forward (warm-up)");

    const float *logits = NULL;
    ll_perf_begin();
    for (int pos = 0; pos < n; pos++)
        logits = fast_forward(e, tokens[pos], pos);
    ll_perf_end();

    LL_CHECK_NOT_NULL(logits, "fast_forward (the timed sequence)");
    float *want = ll_alloc((size_t)V * sizeof *want);
    float *tol = ll_alloc((size_t)V * sizeof *tol);
    LL_ORACLE
    {
        expected_logits(&ck, tokens, n, want, tol);
    }
    LL_CHECK_FLOATS_WITHIN(logits, want, tol, (size_t)V,
                           "fast_forward: the logits at the last position of "
                           "the timed sequence (expected: the naive engine, "
                           "float32)");
    free(tol);
    free(want);
    fast_free(e);
    free(bytes);
}

/* 42_fast_engine: the forward pass of 38, fast.
 *
 * Lecture: lectures/05_engine.md#making-it-fast
 *
 * Plan (measure after every step, e.g. with grader/bench/engine.sh):
 *   1. correct first: the same computation as your forward() of 38;
 *   2. vectorisable dot products (several independent accumulators), then
 *      several rows at once taken from distant parts of a matrix (more
 *      memory streams in flight), perhaps __builtin_prefetch a page ahead;
 *      how many rows, and whether prefetch helps, depends on the machine:
 *      measure each;
 *   3. threads that live as long as the engine and split matrix rows;
 *      then let them meet less often (the lecture's item 4);
 *   4. int8 weights (quant == 8): a quarter of the bytes per token.
 */
#include "fast.h"

#include "ffn.h"     /* your 37_ffn_swiglu */
#include "norms.h"   /* your 28_norms */
#include "rope.h"    /* your 29_rope */
#include "softmax.h" /* your 27_softmax */

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct FastEngine {
    Config c;
    TransformerWeights w;
    float *logits;
    /* TODO: your activations, KV cache, quantised weights, threads... */
};

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
    e->logits = calloc((size_t)c->vocab_size, sizeof(float));
    if (!e->logits) {
        free(e);
        return NULL;
    }
    /* TODO: allocate the state, quantise the weights, start the threads */
    return e;
}

float *fast_forward(FastEngine *e, int token, int pos)
{
    /* TODO: the forward pass. */
    (void)token;
    (void)pos;
    return e->logits;
}

void fast_free(FastEngine *e)
{
    if (!e)
        return;
    /* TODO: stop the threads, free what you allocated */
    free(e->logits);
    free(e);
}

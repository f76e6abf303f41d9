/* baseline_fast.c: what the judge times 42_fast_engine against
 * (perf_fast.c): the naive engine of perf_naive.h, one thread, float32
 * weights, whatever the thread count and format asked for. Built with
 * -DLL_PERF_NULL it is the empty stub instead (logits left as they are),
 * whose time is the driver's own cost, taken off both sides of the ratio. */
#include "fast.h"
#include "perf_naive.h"

struct FastEngine {
    Naive naive;
};

FastEngine *fast_new(const Config *c, const TransformerWeights *w,
                     int n_threads, int quant)
{
    if (n_threads < 1 || (quant != 32 && quant != 8))
        return NULL;
    FastEngine *e = calloc(1, sizeof *e);
    if (e != NULL)
        naive_init(&e->naive, c, w);
    return e;
}

float *fast_forward(FastEngine *e, int token, int pos)
{
#ifdef LL_PERF_NULL
    (void)token;
    (void)pos;
    return e->naive.logits;
#else
    return naive_forward(&e->naive, token, pos);
#endif
}

void fast_free(FastEngine *e)
{
    if (e == NULL)
        return;
    naive_free(&e->naive);
    free(e);
}

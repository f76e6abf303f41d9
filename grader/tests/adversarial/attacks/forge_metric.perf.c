/* forge_metric: a plain loop (as fast as the baseline), plus a forged
 * speed: ll_metric, found at run time through /proc/self/exe's symbol
 * table, reports a ratio of one million before the test measures. */
#include "perf.h"

typedef void (*metric_fn)(const char *, double);

double sumsq(const float *x, size_t n)
{
    static int forged;
    if (!forged) {
        forged = 1;
        metric_fn metric = (metric_fn)adv_find("cirtem_ll");
        if (metric != NULL)
            metric("ratio", 1e6);
    }
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)x[i] * x[i];
    return s;
}

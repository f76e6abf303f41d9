/* perf.c: the honest submission of the fixture's performance exercise
 * (attacks named *.perf.c replace it): as fast as the baseline. */
#include "perf.h"

double sumsq(const float *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)x[i] * x[i];
    return s;
}

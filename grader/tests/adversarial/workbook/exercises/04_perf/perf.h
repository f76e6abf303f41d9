/* perf.h: the adversarial fixture's performance exercise. */
#ifndef PERF_H
#define PERF_H

#include <stddef.h>

/* The sum of x[i] * x[i] for i < n, in double. */
double sumsq(const float *x, size_t n);

#endif

/* reduce.h: the API of exercise 26_opencl_local, a sum computed by a
 * work-group tree reduction in local memory (see README.md). The kernel is
 * in reduce.cl, the host code in reduce_host.c; both are yours. */
#ifndef REDUCE_H
#define REDUCE_H

#include <stddef.h>

/* Runs the kernel `partial_sums` of reduce.cl on x[0..n) with work-groups
 * of local_size work-items (a power of two, at most 256; n need not be a
 * multiple of it): partial[g] receives the sum of the elements
 * x[g*local_size .. min(n, (g+1)*local_size)). Returns the number of
 * groups, ceil(n / local_size) (at most cap are written), or -1 with a
 * reason (or the build log) in log. */
long ocl_partial_sums(const float *x, size_t n, size_t local_size,
                      float *partial, size_t cap, char *log, size_t log_cap);

/* The sum of x[0..n): the partial sums of the work-groups, added on the
 * host in double. Returns 0, or -1 with a reason in log. */
int ocl_sum(const float *x, size_t n, size_t local_size, double *sum, char *log,
            size_t log_cap);

#endif

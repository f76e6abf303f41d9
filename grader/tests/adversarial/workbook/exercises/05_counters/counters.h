/* counters.h: the adversarial fixture's counter-graded CUDA exercise. */
#ifndef COUNTERS_H
#define COUNTERS_H

#ifdef __cplusplus
extern "C" {
#endif

enum { COUNTERS_N = 8192 };

/* y[i] = 3 * x[i] for i < COUNTERS_N, computed by a kernel; x and y are
 * host arrays. Graded by the global memory sectors its kernels move.
 * Returns 0 (cudaSuccess) or the first CUDA error. */
int triple(const float *x, float *y);

#ifdef __cplusplus
}
#endif

#endif

/* gpu.h: the adversarial fixture's CUDA exercise. */
#ifndef GPU_H
#define GPU_H

#ifdef __cplusplus
extern "C" {
#endif

/* y[i] = 2 * x[i] + 1 for i < n, computed by a kernel; x and y are host
 * arrays. Returns 0 (cudaSuccess) or the first CUDA error. */
int gpu_scale(const float *x, float *y, int n);

#ifdef __cplusplus
}
#endif

#endif

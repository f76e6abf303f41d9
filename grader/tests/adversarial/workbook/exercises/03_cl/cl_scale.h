/* cl_scale.h: the adversarial fixture's OpenCL exercise. */
#ifndef CL_SCALE_H
#define CL_SCALE_H

#include <stddef.h>

/* y[i] = 2 * x[i] + 1 for i < n, computed by an OpenCL kernel on the first
 * device; x and y are host arrays. Returns 0, or -1 on an OpenCL error. */
int cl_scale(const float *x, float *y, size_t n);

#endif

/* 28_norms: reference solution. */
#include "norms.h"

#include <math.h>

void rmsnorm(float *out, const float *x, const float *weight, int n, float eps)
{
    float ss = 0.0f;
    for (int i = 0; i < n; i++)
        ss += x[i] * x[i];
    const float inv = 1.0f / sqrtf(ss / (float)n + eps);
    for (int i = 0; i < n; i++)
        out[i] = weight[i] * (x[i] * inv);
}

void layernorm(float *out, const float *x, const float *weight,
               const float *bias, int n, float eps)
{
    /* two passes: the mean first, then squares of the centred values. The
     * one-pass E[x^2] - E[x]^2 cancels catastrophically when |mean| >> std. */
    float sum = 0.0f;
    for (int i = 0; i < n; i++)
        sum += x[i];
    const float mu = sum / (float)n;
    float ss = 0.0f;
    for (int i = 0; i < n; i++)
        ss += (x[i] - mu) * (x[i] - mu);
    const float inv = 1.0f / sqrtf(ss / (float)n + eps);
    for (int i = 0; i < n; i++)
        out[i] = weight[i] * ((x[i] - mu) * inv) + bias[i];
}

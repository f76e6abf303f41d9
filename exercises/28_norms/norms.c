/* 28_norms: RMSNorm and LayerNorm.
 *
 * Lecture: lectures/04_attention.md#normalization-rmsnorm-and-layernorm
 *
 * Later exercises link this file: keep every helper you add `static`.
 */
#include "norms.h"

#include <math.h>

void rmsnorm(float *out, const float *x, const float *weight, int n, float eps)
{
    /* TODO: the root mean square of x (eps goes inside the square root),
     * then scale every x[i] by weight[i] / rms. out may alias x. */
    (void)x;
    (void)weight;
    (void)eps;
    for (int i = 0; i < n; i++)
        out[i] = 0.0f;
}

void layernorm(float *out, const float *x, const float *weight,
               const float *bias, int n, float eps)
{
    /* TODO: the mean, then the variance of (x - mean) in a second pass
     * (why not E[x^2] - E[x]^2? see the lecture), then scale and shift. */
    (void)x;
    (void)weight;
    (void)bias;
    (void)eps;
    for (int i = 0; i < n; i++)
        out[i] = 0.0f;
}

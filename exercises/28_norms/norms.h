/* norms.h: the interface of exercise 28_norms (do not edit).
 *
 * The inference engine (chapter 5) links your norms.c.
 */
#ifndef NORMS_H
#define NORMS_H

/* RMSNorm (llama): out[i] = weight[i] * x[i] / sqrt(mean(x^2) + eps),
 * the mean taken over the n entries. out may be the same array as x. */
void rmsnorm(float *out, const float *x, const float *weight, int n, float eps);

/* LayerNorm: out[i] = weight[i] * (x[i] - mu) / sqrt(var + eps) + bias[i]
 * with mu = mean(x) and var = mean((x - mu)^2) (the population variance,
 * divided by n). out may be the same array as x. */
void layernorm(float *out, const float *x, const float *weight,
               const float *bias, int n, float eps);

#endif

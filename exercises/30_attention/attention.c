/* 30_attention: causal scaled-dot-product attention for one head.
 *
 * Lecture: lectures/04_attention.md#scaled-dot-product-attention
 *
 * Your softmax() from 27_softmax is linked in: #include "softmax.h" and use
 * it. Later exercises link this file: keep every helper you add `static`.
 */
#include "attention.h"

#include "softmax.h"

#include <math.h>
#include <stdlib.h>

void attend(float *out, const float *q, const float *k, const float *v,
            int n_keys, int d)
{
    /* TODO: scores s[j] = q . k[j] / sqrt(d) (a buffer of n_keys floats),
     * softmax them, then out = sum of s[j] * v[j]. With no keys, out = 0. */
    (void)out;
    (void)q;
    (void)k;
    (void)v;
    (void)n_keys;
    (void)d;
}

void attention(float *out, const float *q, const float *k, const float *v,
               int T, int d)
{
    /* TODO: row t of out attends to keys and values 0..t only. */
    (void)out;
    (void)q;
    (void)k;
    (void)v;
    (void)T;
    (void)d;
}

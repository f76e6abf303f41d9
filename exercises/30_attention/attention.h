/* attention.h: the interface of exercise 30_attention (do not edit).
 *
 * Matrices are row-major: row t of a [T x d] matrix starts at index t * d.
 * This exercise links your 27_softmax (softmax.h is on the include path).
 */
#ifndef ATTENTION_H
#define ATTENTION_H

/* One query against n_keys keys and values (all visible):
 *
 *     s[j]  = (q . k[j]) / sqrt(d)            j = 0 .. n_keys-1
 *     p     = softmax(s)
 *     out   = sum_j p[j] * v[j]               (d floats)
 *
 * k and v are [n_keys x d]. n_keys == 0 (every key masked) gives out = 0. */
void attend(float *out, const float *q, const float *k, const float *v,
            int n_keys, int d);

/* Causal scaled-dot-product attention of one head over a sequence:
 * row t of out is attend(q[t], k[0..t], v[0..t]), i.e. position t sees the
 * positions 0..t and never the future. q, k, v, out are [T x d], T >= 1. */
void attention(float *out, const float *q, const float *k, const float *v,
               int T, int d);

#endif

/* ffn.h: the interface of exercise 37_ffn_swiglu (do not edit).
 *
 * The feed-forward network of every llama layer:
 *
 *     out = W2 . ( silu(W1 . x)  *  (W3 . x) )        (* elementwise)
 *
 * with x and out of length dim, W1 and W3 (hidden_dim, dim), W2
 * (dim, hidden_dim), all row-major float32, and silu(v) = v * sigmoid(v). */
#ifndef FFN_H
#define FFN_H

/* xout (d) = W (d, n) . x (n): row i of W is w[i*n .. i*n + n). */
void matmul(float *xout, const float *x, const float *w, int n, int d);

/* v * sigmoid(v) = v / (1 + e^-v). */
float silu(float v);

/* out (dim) = W2 . (silu(W1 . x) * (W3 . x)). hb and hb2 are scratch
 * buffers of hidden_dim floats each (the caller owns them: no allocation in
 * the hot loop). out must not overlap x. */
void swiglu_ffn(float *out, const float *x, const float *w1, const float *w2,
                const float *w3, int dim, int hidden_dim, float *hb,
                float *hb2);

#endif

/* mha.h: the interface of exercise 31_mha_gqa (do not edit).
 *
 * This exercise links your 27_softmax and 30_attention: softmax.h and
 * attention.h are on the include path.
 */
#ifndef MHA_H
#define MHA_H

/* Causal multi-head attention with grouped-query key/value heads.
 *
 *   q, out : [T x n_heads * head_dim]     row t = the heads of position t,
 *   k, v   : [T x n_kv_heads * head_dim]  head h at columns h*head_dim ...
 *
 * n_kv_heads divides n_heads; query head h uses key/value head
 * h / (n_heads / n_kv_heads). n_kv_heads == n_heads is plain multi-head
 * attention, n_kv_heads == 1 is multi-query attention. Each head is causal
 * scaled-dot-product attention with scale 1 / sqrt(head_dim). */
void mha(float *out, const float *q, const float *k, const float *v, int T,
         int n_heads, int n_kv_heads, int head_dim);

#endif

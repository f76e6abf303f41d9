/* 31_mha_gqa: multi-head and grouped-query attention.
 *
 * Lecture: lectures/04_attention.md#multi-head-and-grouped-query-attention
 *
 * Your attention() and attend() from 30_attention are linked in: you may
 * copy each head into contiguous [T x head_dim] buffers and call them, or
 * index the interleaved layout directly. Keep every helper you add `static`.
 */
#include "mha.h"

#include "attention.h"

#include <stdlib.h>
#include <string.h>

void mha(float *out, const float *q, const float *k, const float *v, int T,
         int n_heads, int n_kv_heads, int head_dim)
{
    /* TODO: for every query head h, find its key/value head, run causal
     * attention over the T positions, and write the result into columns
     * h*head_dim .. (h+1)*head_dim-1 of out. Mind the two row strides:
     * n_heads*head_dim for q and out, n_kv_heads*head_dim for k and v. */
    (void)out;
    (void)q;
    (void)k;
    (void)v;
    (void)T;
    (void)n_heads;
    (void)n_kv_heads;
    (void)head_dim;
}

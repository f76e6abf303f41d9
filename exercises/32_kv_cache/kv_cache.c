/* 32_kv_cache: a KV cache and one-token-at-a-time attention.
 *
 * Lecture: lectures/04_attention.md#the-kv-cache
 *
 * Your softmax() from 27_softmax is linked in. Keep every helper you add
 * `static`.
 */
#include "kv_cache.h"

#include "softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int kv_cache_init(kv_cache *c, int n_layers, int n_kv_heads, int head_dim,
                  int max_seq)
{
    /* TODO: check the arguments, set the fields, allocate zeroed k and v
     * (n_layers * max_seq * n_kv_heads * head_dim floats each). On any
     * failure free what you got and leave k and v NULL. */
    (void)n_layers;
    (void)n_kv_heads;
    (void)head_dim;
    (void)max_seq;
    *c = (kv_cache){0, 0, 0, 0, NULL, NULL};
    return -1;
}

void kv_cache_free(kv_cache *c)
{
    /* TODO: free both arrays and forget them. */
    (void)c;
}

int kv_cache_append(kv_cache *c, int layer, int pos, const float *k,
                    const float *v)
{
    /* TODO: bounds-check layer and pos, then copy k and v into the slot of
     * (layer, pos) described in kv_cache.h. */
    (void)c;
    (void)layer;
    (void)pos;
    (void)k;
    (void)v;
    return -1;
}

void kv_cache_attend(float *out, const kv_cache *c, int layer, int pos,
                     const float *q, int n_heads)
{
    /* TODO: for each query head: scores against the cached keys of its kv
     * head at positions 0..pos, softmax, weighted sum of the cached values.
     * Cached rows are n_kv_heads * head_dim floats apart. */
    (void)out;
    (void)c;
    (void)layer;
    (void)pos;
    (void)q;
    (void)n_heads;
}

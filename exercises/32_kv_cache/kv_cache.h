/* kv_cache.h: the interface of exercise 32_kv_cache (do not edit).
 *
 * This exercise links your 27_softmax (softmax.h is on the include path).
 */
#ifndef KV_CACHE_H
#define KV_CACHE_H

/* Keys and values of every layer and every position seen so far, in the
 * llama2.c layout: for layer l and position p, the n_kv_heads * head_dim
 * keys of that position start at
 *
 *     k + ((long)l * max_seq + p) * n_kv_heads * head_dim
 *
 * (kv head h at offset h * head_dim within it); v has the same layout. */
typedef struct {
    int n_layers;
    int n_kv_heads;
    int head_dim;
    int max_seq; /* positions 0 .. max_seq-1 fit */
    float *k;
    float *v;
} kv_cache;

/* Sets the fields and allocates k and v, zero-filled. Returns 0, or -1
 * (with k and v NULL) when an argument is not positive or memory runs out. */
int kv_cache_init(kv_cache *c, int n_layers, int n_kv_heads, int head_dim,
                  int max_seq);

/* Frees k and v and sets them to NULL (calling it twice is harmless). */
void kv_cache_free(kv_cache *c);

/* Stores the keys k and values v (n_kv_heads * head_dim floats each) of
 * position pos in layer `layer`. Returns 0, or -1 without writing anything
 * when layer or pos is out of range. */
int kv_cache_append(kv_cache *c, int layer, int pos, const float *k,
                    const float *v);

/* One decoding step: the query q of the token at position pos (n_heads *
 * head_dim floats, n_heads a multiple of n_kv_heads) attends, head by head,
 * to the cached positions 0..pos of `layer`; query head h uses kv head
 * h / (n_heads / n_kv_heads), scale 1 / sqrt(head_dim). Writes n_heads *
 * head_dim floats to out. Positions 0..pos must have been appended. */
void kv_cache_attend(float *out, const kv_cache *c, int layer, int pos,
                     const float *q, int n_heads);

#endif

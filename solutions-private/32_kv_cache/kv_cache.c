/* 32_kv_cache: reference solution. */
#include "kv_cache.h"

#include "softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int kv_cache_init(kv_cache *c, int n_layers, int n_kv_heads, int head_dim,
                  int max_seq)
{
    *c = (kv_cache){n_layers, n_kv_heads, head_dim, max_seq, NULL, NULL};
    if (n_layers <= 0 || n_kv_heads <= 0 || head_dim <= 0 || max_seq <= 0)
        return -1;
    const size_t n =
        (size_t)n_layers * (size_t)max_seq * (size_t)n_kv_heads * head_dim;
    c->k = calloc(n, sizeof(float));
    c->v = calloc(n, sizeof(float));
    if (c->k == NULL || c->v == NULL) {
        kv_cache_free(c);
        return -1;
    }
    return 0;
}

void kv_cache_free(kv_cache *c)
{
    free(c->k);
    free(c->v);
    c->k = NULL;
    c->v = NULL;
}

/* Offset of (layer, pos) in k and v. */
static size_t slot(const kv_cache *c, int layer, int pos)
{
    return ((size_t)layer * (size_t)c->max_seq + (size_t)pos) *
           (size_t)c->n_kv_heads * (size_t)c->head_dim;
}

int kv_cache_append(kv_cache *c, int layer, int pos, const float *k,
                    const float *v)
{
    if (layer < 0 || layer >= c->n_layers || pos < 0 || pos >= c->max_seq)
        return -1;
    const size_t bytes = sizeof(float) * (size_t)c->n_kv_heads * c->head_dim;
    memcpy(c->k + slot(c, layer, pos), k, bytes);
    memcpy(c->v + slot(c, layer, pos), v, bytes);
    return 0;
}

void kv_cache_attend(float *out, const kv_cache *c, int layer, int pos,
                     const float *q, int n_heads)
{
    const int hd = c->head_dim, kv_dim = c->n_kv_heads * hd;
    const int group = n_heads / c->n_kv_heads;
    const float scale = 1.0f / sqrtf((float)hd);
    const float *kl = c->k + slot(c, layer, 0), *vl = c->v + slot(c, layer, 0);
    float *s = malloc(sizeof(float) * (size_t)(pos + 1));
    if (s == NULL)
        abort();
    for (int h = 0; h < n_heads; h++) {
        const float *qh = q + h * hd;
        const int off = (h / group) * hd; /* this head's kv head */
        for (int t = 0; t <= pos; t++) {
            const float *kt = kl + (long)t * kv_dim + off;
            float dot = 0.0f;
            for (int i = 0; i < hd; i++)
                dot += qh[i] * kt[i];
            s[t] = dot * scale;
        }
        softmax(s, pos + 1);
        float *oh = out + h * hd;
        for (int i = 0; i < hd; i++)
            oh[i] = 0.0f;
        for (int t = 0; t <= pos; t++) {
            const float *vt = vl + (long)t * kv_dim + off;
            for (int i = 0; i < hd; i++)
                oh[i] += s[t] * vt[i];
        }
    }
    free(s);
}

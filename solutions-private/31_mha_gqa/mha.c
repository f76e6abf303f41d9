/* 31_mha_gqa: reference solution (gathers each head, calls attention()). */
#include "mha.h"

#include "attention.h"

#include <stdlib.h>
#include <string.h>

/* Copies columns [col, col + w) of the [T x stride] matrix src to dst. */
static void gather(float *dst, const float *src, int T, int stride, int col,
                   int w)
{
    for (int t = 0; t < T; t++)
        memcpy(dst + (long)t * w, src + (long)t * stride + col,
               sizeof(float) * (size_t)w);
}

void mha(float *out, const float *q, const float *k, const float *v, int T,
         int n_heads, int n_kv_heads, int head_dim)
{
    const int dim = n_heads * head_dim, kv_dim = n_kv_heads * head_dim;
    const int group = n_heads / n_kv_heads;
    const size_t size = sizeof(float) * (size_t)T * (size_t)head_dim;
    float *qh = malloc(size), *kh = malloc(size), *vh = malloc(size);
    float *oh = malloc(size);
    if (!qh || !kh || !vh || !oh)
        abort();
    for (int h = 0; h < n_heads; h++) {
        const int g = h / group; /* the kv head this query head shares */
        gather(qh, q, T, dim, h * head_dim, head_dim);
        gather(kh, k, T, kv_dim, g * head_dim, head_dim);
        gather(vh, v, T, kv_dim, g * head_dim, head_dim);
        attention(oh, qh, kh, vh, T, head_dim);
        for (int t = 0; t < T; t++)
            memcpy(out + (long)t * dim + h * head_dim, oh + (long)t * head_dim,
                   sizeof(float) * (size_t)head_dim);
    }
    free(qh);
    free(kh);
    free(vh);
    free(oh);
}

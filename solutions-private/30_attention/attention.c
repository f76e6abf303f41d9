/* 30_attention: reference solution. */
#include "attention.h"

#include "softmax.h"

#include <math.h>
#include <stdlib.h>

void attend(float *out, const float *q, const float *k, const float *v,
            int n_keys, int d)
{
    for (int i = 0; i < d; i++)
        out[i] = 0.0f;
    if (n_keys <= 0)
        return;
    float *s = malloc(sizeof(float) * (size_t)n_keys);
    if (s == NULL)
        abort();
    const float scale = 1.0f / sqrtf((float)d);
    for (int j = 0; j < n_keys; j++) {
        const float *kj = k + (long)j * d;
        float dot = 0.0f;
        for (int i = 0; i < d; i++)
            dot += q[i] * kj[i];
        s[j] = dot * scale;
    }
    softmax(s, n_keys);
    for (int j = 0; j < n_keys; j++) {
        const float *vj = v + (long)j * d;
        for (int i = 0; i < d; i++)
            out[i] += s[j] * vj[i];
    }
    free(s);
}

void attention(float *out, const float *q, const float *k, const float *v,
               int T, int d)
{
    for (int t = 0; t < T; t++) /* causal: row t sees keys 0..t */
        attend(out + (long)t * d, q + (long)t * d, k, v, t + 1, d);
}

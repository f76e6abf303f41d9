/* 29_rope: reference solution (the llama2.c formulation). */
#include "rope.h"

#include <math.h>

void rope(float *x, int n_heads, int head_dim, int pos)
{
    for (int h = 0; h < n_heads; h++) {
        float *v = x + (long)h * head_dim;
        for (int i = 0; i < head_dim; i += 2) {
            const float freq =
                1.0f / powf(10000.0f, (float)i / (float)head_dim);
            const float angle = (float)pos * freq;
            const float c = cosf(angle), s = sinf(angle);
            const float v0 = v[i], v1 = v[i + 1];
            v[i] = v0 * c - v1 * s;
            v[i + 1] = v0 * s + v1 * c;
        }
    }
}

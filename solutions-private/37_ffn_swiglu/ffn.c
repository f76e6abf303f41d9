/* 37_ffn_swiglu: reference solution. */
#include "ffn.h"

#include <math.h>
#include <stddef.h>

void matmul(float *xout, const float *x, const float *w, int n, int d)
{
    for (int i = 0; i < d; i++) {
        const float *row = w + (size_t)i * (size_t)n;
        float acc = 0.0f;
        for (int j = 0; j < n; j++)
            acc += row[j] * x[j];
        xout[i] = acc;
    }
}

float silu(float v)
{
    return v / (1.0f + expf(-v));
}

void swiglu_ffn(float *out, const float *x, const float *w1, const float *w2,
                const float *w3, int dim, int hidden_dim, float *hb, float *hb2)
{
    matmul(hb, x, w1, dim, hidden_dim);
    matmul(hb2, x, w3, dim, hidden_dim);
    for (int i = 0; i < hidden_dim; i++)
        hb[i] = silu(hb[i]) * hb2[i];
    matmul(out, hb, w2, hidden_dim, dim);
}

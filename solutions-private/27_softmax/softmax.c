/* 27_softmax: reference solution. */
#include "softmax.h"

#include <math.h>

/* Writes exp(x[i] - max) / sum, or zeros for a fully masked row. */
static void normalize(float *x, int n, softmax_state s)
{
    if (s.sum == 0.0f) { /* every logit was -INFINITY */
        for (int i = 0; i < n; i++)
            x[i] = 0.0f;
        return;
    }
    const float inv = 1.0f / s.sum;
    for (int i = 0; i < n; i++)
        x[i] = expf(x[i] - s.max) * inv;
}

void softmax(float *x, int n)
{
    float max = x[0];
    for (int i = 1; i < n; i++)
        max = x[i] > max ? x[i] : max;
    if (max == -INFINITY) {
        normalize(x, n, softmax_state_empty());
        return;
    }
    float sum = 0.0f;
    for (int i = 0; i < n; i++) {
        x[i] = expf(x[i] - max);
        sum += x[i];
    }
    const float inv = 1.0f / sum;
    for (int i = 0; i < n; i++)
        x[i] *= inv;
}

softmax_state softmax_state_empty(void)
{
    return (softmax_state){-INFINITY, 0.0f};
}

softmax_state softmax_state_add(softmax_state s, float x)
{
    if (x == -INFINITY)
        return s; /* exp(-inf) adds nothing; avoids -inf - -inf = NaN */
    if (x > s.max) {
        /* the old terms were relative to the old max: rescale them */
        s.sum = s.sum * expf(s.max - x) + 1.0f;
        s.max = x;
    } else {
        s.sum += expf(x - s.max);
    }
    return s;
}

softmax_state softmax_state_merge(softmax_state a, softmax_state b)
{
    if (a.sum == 0.0f)
        return b;
    if (b.sum == 0.0f)
        return a;
    const float m = a.max > b.max ? a.max : b.max;
    return (softmax_state){m,
                           a.sum * expf(a.max - m) + b.sum * expf(b.max - m)};
}

void softmax_online(float *x, int n)
{
    softmax_state s = softmax_state_empty();
    for (int i = 0; i < n; i++)
        s = softmax_state_add(s, x[i]);
    normalize(x, n, s);
}

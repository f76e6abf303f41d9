/* 16_quant_int8: reference solution. */
#include "quant.h"

#include <math.h>

static void quantize_block(const float *x, block_q8 *out)
{
    float amax = 0.0f;
    for (int i = 0; i < QK8; i++)
        amax = fmaxf(amax, fabsf(x[i]));
    const float scale = amax / 127.0f;
    out->scale = scale;
    for (int i = 0; i < QK8; i++) {
        if (scale == 0.0f) {
            out->q[i] = 0;
            continue;
        }
        /* |x/scale| <= 127 up to one rounding; clamp anyway */
        const float r = roundf(x[i] / scale);
        out->q[i] = (int8_t)fminf(127.0f, fmaxf(-127.0f, r));
    }
}

size_t quantize_q8(const float *x, size_t n, block_q8 *out)
{
    if (n % QK8 != 0)
        return 0;
    const size_t nb = n / QK8;
    for (size_t b = 0; b < nb; b++)
        quantize_block(x + b * QK8, &out[b]);
    return nb;
}

void dequantize_q8(const block_q8 *blocks, size_t nblocks, float *out)
{
    for (size_t b = 0; b < nblocks; b++)
        for (int i = 0; i < QK8; i++)
            out[b * QK8 + i] = blocks[b].scale * (float)blocks[b].q[i];
}

float dot_q8(const block_q8 *a, const block_q8 *b, size_t nblocks)
{
    float sum = 0.0f;
    for (size_t k = 0; k < nblocks; k++) {
        int32_t isum = 0; /* exact: at most 32 * 127 * 127 in magnitude */
        for (int i = 0; i < QK8; i++)
            isum += (int32_t)a[k].q[i] * (int32_t)b[k].q[i];
        sum += (float)isum * (a[k].scale * b[k].scale);
    }
    return sum;
}

/* 33_flash_attention: reference solution. flash_block works as FlashAttention
 * does: all scores of the block, one rescale of the old state to the new
 * max, then the block's terms. Query tiles of `block` rows keep one state
 * each. */
#include "flash.h"

#include <math.h>
#include <stdlib.h>

enum { CHUNK = 64 }; /* scores kept on the stack; longer blocks go in chunks */

static void fold_chunk(softmax_state *st, float *acc, const float *q,
                       const float *k, const float *v, int n, int d,
                       float scale)
{
    float s[CHUNK];
    float m = st->max;
    for (int j = 0; j < n; j++) {
        const float *kj = k + (long)j * d;
        float dot = 0.0f;
        for (int i = 0; i < d; i++)
            dot += q[i] * kj[i];
        s[j] = dot * scale;
        m = s[j] > m ? s[j] : m;
    }
    /* bring the old sum and acc to the new max (c = 0 for the empty state:
     * its sum and acc are 0 anyway) */
    const float c = expf(st->max - m);
    st->sum *= c;
    for (int i = 0; i < d; i++)
        acc[i] *= c;
    for (int j = 0; j < n; j++) {
        const float p = expf(s[j] - m);
        const float *vj = v + (long)j * d;
        st->sum += p;
        for (int i = 0; i < d; i++)
            acc[i] += p * vj[i];
    }
    st->max = m;
}

void flash_block(softmax_state *st, float *acc, const float *q, const float *k,
                 const float *v, int n, int d, float scale)
{
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
        const int m = n - j0 < CHUNK ? n - j0 : CHUNK;
        fold_chunk(st, acc, q, k + (long)j0 * d, v + (long)j0 * d, m, d, scale);
    }
}

void flash_attention(float *out, const float *q, const float *k, const float *v,
                     int T, int d, int block)
{
    softmax_state *st = malloc(sizeof(*st) * (size_t)block);
    float *acc = malloc(sizeof(float) * (size_t)block * (size_t)d);
    if (st == NULL || acc == NULL)
        abort();
    const float scale = 1.0f / sqrtf((float)d);
    for (int q0 = 0; q0 < T; q0 += block) {
        const int rows = T - q0 < block ? T - q0 : block;
        for (int r = 0; r < rows; r++) {
            st[r] = softmax_state_empty();
            for (int i = 0; i < d; i++)
                acc[(long)r * d + i] = 0.0f;
        }
        /* key tiles up to the diagonal of the tile's last row */
        for (int k0 = 0; k0 < q0 + rows; k0 += block) {
            for (int r = 0; r < rows; r++) {
                const int t = q0 + r,
                          end = k0 + block < t + 1 ? k0 + block : t + 1;
                if (end > k0) /* the causal mask cuts the diagonal tile */
                    flash_block(&st[r], acc + (long)r * d, q + (long)t * d,
                                k + (long)k0 * d, v + (long)k0 * d, end - k0, d,
                                scale);
            }
        }
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < d; i++)
                out[(long)(q0 + r) * d + i] = acc[(long)r * d + i] / st[r].sum;
    }
    free(st);
    free(acc);
}

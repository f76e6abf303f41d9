/* 38_forward: reference solution (llama2.c's forward, grouped-query). */
#include "forward.h"

#include "ffn.h"
#include "norms.h"
#include "rope.h"
#include "softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RMS_EPS 1e-5f

int transformer_init(Transformer *t, const Config *c,
                     const TransformerWeights *w)
{
    t->config = *c;
    t->weights = *w;
    RunState *s = &t->state;
    const size_t dim = (size_t)c->dim, hd = (size_t)c->hidden_dim;
    const size_t kv_dim = dim / (size_t)c->n_heads * (size_t)c->n_kv_heads;
    const size_t cache = (size_t)c->n_layers * (size_t)c->seq_len * kv_dim;
    s->x = calloc(dim, sizeof(float));
    s->xb = calloc(dim, sizeof(float));
    s->xb2 = calloc(dim, sizeof(float));
    s->hb = calloc(hd, sizeof(float));
    s->hb2 = calloc(hd, sizeof(float));
    s->q = calloc(dim, sizeof(float));
    s->att = calloc((size_t)c->n_heads * (size_t)c->seq_len, sizeof(float));
    s->logits = calloc((size_t)c->vocab_size, sizeof(float));
    s->key_cache = calloc(cache, sizeof(float));
    s->value_cache = calloc(cache, sizeof(float));
    if (!s->x || !s->xb || !s->xb2 || !s->hb || !s->hb2 || !s->q || !s->att ||
        !s->logits || !s->key_cache || !s->value_cache) {
        transformer_free(t);
        return -1;
    }
    return 0;
}

void transformer_free(Transformer *t)
{
    RunState *s = &t->state;
    free(s->x);
    free(s->xb);
    free(s->xb2);
    free(s->hb);
    free(s->hb2);
    free(s->q);
    free(s->att);
    free(s->logits);
    free(s->key_cache);
    free(s->value_cache);
    memset(s, 0, sizeof *s);
}

/* Multi-head attention of one layer for the query in s->q; the result goes
 * to s->xb. Query head h reads key/value head h / kv_mul. */
static void attention(const Config *p, RunState *s, size_t loff, int pos)
{
    const int head_size = p->dim / p->n_heads;
    const int kv_dim = head_size * p->n_kv_heads;
    const int kv_mul = p->n_heads / p->n_kv_heads;
    const float scale = 1.0f / sqrtf((float)head_size);
    for (int h = 0; h < p->n_heads; h++) {
        const float *q = s->q + h * head_size;
        float *att = s->att + (size_t)h * (size_t)p->seq_len;
        const size_t koff = loff + (size_t)(h / kv_mul) * (size_t)head_size;
        for (int t = 0; t <= pos; t++) {
            const float *k = s->key_cache + koff + (size_t)t * kv_dim;
            float score = 0.0f;
            for (int i = 0; i < head_size; i++)
                score += q[i] * k[i];
            att[t] = score * scale;
        }
        softmax(att, pos + 1);
        float *out = s->xb + h * head_size;
        memset(out, 0, (size_t)head_size * sizeof(float));
        for (int t = 0; t <= pos; t++) {
            const float *v = s->value_cache + koff + (size_t)t * kv_dim;
            for (int i = 0; i < head_size; i++)
                out[i] += att[t] * v[i];
        }
    }
}

float *forward(Transformer *t, int token, int pos)
{
    const Config *p = &t->config;
    const TransformerWeights *w = &t->weights;
    RunState *s = &t->state;
    const int dim = p->dim, hidden = p->hidden_dim;
    const int head_size = dim / p->n_heads;
    const int kv_dim = head_size * p->n_kv_heads;
    float *x = s->x;
    memcpy(x, w->token_embedding + (size_t)token * dim, dim * sizeof(float));
    for (int l = 0; l < p->n_layers; l++) {
        const size_t ld = (size_t)l * dim;
        /* attention block: norm, q/k/v, rotate, cache, attend, project */
        rmsnorm(s->xb, x, w->rms_att + ld, dim, RMS_EPS);
        const size_t loff = (size_t)l * p->seq_len * kv_dim;
        float *k = s->key_cache + loff + (size_t)pos * kv_dim;
        float *v = s->value_cache + loff + (size_t)pos * kv_dim;
        matmul(s->q, s->xb, w->wq + ld * dim, dim, dim);
        matmul(k, s->xb, w->wk + ld * kv_dim, dim, kv_dim);
        matmul(v, s->xb, w->wv + ld * kv_dim, dim, kv_dim);
        rope(s->q, p->n_heads, head_size, pos);
        rope(k, p->n_kv_heads, head_size, pos);
        attention(p, s, loff, pos);
        matmul(s->xb2, s->xb, w->wo + ld * dim, dim, dim);
        for (int i = 0; i < dim; i++)
            x[i] += s->xb2[i];
        /* feed-forward block */
        rmsnorm(s->xb, x, w->rms_ffn + ld, dim, RMS_EPS);
        const size_t lh = (size_t)l * hidden * dim;
        swiglu_ffn(s->xb2, s->xb, w->w1 + lh, w->w2 + lh, w->w3 + lh, dim,
                   hidden, s->hb, s->hb2);
        for (int i = 0; i < dim; i++)
            x[i] += s->xb2[i];
    }
    rmsnorm(x, x, w->rms_final, dim, RMS_EPS);
    matmul(s->logits, x, w->wcls, dim, p->vocab_size);
    return s->logits;
}

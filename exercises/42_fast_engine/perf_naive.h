/* perf_naive.h: the plain single-threaded float32 engine (written like
 * llama2.c's run.c, the same as test_fast.c's) for the judge's timing of
 * 42_fast_engine: the baseline (baseline_fast.c) and the expected logits
 * of the driver (perf_fast.c). Static functions: each file that includes
 * it gets its own copy. Students: you never need it. */
#ifndef PERF_NAIVE_H
#define PERF_NAIVE_H

#include "checkpoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    Config c;
    TransformerWeights w;
    float *x, *xb, *xb2, *hb, *hb2, *q, *att, *logits, *kc, *vc;
} Naive;

static inline void naive_matmul(float *o, const float *x, const float *w, int n,
                                int d)
{
    for (int i = 0; i < d; i++) {
        float v = 0.0f;
        for (int j = 0; j < n; j++)
            v += w[(size_t)i * n + j] * x[j];
        o[i] = v;
    }
}

static inline void naive_rmsnorm(float *o, const float *x, const float *w,
                                 int n)
{
    float ss = 0.0f;
    for (int j = 0; j < n; j++)
        ss += x[j] * x[j];
    ss = 1.0f / sqrtf(ss / n + 1e-5f);
    for (int j = 0; j < n; j++)
        o[j] = w[j] * (ss * x[j]);
}

static inline void naive_softmax(float *x, int n)
{
    float m = x[0], s = 0.0f;
    for (int i = 1; i < n; i++)
        m = x[i] > m ? x[i] : m;
    for (int i = 0; i < n; i++)
        s += (x[i] = expf(x[i] - m));
    for (int i = 0; i < n; i++)
        x[i] /= s;
}

static inline void naive_init(Naive *m, const Config *c,
                              const TransformerWeights *w)
{
    const size_t kv = (size_t)c->dim / c->n_heads * c->n_kv_heads;
    m->c = *c;
    m->w = *w;
    m->x = calloc((size_t)c->dim, 4);
    m->xb = calloc((size_t)c->dim, 4);
    m->xb2 = calloc((size_t)c->dim, 4);
    m->hb = calloc((size_t)c->hidden_dim, 4);
    m->hb2 = calloc((size_t)c->hidden_dim, 4);
    m->q = calloc((size_t)c->dim, 4);
    m->att = calloc((size_t)c->n_heads * c->seq_len, 4);
    m->logits = calloc((size_t)c->vocab_size, 4);
    m->kc = calloc((size_t)c->n_layers * c->seq_len * kv, 4);
    m->vc = calloc((size_t)c->n_layers * c->seq_len * kv, 4);
}

static inline void naive_free(Naive *m)
{
    float *p[] = {m->x, m->xb,  m->xb2,    m->hb, m->hb2,
                  m->q, m->att, m->logits, m->kc, m->vc};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        free(p[i]);
}

static inline void naive_rope(float *v, int n_heads, int hs, int pos)
{
    for (int i = 0; i < n_heads * hs; i += 2) {
        const float f = 1.0f / powf(10000.0f, (float)(i % hs) / (float)hs);
        const float c = cosf(pos * f), s = sinf(pos * f);
        const float a = v[i], b = v[i + 1];
        v[i] = a * c - b * s;
        v[i + 1] = a * s + b * c;
    }
}

static inline float *naive_forward(Naive *m, int token, int pos)
{
    const Config *p = &m->c;
    const TransformerWeights *w = &m->w;
    const int dim = p->dim, hd = p->hidden_dim, hs = dim / p->n_heads;
    const int kv = hs * p->n_kv_heads, kv_mul = p->n_heads / p->n_kv_heads;
    memcpy(m->x, w->token_embedding + (size_t)token * dim, dim * 4u);
    for (int l = 0; l < p->n_layers; l++) {
        naive_rmsnorm(m->xb, m->x, w->rms_att + (size_t)l * dim, dim);
        const size_t loff = (size_t)l * p->seq_len * kv;
        float *k = m->kc + loff + (size_t)pos * kv;
        float *v = m->vc + loff + (size_t)pos * kv;
        naive_matmul(m->q, m->xb, w->wq + (size_t)l * dim * dim, dim, dim);
        naive_matmul(k, m->xb, w->wk + (size_t)l * dim * kv, dim, kv);
        naive_matmul(v, m->xb, w->wv + (size_t)l * dim * kv, dim, kv);
        naive_rope(m->q, p->n_heads, hs, pos);
        naive_rope(k, p->n_kv_heads, hs, pos);
        for (int h = 0; h < p->n_heads; h++) {
            float *att = m->att + (size_t)h * p->seq_len;
            const size_t off = loff + (size_t)(h / kv_mul) * hs;
            for (int t = 0; t <= pos; t++) {
                float s = 0.0f;
                for (int i = 0; i < hs; i++)
                    s += m->q[h * hs + i] * m->kc[off + (size_t)t * kv + i];
                att[t] = s / sqrtf((float)hs);
            }
            naive_softmax(att, pos + 1);
            float *o = m->xb + h * hs;
            memset(o, 0, hs * 4u);
            for (int t = 0; t <= pos; t++)
                for (int i = 0; i < hs; i++)
                    o[i] += att[t] * m->vc[off + (size_t)t * kv + i];
        }
        naive_matmul(m->xb2, m->xb, w->wo + (size_t)l * dim * dim, dim, dim);
        for (int i = 0; i < dim; i++)
            m->x[i] += m->xb2[i];
        naive_rmsnorm(m->xb, m->x, w->rms_ffn + (size_t)l * dim, dim);
        naive_matmul(m->hb, m->xb, w->w1 + (size_t)l * dim * hd, dim, hd);
        naive_matmul(m->hb2, m->xb, w->w3 + (size_t)l * dim * hd, dim, hd);
        for (int i = 0; i < hd; i++)
            m->hb[i] = m->hb[i] / (1.0f + expf(-m->hb[i])) * m->hb2[i];
        naive_matmul(m->xb, m->hb, w->w2 + (size_t)l * dim * hd, hd, dim);
        for (int i = 0; i < dim; i++)
            m->x[i] += m->xb[i];
    }
    naive_rmsnorm(m->x, m->x, w->rms_final, dim);
    naive_matmul(m->logits, m->x, w->wcls, dim, p->vocab_size);
    return m->logits;
}

#endif

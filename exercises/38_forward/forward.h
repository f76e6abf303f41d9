/* forward.h: the interface of exercise 38_forward (do not edit).
 *
 * One step of a llama transformer: the token at position `pos` goes in,
 * the logits for the next token come out, and the keys and values of this
 * position are stored in the KV cache for the steps that follow. This is
 * llama2.c's `forward`, built from your own pieces:
 *   rmsnorm (28_norms, eps 1e-5), rope (29_rope), softmax (27_softmax),
 *   matmul and swiglu_ffn (37_ffn_swiglu), the weights (35_checkpoint). */
#ifndef FORWARD_H
#define FORWARD_H

#include "checkpoint.h"

/* Activations of the current step and the KV cache. */
typedef struct {
    float *x;      /* residual stream (dim) */
    float *xb;     /* normed input of a block / attention output (dim) */
    float *xb2;    /* block output before the residual add (dim) */
    float *hb;     /* feed-forward scratch (hidden_dim) */
    float *hb2;    /* feed-forward scratch (hidden_dim) */
    float *q;      /* query of this position (dim) */
    float *att;    /* attention scores (n_heads, seq_len) */
    float *logits; /* output (vocab_size) */
    /* (n_layers, seq_len, kv_dim), kv_dim = dim / n_heads * n_kv_heads */
    float *key_cache;
    float *value_cache;
} RunState;

typedef struct {
    Config config;
    TransformerWeights weights; /* borrowed: the checkpoint owns them */
    RunState state;
} Transformer;

/* Copies the config and the weight pointers and allocates a zeroed
 * RunState. Returns 0, or -1 when out of memory (nothing leaks). */
int transformer_init(Transformer *t, const Config *c,
                     const TransformerWeights *w);

/* Frees the RunState (not the weights). */
void transformer_free(Transformer *t);

/* Runs token `token` at position `pos` (0 <= pos < seq_len) and returns
 * t->state.logits. Positions must come in order 0, 1, 2, ... within one
 * sequence; starting again at 0 starts a new sequence (the cache rows of
 * later positions are simply overwritten before they are read). */
float *forward(Transformer *t, int token, int pos);

#endif

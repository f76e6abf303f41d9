/* Tests for 38_forward. Students: read them, do not edit them.
 *
 * Logits and greedy tokens come from the NumPy oracle
 * (golden/llama_golden.h), which runs the same tinymodel.h checkpoints in
 * float64; each argmax it recorded wins by more than 1e-3, so a correct
 * float32 forward pass reproduces every token. */
#include "forward.h"
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    unsigned char *bytes;
    Checkpoint ck;
    Transformer t;
} Model;

static void model_open(Model *m, int shape)
{
    size_t size = 0;
    memset(m, 0, sizeof *m);
    m->bytes = tm_checkpoint_build(&TM_SHAPES[shape], &size);
    LL_CHECK_NOT_NULL(m->bytes, "tm_checkpoint_build (test setup)");
    LL_CHECK_UINT_EQ(tm_fnv1a(m->bytes, size), LLG_SHAPES[shape].checkpoint_fnv,
                     "fingerprint of the test model (test setup)");
    LL_CHECK_INT_EQ(checkpoint_from_memory(&m->ck, m->bytes, size), CK_OK,
                    "checkpoint_from_memory (35_checkpoint)");
    const int *h = LLG_SHAPES[shape].header;
    LL_CHECK(m->ck.config.dim == h[0] && m->ck.config.n_layers == h[2] &&
                 m->ck.config.vocab_size == (h[5] < 0 ? -h[5] : h[5]),
             "the config your 35_checkpoint loaded: expected dim %d, "
             "n_layers %d, vocab_size %d, got %d, %d, %d",
             h[0], h[2], h[5] < 0 ? -h[5] : h[5], m->ck.config.dim,
             m->ck.config.n_layers, m->ck.config.vocab_size);
    LL_CHECK_INT_EQ(transformer_init(&m->t, &m->ck.config, &m->ck.weights), 0,
                    "transformer_init");
}

static void model_close(Model *m)
{
    transformer_free(&m->t);
    free(m->bytes);
}

/* Feeds LLG_LOGIT_TOKENS at positions 0..npos-1 and compares each step. */
static void check_logits(Model *m, int shape, int npos)
{
    const llg_shape *g = &LLG_SHAPES[shape];
    const int V = m->ck.config.vocab_size;
    for (int pos = 0; pos < npos; pos++) {
        const float *logits = forward(&m->t, LLG_LOGIT_TOKENS[pos], pos);
        char what[128];
        snprintf(what, sizeof what,
                 "shape %s: logits at position %d (token %d) vs NumPy", g->name,
                 pos, LLG_LOGIT_TOKENS[pos]);
        LL_CHECK_NOT_NULL(logits, what);
        LL_CHECK_FLOATS_NEAR(logits, g->logits + (size_t)pos * V, (size_t)V,
                             5e-4f, 5e-4f, what);
    }
}

LL_TEST(forward, first_position_of_every_shape)
{
    for (int s = 0; s < TM_N_SHAPES; s++) {
        Model m;
        model_open(&m, s);
        check_logits(&m, s, 1);
        model_close(&m);
    }
}

LL_TEST(forward, kv_cache_over_a_sequence)
{
    Model m;
    model_open(&m, 0);
    check_logits(&m, 0, LLG_N_LOGIT_TOKENS);
    model_close(&m);
}

LL_TEST(forward, grouped_query_attention)
{
    Model m;
    model_open(&m, 1); /* 8 query heads share 2 key/value heads */
    check_logits(&m, 1, LLG_N_LOGIT_TOKENS);
    model_close(&m);
}

LL_TEST(forward, separate_classifier_and_one_kv_head)
{
    Model m;
    model_open(&m, 2);
    check_logits(&m, 2, LLG_N_LOGIT_TOKENS);
    model_close(&m);
}

LL_TEST(forward, a_new_sequence_restarts_at_position_0)
{
    Model m;
    model_open(&m, 1);
    check_logits(&m, 1, LLG_N_LOGIT_TOKENS);
    check_logits(&m, 1, LLG_N_LOGIT_TOKENS); /* again, same cache */
    model_close(&m);
}

/* run.c's loop with argmax: prompt tokens are forced, then each argmax is
 * fed back, up to seq_len positions (the whole KV cache). */
LL_TEST(forward, greedy_tokens_fill_the_whole_context)
{
    const llg_encoding *prompt = &LLG_ENCODINGS[0]; /* "Once upon a time" */
    LL_CHECK_STR_EQ(prompt->text, LLG_PROMPT, "golden prompt (test setup)");
    for (int s = 0; s < TM_N_SHAPES; s++) {
        Model m;
        model_open(&m, s);
        const llg_shape *g = &LLG_SHAPES[s];
        const int V = m.ck.config.vocab_size;
        int token = prompt->ids[0];
        for (int pos = 0; pos < g->n_greedy; pos++) {
            const float *logits = forward(&m.t, token, pos);
            int next = 0;
            for (int i = 1; i < V; i++)
                if (logits[i] > logits[next])
                    next = i;
            if (pos < prompt->n - 1)
                next = prompt->ids[pos + 1];
            char what[96];
            snprintf(what, sizeof what, "shape %s: greedy token at position %d",
                     g->name, pos);
            LL_CHECK_INT_EQ(next, g->greedy[pos], what);
            token = next;
        }
        model_close(&m);
    }
}

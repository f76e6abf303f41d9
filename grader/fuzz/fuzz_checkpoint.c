/* fuzz_checkpoint.c: libFuzzer target for the reference checkpoint loader
 * (solutions-private/35_checkpoint, checkpoint_from_memory; built from
 * there read-only, only where solutions-private/ exists). A file that
 * loads has positive dimensions and every weight array wholly inside the
 * file's bytes (touched: ASan reports a read past the exact-size input);
 * one that does not gets one of the documented error codes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "fuzz_check.h"

/* Reads the first and the last float of n (dimensions multiplied in
 * size_t: they were checked against the file size). */
static float touch(const float *w, size_t n)
{
    return n ? w[0] + w[n - 1] : 0.0f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    void *copy = malloc(size ? size : 1);
    if (copy == NULL)
        abort();
    memcpy(copy, data, size);
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    int rc = checkpoint_from_memory(&ck, copy, size);
    if (rc < CK_ERR_OVERSIZED || rc > CK_OK)
        abort(); /* not a documented code */
    if (rc == CK_OK) {
        const Config *c = &ck.config;
        if (c->dim <= 0 || c->hidden_dim <= 0 || c->n_layers <= 0 ||
            c->n_heads <= 0 || c->n_kv_heads <= 0 || c->vocab_size <= 0 ||
            c->seq_len <= 0 || c->dim % c->n_heads ||
            c->n_heads % c->n_kv_heads)
            abort();
        size_t dim = (size_t)c->dim, hid = (size_t)c->hidden_dim;
        size_t L = (size_t)c->n_layers;
        size_t kv = dim / (size_t)c->n_heads * (size_t)c->n_kv_heads;
        const TransformerWeights *w = &ck.weights;
        volatile float sink =
            touch(w->token_embedding, (size_t)c->vocab_size * dim) +
            touch(w->rms_att, L * dim) + touch(w->wq, L * dim * dim) +
            touch(w->wk, L * kv * dim) + touch(w->wv, L * kv * dim) +
            touch(w->wo, L * dim * dim) + touch(w->rms_ffn, L * dim) +
            touch(w->w1, L * hid * dim) + touch(w->w2, L * dim * hid) +
            touch(w->w3, L * hid * dim) + touch(w->rms_final, dim) +
            touch(w->wcls, (size_t)c->vocab_size * dim);
        (void)sink;
        checkpoint_close(&ck);
    }
    free(copy);
    return 0;
}

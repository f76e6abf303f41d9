/* 35_checkpoint: reference solution. */
#define _POSIX_C_SOURCE 200809L
#include "checkpoint.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* acc += a * b (floats), reporting overflow of size_t. */
static int add_product(size_t *acc, size_t a, size_t b)
{
    size_t p;
    return __builtin_mul_overflow(a, b, &p) ||
           __builtin_add_overflow(*acc, p, acc);
}

int checkpoint_expected_size(const int header[7], size_t *size)
{
    const int dim = header[0], hidden = header[1], layers = header[2];
    const int heads = header[3], kv_heads = header[4], seq = header[6];
    const long long vocab_raw = header[5];
    /* -2^31 has no positive int: it could not be Config.vocab_size */
    if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kv_heads <= 0 ||
        vocab_raw == 0 || vocab_raw == INT32_MIN || seq <= 0)
        return CK_ERR_DIM;
    /* RoPE rotates pairs of numbers inside each head: head_size is even */
    if (dim % heads != 0 || heads % kv_heads != 0 || (dim / heads) % 2 != 0)
        return CK_ERR_HEADS;
    const size_t d = (size_t)dim, hd = (size_t)hidden, L = (size_t)layers;
    const size_t head = d / (size_t)heads, kv = head * (size_t)kv_heads;
    const size_t vocab = (size_t)(vocab_raw < 0 ? -vocab_raw : vocab_raw);
    size_t n = 0, t = 0;
    int bad = add_product(&n, vocab, d); /* token embedding */
    /* one layer: rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3 */
    bad |= add_product(&t, 2, d) || add_product(&t, d, d) ||
           add_product(&t, kv, d) || add_product(&t, kv, d) ||
           add_product(&t, d, d) || add_product(&t, hd, d) ||
           add_product(&t, hd, d) || add_product(&t, hd, d);
    /* all layers, rms_final, the legacy RoPE tables */
    bad |= add_product(&n, L, t) || add_product(&n, 1, d) ||
           add_product(&n, (size_t)seq, head);
    if (vocab_raw < 0)
        bad |= add_product(&n, vocab, d);
    size_t bytes = 0;
    bad |= add_product(&bytes, n, sizeof(float)) ||
           add_product(&bytes, 7, sizeof(int32_t));
    if (bad)
        return CK_ERR_OVERFLOW;
    *size = bytes;
    return CK_OK;
}

/* llama2.c's memory_map_weights: walk the file in order. */
static void map_weights(Checkpoint *ck, const float *p)
{
    const Config *c = &ck->config;
    const size_t d = (size_t)c->dim, L = (size_t)c->n_layers;
    const size_t hd = (size_t)c->hidden_dim, head = d / (size_t)c->n_heads;
    const size_t kv = head * (size_t)c->n_kv_heads;
    TransformerWeights *w = &ck->weights;
    w->token_embedding = p, p += (size_t)c->vocab_size * d;
    w->rms_att = p, p += L * d;
    w->wq = p, p += L * d * d;
    w->wk = p, p += L * kv * d;
    w->wv = p, p += L * kv * d;
    w->wo = p, p += L * d * d;
    w->rms_ffn = p, p += L * d;
    w->w1 = p, p += L * hd * d;
    w->w2 = p, p += L * d * hd;
    w->w3 = p, p += L * hd * d;
    w->rms_final = p, p += d;
    p += (size_t)c->seq_len * head; /* freq_cis_real + freq_cis_imag */
    w->wcls = ck->shared_classifier ? w->token_embedding : p;
}

int checkpoint_from_memory(Checkpoint *ck, const void *data, size_t size)
{
    int header[7];
    if (size < sizeof header)
        return CK_ERR_SHORT;
    memcpy(header, data, sizeof header);
    size_t expected = 0;
    const int rc = checkpoint_expected_size(header, &expected);
    if (rc != CK_OK)
        return rc;
    if (size < expected)
        return CK_ERR_TRUNCATED;
    if (size > expected)
        return CK_ERR_OVERSIZED;
    ck->config =
        (Config){header[0], header[1], header[2],
                 header[3], header[4], header[5] < 0 ? -header[5] : header[5],
                 header[6]};
    ck->shared_classifier = header[5] > 0;
    ck->map = NULL;
    ck->map_size = 0;
    map_weights(ck, (const float *)((const char *)data + sizeof header));
    return CK_OK;
}

int checkpoint_open(Checkpoint *ck, const char *path)
{
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer, forever; it changes nothing for a regular file */
    const int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return CK_ERR_OPEN;
    struct stat st;
    const int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!regular) {
        close(fd);
        return CK_ERR_OPEN;
    }
    const size_t size = (size_t)st.st_size;
    if (size < 7 * sizeof(int32_t)) {
        close(fd);
        return CK_ERR_SHORT;
    }
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd); /* the mapping keeps the file alive */
    if (map == MAP_FAILED)
        return CK_ERR_OPEN;
    const int rc = checkpoint_from_memory(ck, map, size);
    if (rc != CK_OK) {
        munmap(map, size);
        return rc;
    }
    ck->map = map;
    ck->map_size = size;
    return CK_OK;
}

void checkpoint_close(Checkpoint *ck)
{
    if (ck->map)
        munmap(ck->map, ck->map_size);
    ck->map = NULL;
    ck->map_size = 0;
}

/* tinymodel.h: deterministic tiny llama2.c checkpoints and tokenizers.
 *
 * Chapter 5's tests need real checkpoint and tokenizer files, but shipping
 * binaries in the repository is not an option, so this header *builds* them
 * from a seed. The same bytes are produced independently by the NumPy
 * oracle exercises/common/golden/llama.py, which computes the golden logits
 * and tokens; the tests compare a hash of these bytes with the one the
 * oracle recorded, so the two generators can never drift apart silently.
 *
 * Everything is `static inline` so a test can just include this header.
 *
 * Weight rule (exact in float32, easy to reproduce in any language): the
 * k-th float after the 28-byte header is m * 2^-e with
 *   m = (splitmix64(seed + (k+1) * golden_gamma) >> 53) - 1024 (in [-1024,
 * 1023]) and e chosen per tensor (see tm_exponent); RMSNorm weights are 1 +
 * m*2^-13.
 */
#ifndef TINYMODEL_H
#define TINYMODEL_H

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* POSIX, not ISO C: declared here so that this header works whatever
 * feature macros (or none) the including file set before <stdlib.h>. */
char *mkdtemp(char *template_);

typedef struct {
    const char *name;
    int dim, hidden_dim, n_layers, n_heads, n_kv_heads;
    int vocab_size; /* negative: a separate classifier follows (llama2.c) */
    int seq_len;
    uint64_t seed;
} tm_shape;

#define TM_TINY_VOCAB 384
#define TM_N_SHAPES 3

/* The test shapes: multi-head, grouped-query, separate classifier with a
 * single key/value head (multi-query) and a short context. */
static const tm_shape TM_SHAPES[TM_N_SHAPES] = {
    {"mha", 32, 96, 2, 4, 4, TM_TINY_VOCAB, 32, 1},
    {"gqa", 64, 160, 3, 8, 2, TM_TINY_VOCAB, 48, 2},
    {"cls", 32, 64, 2, 2, 1, -TM_TINY_VOCAB, 16, 3},
};

/* The shape of the llama2.c project's stories15M.bin (for benchmarks). */
static const tm_shape TM_STORIES15M = {"stories15m", 288, 768, 6, 6, 6,
                                       32000,        256, 15};

static inline uint64_t tm_splitmix(uint64_t seed, uint64_t k)
{
    uint64_t z = seed + (k + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline int tm_floor_log2(int n)
{
    int k = 0;
    while (n > 1) {
        n >>= 1;
        k++;
    }
    return k;
}

/* Matrices get values in (-2^-s, 2^-s) with 2^s ~ sqrt(fan_in), so that
 * activations keep a sensible size through the layers. */
static inline int tm_exponent(int fan_in)
{
    return 8 + tm_floor_log2(fan_in) / 2;
}

enum { TM_KIND_UNIT, TM_KIND_RMS, TM_KIND_MAT };

typedef struct {
    const char *name;
    size_t count; /* floats */
    int kind;
    int fan_in; /* TM_KIND_MAT only */
} tm_tensor;

#define TM_MAX_TENSORS 13

/* The tensors of a checkpoint in file order (llama2.c's order). Returns how
 * many; the legacy RoPE tables are one entry ("freq_cis"). */
static inline int tm_tensors(const tm_shape *s, tm_tensor *t)
{
    const size_t L = (size_t)s->n_layers, d = (size_t)s->dim;
    const size_t hd = (size_t)s->hidden_dim;
    const size_t head = d / (size_t)s->n_heads;
    const size_t kv = head * (size_t)s->n_kv_heads;
    const size_t V = (size_t)abs(s->vocab_size);
    int n = 0;
    t[n++] = (tm_tensor){"token_embedding", V * d, TM_KIND_UNIT, 0};
    t[n++] = (tm_tensor){"rms_att", L * d, TM_KIND_RMS, 0};
    t[n++] = (tm_tensor){"wq", L * d * d, TM_KIND_MAT, s->dim};
    t[n++] = (tm_tensor){"wk", L * kv * d, TM_KIND_MAT, s->dim};
    t[n++] = (tm_tensor){"wv", L * kv * d, TM_KIND_MAT, s->dim};
    t[n++] = (tm_tensor){"wo", L * d * d, TM_KIND_MAT, s->dim};
    t[n++] = (tm_tensor){"rms_ffn", L * d, TM_KIND_RMS, 0};
    t[n++] = (tm_tensor){"w1", L * hd * d, TM_KIND_MAT, s->dim};
    t[n++] = (tm_tensor){"w2", L * d * hd, TM_KIND_MAT, s->hidden_dim};
    t[n++] = (tm_tensor){"w3", L * hd * d, TM_KIND_MAT, s->dim};
    t[n++] = (tm_tensor){"rms_final", d, TM_KIND_RMS, 0};
    t[n++] =
        (tm_tensor){"freq_cis", (size_t)s->seq_len * head, TM_KIND_UNIT, 0};
    if (s->vocab_size < 0)
        t[n++] = (tm_tensor){"wcls", V * d, TM_KIND_UNIT, 0};
    return n;
}

static inline size_t tm_checkpoint_size(const tm_shape *s)
{
    tm_tensor t[TM_MAX_TENSORS] = {{0}};
    const int n = tm_tensors(s, t);
    size_t floats = 0;
    for (int i = 0; i < n; i++)
        floats += t[i].count;
    return 7 * sizeof(int32_t) + floats * sizeof(float);
}

/* Builds the checkpoint bytes in memory (malloc'd; free() them). */
static inline void *tm_checkpoint_build(const tm_shape *s, size_t *size)
{
    const size_t bytes = tm_checkpoint_size(s);
    unsigned char *buf = malloc(bytes);
    if (!buf)
        return NULL;
    const int32_t header[7] = {s->dim,     s->hidden_dim, s->n_layers,
                               s->n_heads, s->n_kv_heads, s->vocab_size,
                               s->seq_len};
    memcpy(buf, header, sizeof header);
    float *f = (float *)(buf + sizeof header);
    tm_tensor t[TM_MAX_TENSORS] = {{0}};
    const int n = tm_tensors(s, t);
    uint64_t k = 0;
    for (int i = 0; i < n; i++) {
        const int e = t[i].kind == TM_KIND_MAT ? tm_exponent(t[i].fan_in) : 10;
        for (size_t j = 0; j < t[i].count; j++, k++) {
            const int m = (int)(tm_splitmix(s->seed, k) >> 53) - 1024;
            f[k] = t[i].kind == TM_KIND_RMS ? 1.0f + ldexpf((float)m, -13)
                                            : ldexpf((float)m, -e);
        }
    }
    *size = bytes;
    return buf;
}

/* ---- tokenizer ------------------------------------------------------------
 * ids 0..2: "<unk>", "\n<s>\n" (BOS), "\n</s>\n" (EOS), as in llama2.c's
 * tokenizer.bin; ids 3..258: byte tokens "<0x00>".."<0xFF>"; then the pieces
 * below, earlier = higher score (score = -index), then filler tokens
 * "<xNNNNN>" with a very low score up to vocab_size. */
static const char *const TM_PIECES[] = {
    " t", "he", "in", " a", "er", "an", "ou", " the", "re", "on", " s", "at",
    "en", "nd", " w", "ed", " h", "is", " o", "ing", " b", "ll", "ar", " wa",
    " was", " p", "ce", " l", "it", "ti", "me", " ti", " time", "On", "Once",
    " u", " up", " upon", "tt", "le", " li", "ttle", " little", "Li", "ly",
    "Lily", "ay", " pl", " play", "ark", " park", " d", "og", " dog", " g",
    "ir", "irl", " girl", "Th", "The", " c", "af", "ca", " ca", " caf",
    /* single characters (lowest piece scores; never the result of a merge) */
    " ", "e", "t", "a", "o", "n", "i", "h", "s", "r", "d", "l", "u", "m", "w",
    "c", "y", "f", "g", "p", "b", "v", "k", ".", ",", "!", "?", "'", "O", "T",
    "L", "S", "I", "\n", "\xc3\xa9" /* é */, "\xe6\x97\xa5" /* 日 */};

#define TM_N_PIECES ((int)(sizeof TM_PIECES / sizeof TM_PIECES[0]))

/* Writes token `id`'s string into buf (cap >= 16) and returns its score. */
static inline float tm_token(int id, char *buf, size_t cap)
{
    if (id == 0) {
        snprintf(buf, cap, "<unk>");
        return 0.0f;
    }
    if (id == 1) {
        snprintf(buf, cap, "\n<s>\n");
        return 0.0f;
    }
    if (id == 2) {
        snprintf(buf, cap, "\n</s>\n");
        return 0.0f;
    }
    if (id < 259) {
        snprintf(buf, cap, "<0x%02X>", id - 3);
        return 0.0f;
    }
    if (id - 259 < TM_N_PIECES) {
        snprintf(buf, cap, "%s", TM_PIECES[id - 259]);
        return -(float)(id - 259);
    }
    snprintf(buf, cap, "<x%05d>", id);
    return -100000.0f;
}

/* Builds tokenizer.bin bytes for a vocabulary of vocab_size tokens. */
static inline void *tm_tokenizer_build(int vocab_size, size_t *size)
{
    char s[32];
    size_t bytes = sizeof(int32_t);
    int32_t max_len = 0;
    for (int i = 0; i < vocab_size; i++) {
        tm_token(i, s, sizeof s);
        const int32_t len = (int32_t)strlen(s);
        bytes += sizeof(float) + sizeof(int32_t) + (size_t)len;
        if (len > max_len)
            max_len = len;
    }
    unsigned char *buf = malloc(bytes), *p = buf;
    if (!buf)
        return NULL;
    memcpy(p, &max_len, 4);
    p += 4;
    for (int i = 0; i < vocab_size; i++) {
        const float score = tm_token(i, s, sizeof s);
        const int32_t len = (int32_t)strlen(s);
        memcpy(p, &score, 4);
        memcpy(p + 4, &len, 4);
        memcpy(p + 8, s, (size_t)len);
        p += 8 + len;
    }
    *size = bytes;
    return buf;
}

/* FNV-1a 64: the fingerprint the oracle records for each generated file. */
static inline uint64_t tm_fnv1a(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static inline int tm_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    const size_t w = fwrite(data, 1, n, f);
    return (fclose(f) == 0 && w == n) ? 0 : -1;
}

/* A private temporary directory holding model.bin and tokenizer.bin. */
typedef struct {
    char dir[256];
    char checkpoint[300];
    char tokenizer[300];
} tm_files;

static inline int tm_files_create(tm_files *f, const tm_shape *s)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/llmlings_tm_XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->checkpoint, sizeof f->checkpoint, "%s/model.bin", f->dir);
    snprintf(f->tokenizer, sizeof f->tokenizer, "%s/tokenizer.bin", f->dir);
    size_t n = 0;
    void *ck = tm_checkpoint_build(s, &n);
    int rc = ck ? tm_write_file(f->checkpoint, ck, n) : -1;
    free(ck);
    void *tok = tm_tokenizer_build(abs(s->vocab_size), &n);
    if (rc == 0)
        rc = tok ? tm_write_file(f->tokenizer, tok, n) : -1;
    free(tok);
    return rc;
}

static inline void tm_files_remove(const tm_files *f)
{
    unlink(f->checkpoint);
    unlink(f->tokenizer);
    rmdir(f->dir);
}

#endif /* TINYMODEL_H */

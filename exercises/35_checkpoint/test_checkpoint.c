/* Tests for 35_checkpoint. Students: read them, do not edit them.
 *
 * The checkpoints come from tinymodel.h. For its three test shapes every
 * expected offset, value and size comes from the NumPy oracle
 * (golden/llama_golden.h), which builds and reads the same bytes on its own.
 * Besides those, each test draws shapes and headers of its own from the
 * grader's seeded generator (ll_rand_*): when it grades, the grader may pick
 * other ones than the ones you see. Their expected offsets come from
 * tinymodel.h's list of tensors, and expected sizes and error codes from
 * header_oracle() below, which computes the exact size in 128-bit integers
 * (no overflow is possible there: every term is below 2^96).
 *
 * Bad headers come with exactly 28 bytes behind them, at an odd address:
 * AddressSanitizer reports any read past the header, and UndefinedBehavior-
 * Sanitizer a header read through an int pointer (copy it with memcpy). */
#define _POSIX_C_SOURCE 200809L
#include "checkpoint.h"
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const FIELDS[7] = {"dim",     "hidden_dim", "n_layers",
                                      "n_heads", "n_kv_heads", "vocab_size",
                                      "seq_len"};

/* ---- shapes ----------------------------------------------------------------
 */

/* A valid shape drawn from the seeded generator: 1 to 3 key/value heads
 * shared by 1 to 3 query heads each, an even head_size from 2 to 8, every
 * other dimension small (1 included), a shared or a separate classifier. */
static tm_shape random_shape(void)
{
    const int kv = (int)ll_rand_int(1, 3), group = (int)ll_rand_int(1, 3);
    const int heads = kv * group, head_size = 2 * (int)ll_rand_int(1, 4);
    const int vocab = (int)ll_rand_int(1, 300);
    tm_shape s = {"seeded",
                  heads * head_size,
                  (int)ll_rand_int(1, 80),
                  (int)ll_rand_int(1, 3),
                  heads,
                  kv,
                  ll_rand_int(0, 1) ? vocab : -vocab,
                  (int)ll_rand_int(1, 40),
                  ll_rand_u64()};
    return s;
}

/* The smallest shape there is: every dimension 1 (head_size 2). */
static tm_shape tiny_shape(void)
{
    tm_shape s = {"ones", 2, 1, 1, 1, 1, -1, 1, ll_rand_u64()};
    return s;
}

static void describe(char *buf, size_t cap, const tm_shape *s)
{
    snprintf(buf, cap,
             "shape %s {dim %d, hidden_dim %d, n_layers %d, n_heads %d, "
             "n_kv_heads %d, vocab_size %d, seq_len %d}",
             s->name, s->dim, s->hidden_dim, s->n_layers, s->n_heads,
             s->n_kv_heads, s->vocab_size, s->seq_len);
}

/* ---- what the loader must produce -----------------------------------------
 */

#define N_WEIGHTS 12

static const char *const WEIGHTS[N_WEIGHTS] = {
    "token_embedding", "rms_att", "wq", "wk", "wv",        "wo",
    "rms_ffn",         "w1",      "w2", "w3", "rms_final", "wcls"};

static const float *weight(const TransformerWeights *w, int i)
{
    const float *const p[N_WEIGHTS] = {
        w->token_embedding, w->rms_att, w->wq, w->wk, w->wv,        w->wo,
        w->rms_ffn,         w->w1,      w->w2, w->w3, w->rms_final, w->wcls};
    return p[i];
}

/* The offset (floats after the header) and the length of each tensor of
 * shape s, from tinymodel.h's list in file order. */
static void tensor_layout(const tm_shape *s, long offset[N_WEIGHTS],
                          long count[N_WEIGHTS])
{
    tm_tensor t[TM_MAX_TENSORS];
    const int n = tm_tensors(s, t);
    long at = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < N_WEIGHTS; k++)
            if (strcmp(t[i].name, WEIGHTS[k]) == 0) {
                offset[k] = at;
                count[k] = (long)t[i].count;
            }
        at += (long)t[i].count;
    }
    if (s->vocab_size > 0) { /* shared: the classifier is the embedding */
        offset[11] = offset[0];
        count[11] = count[0];
    }
}

/* Every field of the config, and every pointer at the expected offset,
 * seeing the expected first and last value. base: the first weight. */
static void check_loaded(const Checkpoint *ck, const float *base,
                         const tm_shape *s)
{
    char shape[200], what[320];
    describe(shape, sizeof shape, s);
    const int header[7] = {s->dim,     s->hidden_dim, s->n_layers,
                           s->n_heads, s->n_kv_heads, s->vocab_size,
                           s->seq_len};
    const int got[7] = {ck->config.dim,        ck->config.hidden_dim,
                        ck->config.n_layers,   ck->config.n_heads,
                        ck->config.n_kv_heads, ck->config.vocab_size,
                        ck->config.seq_len};
    for (int f = 0; f < 7; f++) {
        snprintf(what, sizeof what, "%s: config.%s", shape, FIELDS[f]);
        LL_CHECK_INT_EQ(got[f], header[f] < 0 ? -header[f] : header[f], what);
    }
    snprintf(what, sizeof what, "%s: shared_classifier", shape);
    LL_CHECK_INT_EQ(ck->shared_classifier, s->vocab_size > 0, what);
    /* the lengths are part of the shape; the offsets are the answer */
    long offset[N_WEIGHTS] = {0}, count[N_WEIGHTS] = {0}, unused[N_WEIGHTS];
    tensor_layout(s, unused, count);
    LL_ORACLE
    {
        tensor_layout(s, offset, count);
    }
    for (int k = 0; k < N_WEIGHTS; k++) {
        const float *p = weight(&ck->weights, k);
        snprintf(what, sizeof what, "%s: weights.%s", shape, WEIGHTS[k]);
        LL_CHECK_NOT_NULL(p, what);
        snprintf(what, sizeof what,
                 "%s: weights.%s, in floats after the 28-byte header", shape,
                 WEIGHTS[k]);
        LL_CHECK_INT_EQ(p - base, offset[k], what);
        /* the offset is right: these are the file's own floats */
        const float ends[2] = {p[0], p[count[k] - 1]};
        float want[2] = {0, 0};
        LL_ORACLE
        {
            want[0] = base[offset[k]];
            want[1] = base[offset[k] + count[k] - 1];
        }
        snprintf(what, sizeof what, "%s: {weights.%s[0], weights.%s[%ld]}",
                 shape, WEIGHTS[k], WEIGHTS[k], count[k] - 1);
        LL_CHECK_FLOATS_NEAR(ends, want, 2, 0.0f, 0.0f, what);
    }
}

/* The bytes of shape s (freed by the caller). */
static unsigned char *build(const tm_shape *s, size_t *size)
{
    unsigned char *buf = tm_checkpoint_build(s, size);
    LL_CHECK_NOT_NULL(buf, "tm_checkpoint_build (test setup)");
    return buf;
}

/* Loads shape s from memory and checks everything. */
static void check_shape_from_memory(const tm_shape *s)
{
    size_t size = 0;
    unsigned char *buf = build(s, &size);
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    char what[240];
    describe(what, sizeof what, s);
    strncat(what, ": checkpoint_from_memory", sizeof what - strlen(what) - 1);
    LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, buf, size), CK_OK, what);
    check_loaded(&ck, (const float *)(buf + 28), s);
    LL_CHECK_NULL(ck.map, "ck.map after checkpoint_from_memory (nothing is "
                          "mapped)");
    free(buf);
}

/* The bytes of golden shape i, checked against the oracle's fingerprint. */
static void *build_golden(int i, size_t *size)
{
    void *buf = build(&TM_SHAPES[i], size);
    LL_CHECK_UINT_EQ(tm_fnv1a(buf, *size), LLG_SHAPES[i].checkpoint_fnv,
                     "fingerprint of the generated checkpoint (a broken test "
                     "setup, not your code: rerun golden/llama.py)");
    return buf;
}

/* Every pointer lands at the NumPy oracle's offset and sees its values. */
static void check_golden(const Checkpoint *ck, const float *base,
                         const llg_shape *g)
{
    char what[160];
    for (int t = 0; t < g->n_tensors; t++) {
        const llg_tensor *e = &g->tensors[t];
        int k = 0;
        while (k < N_WEIGHTS - 1 && strcmp(WEIGHTS[k], e->name) != 0)
            k++;
        const float *p = weight(&ck->weights, k);
        snprintf(what, sizeof what, "shape %s: weights.%s", g->name, e->name);
        LL_CHECK_NOT_NULL(p, what);
        snprintf(what, sizeof what,
                 "shape %s: weights.%s, in floats after the 28-byte header "
                 "(NumPy's offset)",
                 g->name, e->name);
        LL_CHECK_INT_EQ(p - base, e->offset, what);
        snprintf(what, sizeof what, "shape %s: weights.%s[0]", g->name,
                 e->name);
        LL_CHECK_FLOAT_NEAR(p[0], e->first, 0, what);
        snprintf(what, sizeof what, "shape %s: weights.%s[%ld] (last)", g->name,
                 e->name, e->count - 1);
        LL_CHECK_FLOAT_NEAR(p[e->count - 1], e->last, 0, what);
    }
}

LL_TEST(checkpoint, loads_every_shape_from_memory)
{
    for (int i = 0; i < TM_N_SHAPES; i++) {
        size_t size = 0;
        unsigned char *buf = build_golden(i, &size);
        Checkpoint ck;
        memset(&ck, 0, sizeof ck);
        char what[96];
        snprintf(what, sizeof what, "checkpoint_from_memory(shape %s)",
                 TM_SHAPES[i].name);
        LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, buf, size), CK_OK, what);
        check_loaded(&ck, (const float *)(buf + 28), &TM_SHAPES[i]);
        check_golden(&ck, (const float *)(buf + 28), &LLG_SHAPES[i]);
        free(buf);
    }
    for (int i = 0; i < 4; i++) {
        const tm_shape s = random_shape();
        check_shape_from_memory(&s);
    }
}

LL_TEST(checkpoint, every_dimension_one)
{
    const tm_shape s = tiny_shape();
    check_shape_from_memory(&s);
}

LL_TEST(checkpoint, separate_classifier_follows_the_rope_tables)
{
    size_t size = 0;
    unsigned char *buf = build_golden(2, &size); /* "cls": vocab_size < 0 */
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, buf, size), CK_OK,
                    "checkpoint_from_memory(shape cls)");
    LL_CHECK_INT_EQ(ck.shared_classifier, 0, "shared_classifier (cls)");
    LL_CHECK(ck.weights.wcls != ck.weights.token_embedding,
             "shape cls: wcls must be its own tensor, got the token "
             "embedding");
    /* the classifier is the last tensor: it ends exactly at the file end */
    const float *end = (const float *)(buf + size);
    LL_CHECK_INT_EQ(end - ck.weights.wcls,
                    (long)ck.config.vocab_size * ck.config.dim,
                    "floats from wcls to the end of the file");
    check_golden(&ck, (const float *)(buf + 28), &LLG_SHAPES[2]);
    free(buf);
    /* seeded shapes with long RoPE tables and their own classifier */
    for (int i = 0; i < 3; i++) {
        tm_shape s = random_shape();
        s.vocab_size = -abs(s.vocab_size);
        s.seq_len = (int)ll_rand_int(20, 200);
        check_shape_from_memory(&s);
    }
}

/* ---- headers
 * ----------------------------------------------------------------- */

/* What checkpoint_expected_size must say about header h (checkpoint.h),
 * worked out independently: the exact size in 128-bit arithmetic. */
static void header_oracle(const int h[7], int *code, size_t *size)
{
    *size = 0;
    for (int f = 0; f < 7; f++)
        if (f == 5 ? (h[f] == 0 || h[f] == INT_MIN) : h[f] <= 0) {
            *code = CK_ERR_DIM;
            return;
        }
    if (h[0] % h[3] != 0 || h[3] % h[4] != 0 || (h[0] / h[3]) % 2 != 0) {
        *code = CK_ERR_HEADS;
        return;
    }
    typedef unsigned __int128 u128;
    const u128 d = (u128)h[0], hidden = (u128)h[1], L = (u128)h[2];
    const u128 head = d / (u128)h[3], kv = head * (u128)h[4];
    const u128 vocab = (u128)(h[5] < 0 ? -(long long)h[5] : h[5]);
    const u128 layer = 2 * d + 2 * d * d + 2 * kv * d + 3 * hidden * d;
    u128 floats = vocab * d + L * layer + d + (u128)h[6] * head;
    if (h[5] < 0)
        floats += vocab * d;
    const u128 bytes = 28 + 4 * floats;
    if (bytes > (u128)SIZE_MAX) {
        *code = CK_ERR_OVERFLOW;
        return;
    }
    *code = CK_OK;
    *size = (size_t)bytes;
}

/* What checkpoint_from_memory (or checkpoint_open) must say about a file
 * of `size` bytes that starts with `bytes` (the header, when size >= 28). */
static int file_oracle(const void *bytes, size_t size)
{
    if (size < 28)
        return CK_ERR_SHORT;
    int h[7], code = 0;
    size_t want = 0;
    memcpy(h, bytes, sizeof h);
    header_oracle(h, &code, &want);
    if (code != CK_OK)
        return code;
    return size < want ? CK_ERR_TRUNCATED
                       : (size > want ? CK_ERR_OVERSIZED : CK_OK);
}

static void format_header(char *buf, size_t cap, const int h[7])
{
    snprintf(buf, cap, "{%d, %d, %d, %d, %d, %d, %d}", h[0], h[1], h[2], h[3],
             h[4], h[5], h[6]);
}

/* Checks both functions on header h: checkpoint_expected_size, and
 * checkpoint_from_memory on the 28 bytes alone, at an odd address. */
static void check_header(const int h[7], const char *why)
{
    char hs[100], what[300];
    format_header(hs, sizeof hs, h);
    size_t size = 12345;
    const int rc = checkpoint_expected_size(h, &size);
    int want = 0;
    size_t want_size = 0;
    LL_ORACLE
    {
        header_oracle(h, &want, &want_size);
    }
    snprintf(what, sizeof what, "checkpoint_expected_size(%s)%s%s", hs,
             why ? ": " : "", why ? why : "");
    LL_CHECK_INT_EQ(rc, want, what);
    snprintf(what, sizeof what,
             "checkpoint_expected_size(%s): *size (checked when it returns "
             "CK_OK)",
             hs);
    LL_CHECK_UINT_EQ(rc == CK_OK ? size : 0, want_size, what);

    unsigned char *buf = ll_alloc(29);
    memcpy(buf + 1, h, 28);
    Checkpoint ck, before;
    memset(&ck, 0x5A, sizeof ck);
    memcpy(&before, &ck, sizeof ck);
    const int mem_rc = checkpoint_from_memory(&ck, buf + 1, 28);
    snprintf(what, sizeof what,
             "checkpoint_from_memory(%s and no weights: the header alone)%s%s",
             hs, why ? ": " : "", why ? why : "");
    LL_CHECK_INT_EQ(mem_rc, file_oracle(h, 28), what);
    LL_CHECK(memcmp(&ck, &before, sizeof ck) == 0,
             "checkpoint_from_memory(%s, 28 bytes) failed but changed *ck: it "
             "must fill nothing unless the file is valid",
             hs);
    free(buf);
}

/* A header with every dimension drawn from [1, max] (64 <= max < 2^31)
 * and heads that divide, with an even head_size. */
static void random_header(int h[7], long long max)
{
    const int kv = (int)ll_rand_int(1, 4), group = (int)ll_rand_int(1, 4);
    const long long unit = 2LL * kv * group; /* dim: a multiple of it */
    h[0] = (int)(unit * ll_rand_int(1, max / unit));
    h[1] = (int)ll_rand_int(1, max);
    h[2] = (int)ll_rand_int(1, max);
    h[3] = kv * group;
    h[4] = kv;
    h[5] = (int)ll_rand_int(1, max) * (ll_rand_int(0, 1) ? 1 : -1);
    h[6] = (int)ll_rand_int(1, max);
}

/* A small header whose heads break each rule with probability 1/2: dim
 * not a multiple of n_heads, n_heads not of n_kv_heads, an odd head_size. */
static void random_heads_header(int h[7])
{
    random_header(h, 100);
    int kv = (int)ll_rand_int(1, 4), heads = kv * (int)ll_rand_int(1, 4);
    int head_size = 2 * (int)ll_rand_int(1, 4);
    if (ll_rand_int(0, 1))
        head_size--; /* odd */
    int dim = heads * head_size;
    if (ll_rand_int(0, 1) && heads > 1)
        dim += (int)ll_rand_int(1, heads - 1); /* not a multiple */
    if (ll_rand_int(0, 1))
        kv = (int)ll_rand_int(1, 16); /* divides heads or not */
    h[0] = dim;
    h[3] = heads;
    h[4] = kv;
}

LL_TEST(checkpoint, expected_size_of_valid_headers)
{
    for (int i = 0; i < LLG_N_SHAPES; i++) {
        size_t size = 1;
        char what[96];
        snprintf(what, sizeof what, "checkpoint_expected_size(shape %s)",
                 LLG_SHAPES[i].name);
        LL_CHECK_INT_EQ(checkpoint_expected_size(LLG_SHAPES[i].header, &size),
                        CK_OK, what);
        LL_CHECK_UINT_EQ(size, LLG_SHAPES[i].checkpoint_size, what);
    }
    /* the llama2.c project's stories15M.bin is 60816028 bytes */
    const int stories[7] = {288, 768, 6, 6, 6, 32000, 256};
    size_t size = 0;
    LL_CHECK_INT_EQ(checkpoint_expected_size(stories, &size), CK_OK,
                    "checkpoint_expected_size(stories15M header)");
    LL_CHECK_UINT_EQ(size, 60816028u, "size of stories15M.bin");
    /* seeded headers, from tiny to a few GB, both kinds of classifier */
    for (int i = 0; i < 12; i++) {
        int h[7];
        random_header(h, i < 6 ? 64 : 4096);
        check_header(h, NULL);
    }
}

LL_TEST(checkpoint, rejects_zero_and_negative_dimensions)
{
    const int good[7] = {32, 96, 2, 4, 4, 384, 32};
    for (int f = 0; f < 7; f++) {
        int h[7];
        memcpy(h, good, sizeof h);
        h[f] = 0;
        check_header(h, "a zero dimension (CK_ERR_DIM)");
        if (f != 5) { /* a negative vocab_size is legal */
            h[f] = -32;
            check_header(h, "a negative dimension (CK_ERR_DIM)");
        }
    }
    /* -2^31 has no positive int: it cannot be a vocab_size */
    int h[7];
    memcpy(h, good, sizeof h);
    h[5] = INT_MIN;
    check_header(h, "vocab_size -2^31, whose magnitude is no int (CK_ERR_DIM)");
    /* seeded headers with a zero or negative field here and there, and
     * heads that may not divide: CK_ERR_DIM comes first */
    for (int i = 0; i < 16; i++) {
        if (ll_rand_int(0, 1))
            random_header(h, 100);
        else
            random_heads_header(h);
        const int f = (int)ll_rand_int(0, 6);
        if (ll_rand_int(0, 2) != 0)
            h[f] = f == 5 ? 0 : -(int)ll_rand_int(0, 1 << 30);
        check_header(h, NULL);
    }
}

LL_TEST(checkpoint, rejects_heads_that_do_not_divide)
{
    const int a[7] = {30, 96, 2, 4, 4, 384, 32}; /* 30 % 4 */
    const int b[7] = {48, 96, 2, 6, 4, 384, 32}; /* 6 % 4 */
    const int c[7] = {32, 96, 2, 2, 4, 384, 32}; /* more kv heads than heads */
    const int d[7] = {12, 96, 2, 4, 4, 384, 32}; /* head_size 3 is odd */
    const int e[7] = {3, 96, 2, 3, 1, 384, 32};  /* head_size 1 is odd */
    check_header(a, "dim % n_heads != 0 (CK_ERR_HEADS)");
    check_header(b, "n_heads % n_kv_heads != 0 (CK_ERR_HEADS)");
    check_header(c, "n_kv_heads > n_heads (CK_ERR_HEADS)");
    check_header(d, "odd head_size (CK_ERR_HEADS)");
    check_header(e, "odd head_size (CK_ERR_HEADS)");
    /* seeded: dim 1..64, n_heads and n_kv_heads 1..16, in any relation */
    for (int i = 0; i < 24; i++) {
        int h[7];
        random_heads_header(h);
        check_header(h, NULL);
    }
}

LL_TEST(checkpoint, rejects_sizes_that_overflow)
{
    /* 2^30 x 2^30 floats per matrix and 4 layers: 112 * 2^60 bytes, which
     * wraps around a 64-bit size_t to a small-looking number */
    const int a[7] = {1 << 30, 1 << 30, 4, 1 << 29, 1 << 29, 1, 2};
    /* vocab x dim alone is 2^61 floats = 2^63 bytes, plus the rest */
    const int b[7] = {1 << 30, 2, 1, 2, 2, -2147483647, 1};
    /* every dimension at its int32 maximum-ish */
    const int c[7] = {2147483644, 2147483647, 2147483647, 2,
                      1,          2147483647, 2147483647};
    /* the floats fit in size_t, the bytes (4 per float) do not */
    const int d[7] = {1 << 30, 1, 1, 1 << 29, 1 << 29, (1 << 30) + 1, 2};
    check_header(a, "the implied size overflows size_t (CK_ERR_OVERFLOW)");
    check_header(b, "the implied size overflows size_t (CK_ERR_OVERFLOW)");
    check_header(c, "the implied size overflows size_t (CK_ERR_OVERFLOW)");
    check_header(d, "4 bytes per float overflow size_t (CK_ERR_OVERFLOW)");
    /* seeded headers of any size up to int32's: some fit, most do not */
    for (int i = 0; i < 24; i++) {
        int h[7];
        random_header(h, (1LL << ll_rand_int(10, 31)) - 1);
        check_header(h, NULL);
    }
}

/* ---- the real size
 * ------------------------------------------------------------ */

/* A size for a file of `full` bytes: shorter than the header, truncated,
 * exact or oversized, each with probability 1/4. */
static size_t random_size(size_t full)
{
    switch (ll_rand_int(0, 3)) {
    case 0: return (size_t)ll_rand_int(0, 27);
    case 1: return (size_t)ll_rand_int(28, (long long)full - 1);
    case 2: return full;
    default: return full + (size_t)ll_rand_int(1, 64);
    }
}

/* checkpoint_from_memory on the first `size` bytes of a valid file (copied
 * to a buffer of exactly that size, so any read past its end is caught);
 * past the file's end the copy has zeros. */
static void check_cut(const unsigned char *full, size_t full_size, size_t size,
                      const char *name)
{
    unsigned char *copy = ll_alloc(size);
    memset(copy, 0, size);
    memcpy(copy, full, size < full_size ? size : full_size);
    Checkpoint ck, before;
    memset(&ck, 0x5A, sizeof ck);
    memcpy(&before, &ck, sizeof ck);
    char what[200];
    snprintf(what, sizeof what,
             "checkpoint_from_memory(%zu of the %zu bytes of shape %s)", size,
             full_size, name);
    LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, copy, size),
                    file_oracle(copy, size), what);
    if (size != full_size)
        LL_CHECK(memcmp(&ck, &before, sizeof ck) == 0,
                 "checkpoint_from_memory(%zu of the %zu bytes of shape %s) "
                 "failed but changed *ck: it must fill nothing unless the file "
                 "is valid",
                 size, full_size, name);
    free(copy);
}

LL_TEST(checkpoint, rejects_truncated_and_oversized_buffers)
{
    size_t size = 0;
    unsigned char *full = build_golden(0, &size);
    check_cut(full, size, size - 4, "mha"); /* one float missing */
    check_cut(full, size, size - 1, "mha");
    check_cut(full, size, size + 1, "mha"); /* one extra byte */
    check_cut(full, size, 28, "mha");       /* the header alone */
    check_cut(full, size, 27, "mha");       /* less than the header */
    check_cut(full, size, 0, "mha");
    free(full);
    /* seeded shapes cut or extended anywhere */
    for (int i = 0; i < 6; i++) {
        const tm_shape s = random_shape();
        unsigned char *bytes = build(&s, &size);
        for (int k = 0; k < 4; k++)
            check_cut(bytes, size, random_size(size), "seeded");
        free(bytes);
    }
}

/* ---- files
 * ----------------------------------------------------------------------- */

/* The lowest free file descriptor: equal before and after means no leak. */
static int next_fd(void)
{
    const int fd = dup(0);
    if (fd >= 0)
        close(fd);
    return fd;
}

/* How many mappings of `path` this process has (/proc/self/maps). */
static int mappings_of(const char *path)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, path))
            n++;
    fclose(f);
    return n;
}

/* Opens shape s written to a file, checks it, closes it. */
static void check_open(const tm_shape *s)
{
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, s), 0,
                    "writing the test model (test setup)");
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    char shape[200], what[300];
    describe(shape, sizeof shape, s);
    const int rc = checkpoint_open(&ck, files.checkpoint);
    tm_files_remove(&files); /* a mapping outlives the file's name */
    snprintf(what, sizeof what, "checkpoint_open(%s)", shape);
    LL_CHECK_INT_EQ(rc, CK_OK, what);
    LL_CHECK_NOT_NULL(ck.map, "ck.map after checkpoint_open");
    snprintf(what, sizeof what, "ck.map_size after checkpoint_open(%s)", shape);
    LL_CHECK_UINT_EQ(ck.map_size, tm_checkpoint_size(s), what);
    check_loaded(&ck, (const float *)((const char *)ck.map + 28), s);
    LL_CHECK_INT_EQ(mappings_of(files.checkpoint), 1,
                    "mappings of the checkpoint file after checkpoint_open "
                    "(/proc/self/maps)");
    checkpoint_close(&ck);
    LL_CHECK_NULL(ck.map, "ck.map after checkpoint_close");
    LL_CHECK_INT_EQ(mappings_of(files.checkpoint), 0,
                    "mappings of the checkpoint file after checkpoint_close "
                    "(it must munmap)");
}

LL_TEST(checkpoint, open_maps_a_real_file)
{
    const int fd0 = next_fd();
    check_open(&TM_SHAPES[1]);
    const tm_shape s = random_shape();
    check_open(&s);
    LL_CHECK_INT_EQ(next_fd(), fd0,
                    "lowest free file descriptor after open and close (a "
                    "different one means the descriptor was left open)");
}

/* checkpoint_open on shape s's file cut or extended to `size` bytes. */
static void check_open_cut(const tm_shape *s, size_t size)
{
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, s), 0,
                    "writing the test model (test setup)");
    LL_CHECK_INT_EQ(truncate(files.checkpoint, (off_t)size), 0,
                    "truncate (test setup)");
    unsigned char *head = ll_alloc(28);
    memset(head, 0, 28);
    FILE *f = fopen(files.checkpoint, "rb");
    LL_CHECK_NOT_NULL(f, "reading the test model back (test setup)");
    LL_CHECK(fread(head, 1, 28, f) == (size < 28 ? size : 28),
             "reading the test model back (test setup)");
    fclose(f);
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    const int fd0 = next_fd();
    const int rc = checkpoint_open(&ck, files.checkpoint);
    const int fd1 = next_fd(), maps = mappings_of(files.checkpoint);
    if (rc == CK_OK)
        checkpoint_close(&ck);
    tm_files_remove(&files);
    int want = 0;
    LL_ORACLE
    {
        want = file_oracle(head, size);
    }
    free(head);
    char what[200];
    snprintf(what, sizeof what,
             "checkpoint_open(shape %s cut or extended to %zu of %zu bytes)",
             s->name, size, tm_checkpoint_size(s));
    LL_CHECK_INT_EQ(rc, want, what);
    LL_CHECK_INT_EQ(fd1, fd0,
                    "lowest free file descriptor after checkpoint_open (a "
                    "different one means a descriptor was left open)");
    LL_CHECK_INT_EQ(maps, rc == CK_OK,
                    "mappings of the file after checkpoint_open (a failed "
                    "open must munmap what it mapped)");
}

LL_TEST(checkpoint, open_rejects_bad_files_and_cleans_up)
{
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    const int fd0 = next_fd();
    LL_CHECK_INT_EQ(checkpoint_open(&ck, "/nonexistent/llmlings/model.bin"),
                    CK_ERR_OPEN, "checkpoint_open(a missing file)");
    LL_CHECK_NULL(ck.map, "ck.map after a failed open");
    LL_CHECK_INT_EQ(next_fd(), fd0,
                    "lowest free file descriptor after a failed open");
    const size_t full = LLG_SHAPES[0].checkpoint_size;
    check_open_cut(&TM_SHAPES[0], full - 8); /* truncated */
    check_open_cut(&TM_SHAPES[0], full + 4); /* oversized */
    check_open_cut(&TM_SHAPES[0], 10);       /* shorter than the header */
    check_open_cut(&TM_SHAPES[0], 0);        /* empty */
    const tm_shape s = random_shape();
    for (int k = 0; k < 4; k++)
        check_open_cut(&s, random_size(tm_checkpoint_size(&s)));
    /* a header that fails validation, in a file long enough */
    tm_shape bad = s;
    bad.n_kv_heads = bad.n_heads + 1;
    check_open_cut(&bad, 28 + 4 * (size_t)ll_rand_int(1, 100));
}

LL_TEST(checkpoint, open_refuses_what_is_not_a_regular_file)
{
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, &TM_SHAPES[0]), 0,
                    "writing the test files (test setup)");
    char fifo[320];
    snprintf(fifo, sizeof fifo, "%s/fifo.bin", files.dir);
    LL_CHECK_INT_EQ(mkfifo(fifo, 0600), 0, "mkfifo (test setup)");
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    const int fd0 = next_fd();
    /* opening a FIFO for reading waits for a writer, forever: open it with
     * O_NONBLOCK (or stat it first) and refuse what is not a regular file */
    const int fifo_rc = checkpoint_open(&ck, fifo);
    const int dir_rc = checkpoint_open(&ck, files.dir);
    const int dev_rc = checkpoint_open(&ck, "/dev/null");
    const int fd1 = next_fd();
    unlink(fifo);
    tm_files_remove(&files);
    LL_CHECK_INT_EQ(fifo_rc, CK_ERR_OPEN, "checkpoint_open(a FIFO)");
    LL_CHECK_INT_EQ(dir_rc, CK_ERR_OPEN, "checkpoint_open(a directory)");
    LL_CHECK_INT_EQ(dev_rc, CK_ERR_OPEN,
                    "checkpoint_open(\"/dev/null\", a character device)");
    LL_CHECK_NULL(ck.map, "ck.map after failed opens");
    LL_CHECK_INT_EQ(fd1, fd0,
                    "lowest free file descriptor after failed opens (a "
                    "different one means a descriptor was left open)");
    /* and a regular file still opens (a seeded shape) */
    const tm_shape s = random_shape();
    check_open(&s);
}

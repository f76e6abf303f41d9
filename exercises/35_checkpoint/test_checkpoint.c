/* Tests for 35_checkpoint. Students: read them, do not edit them.
 *
 * The checkpoints come from tinymodel.h; every expected offset, value and
 * size comes from the NumPy oracle (golden/llama_golden.h), which builds
 * and reads the same bytes on its own. */
#define _POSIX_C_SOURCE 200809L
#include "checkpoint.h"
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"

#include <string.h>
#include <unistd.h>

static const float *tensor(const TransformerWeights *w, const char *name)
{
    const struct {
        const char *name;
        const float *p;
    } t[] = {{"token_embedding", w->token_embedding},
             {"rms_att", w->rms_att},
             {"wq", w->wq},
             {"wk", w->wk},
             {"wv", w->wv},
             {"wo", w->wo},
             {"rms_ffn", w->rms_ffn},
             {"w1", w->w1},
             {"w2", w->w2},
             {"w3", w->w3},
             {"rms_final", w->rms_final},
             {"wcls", w->wcls}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].name, name) == 0)
            return t[i].p;
    return NULL;
}

/* The bytes of shape i, checked against the oracle's fingerprint. */
static void *build(int i, size_t *size)
{
    void *buf = tm_checkpoint_build(&TM_SHAPES[i], size);
    LL_CHECK_NOT_NULL(buf, "tm_checkpoint_build");
    LL_CHECK_UINT_EQ(tm_fnv1a(buf, *size), LLG_SHAPES[i].checkpoint_fnv,
                     "fingerprint of the generated checkpoint (a broken test "
                     "setup, not your code: rerun golden/llama.py)");
    return buf;
}

/* Every pointer lands at the oracle's offset and sees the oracle's values. */
static void check_weights(const Checkpoint *ck, const float *base,
                          const llg_shape *g)
{
    char what[160];
    const int *h = g->header;
    const int got[7] = {ck->config.dim,        ck->config.hidden_dim,
                        ck->config.n_layers,   ck->config.n_heads,
                        ck->config.n_kv_heads, ck->config.vocab_size,
                        ck->config.seq_len};
    static const char *const names[7] = {"dim",     "hidden_dim", "n_layers",
                                         "n_heads", "n_kv_heads", "vocab_size",
                                         "seq_len"};
    for (int f = 0; f < 7; f++) {
        snprintf(what, sizeof what, "shape %s: config.%s", g->name, names[f]);
        LL_CHECK_INT_EQ(got[f], h[f] < 0 ? -h[f] : h[f], what);
    }
    snprintf(what, sizeof what,
             "shape %s: shared_classifier (header vocab_size %d)", g->name,
             h[5]);
    LL_CHECK_INT_EQ(ck->shared_classifier, h[5] > 0, what);
    for (int t = 0; t < g->n_tensors; t++) {
        const llg_tensor *e = &g->tensors[t];
        const float *p = tensor(&ck->weights, e->name);
        snprintf(what, sizeof what, "shape %s: weights.%s", g->name, e->name);
        LL_CHECK_NOT_NULL(p, what);
        snprintf(what, sizeof what,
                 "shape %s: weights.%s, in floats after the 28-byte header",
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
        unsigned char *buf = build(i, &size);
        Checkpoint ck;
        memset(&ck, 0, sizeof ck);
        const int rc = checkpoint_from_memory(&ck, buf, size);
        char what[96];
        snprintf(what, sizeof what, "checkpoint_from_memory(shape %s)",
                 TM_SHAPES[i].name);
        LL_CHECK_INT_EQ(rc, CK_OK, what);
        check_weights(&ck, (const float *)(buf + 28), &LLG_SHAPES[i]);
        free(buf);
    }
}

LL_TEST(checkpoint, separate_classifier_follows_the_rope_tables)
{
    size_t size = 0;
    unsigned char *buf = build(2, &size); /* shape "cls": vocab_size < 0 */
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
    check_weights(&ck, (const float *)(buf + 28), &LLG_SHAPES[2]);
    free(buf);
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
}

static void expect_error(const int header[7], int code, const char *why)
{
    size_t size = 12345;
    char what[160];
    snprintf(what, sizeof what,
             "checkpoint_expected_size({%d, %d, %d, %d, %d, %d, %d}): %s",
             header[0], header[1], header[2], header[3], header[4], header[5],
             header[6], why);
    LL_CHECK_INT_EQ(checkpoint_expected_size(header, &size), code, what);
    /* from memory, with only the header present: the loader must decide
     * from the header alone (AddressSanitizer reports any read beyond) */
    void *buf = malloc(28);
    memcpy(buf, header, 28);
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    snprintf(what, sizeof what,
             "checkpoint_from_memory of a lone header {%d, %d, %d, %d, %d, "
             "%d, %d}: %s",
             header[0], header[1], header[2], header[3], header[4], header[5],
             header[6], why);
    LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, buf, 28), code, what);
    free(buf);
}

LL_TEST(checkpoint, rejects_zero_and_negative_dimensions)
{
    const int good[7] = {32, 96, 2, 4, 4, 384, 32};
    for (int f = 0; f < 7; f++) {
        int h[7];
        memcpy(h, good, sizeof h);
        h[f] = 0;
        expect_error(h, CK_ERR_DIM, "a zero dimension (CK_ERR_DIM)");
        if (f != 5) { /* a negative vocab_size is legal */
            h[f] = -32;
            expect_error(h, CK_ERR_DIM, "a negative dimension (CK_ERR_DIM)");
        }
    }
}

LL_TEST(checkpoint, rejects_heads_that_do_not_divide)
{
    const int a[7] = {30, 96, 2, 4, 4, 384, 32}; /* 30 % 4 */
    const int b[7] = {48, 96, 2, 6, 4, 384, 32}; /* 6 % 4 */
    const int c[7] = {32, 96, 2, 2, 4, 384, 32}; /* more kv heads than heads */
    const int d[7] = {12, 96, 2, 4, 4, 384, 32}; /* head_size 3 is odd */
    expect_error(a, CK_ERR_HEADS, "dim % n_heads != 0 (CK_ERR_HEADS)");
    expect_error(b, CK_ERR_HEADS, "n_heads % n_kv_heads != 0 (CK_ERR_HEADS)");
    expect_error(c, CK_ERR_HEADS, "n_kv_heads > n_heads (CK_ERR_HEADS)");
    expect_error(d, CK_ERR_HEADS, "odd head_size (CK_ERR_HEADS)");
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
    expect_error(a, CK_ERR_OVERFLOW, "the implied size overflows size_t");
    expect_error(b, CK_ERR_OVERFLOW, "the implied size overflows size_t");
    expect_error(c, CK_ERR_OVERFLOW, "the implied size overflows size_t");
}

LL_TEST(checkpoint, rejects_truncated_and_oversized_buffers)
{
    size_t size = 0;
    unsigned char *full = build(0, &size);
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    /* exact-size copies, so any read past the end is caught */
    unsigned char *shorter = malloc(size - 4);
    memcpy(shorter, full, size - 4);
    LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, shorter, size - 4),
                    CK_ERR_TRUNCATED, "one float missing (CK_ERR_TRUNCATED)");
    free(shorter);
    unsigned char *longer = malloc(size + 1);
    memcpy(longer, full, size);
    longer[size] = 0;
    LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, longer, size + 1),
                    CK_ERR_OVERSIZED, "one extra byte (CK_ERR_OVERSIZED)");
    free(longer);
    unsigned char *head = malloc(27);
    memcpy(head, full, 27);
    LL_CHECK_INT_EQ(checkpoint_from_memory(&ck, head, 27), CK_ERR_SHORT,
                    "27 bytes, less than the header (CK_ERR_SHORT)");
    free(head);
    LL_CHECK_INT_EQ(ck.config.dim, 0,
                    "ck->config after only failed loads (must stay "
                    "untouched)");
    free(full);
}

/* The lowest free file descriptor: equal before and after means no leak. */
static int next_fd(void)
{
    const int fd = dup(0);
    if (fd >= 0)
        close(fd);
    return fd;
}

LL_TEST(checkpoint, open_maps_a_real_file)
{
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, &TM_SHAPES[1]), 0,
                    "writing the test model (test setup)");
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    const int rc = checkpoint_open(&ck, files.checkpoint);
    tm_files_remove(&files); /* a mapping outlives the file's name */
    LL_CHECK_INT_EQ(rc, CK_OK, "checkpoint_open(shape gqa)");
    LL_CHECK_NOT_NULL(ck.map, "ck.map after checkpoint_open");
    LL_CHECK_UINT_EQ(ck.map_size, LLG_SHAPES[1].checkpoint_size,
                     "ck.map_size (the file size)");
    check_weights(&ck, (const float *)((const char *)ck.map + 28),
                  &LLG_SHAPES[1]);
    checkpoint_close(&ck);
    LL_CHECK_NULL(ck.map, "ck.map after checkpoint_close");
}

LL_TEST(checkpoint, open_rejects_bad_files_and_cleans_up)
{
    Checkpoint ck;
    memset(&ck, 0, sizeof ck);
    const int fd0 = next_fd();
    LL_CHECK_INT_EQ(checkpoint_open(&ck, "/nonexistent/llmlings/model.bin"),
                    CK_ERR_OPEN, "checkpoint_open(a missing file)");
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, &TM_SHAPES[0]), 0,
                    "writing the test model (test setup)");
    LL_CHECK_INT_EQ(
        truncate(files.checkpoint, (off_t)LLG_SHAPES[0].checkpoint_size - 8), 0,
        "truncate (test setup)");
    const int trunc_rc = checkpoint_open(&ck, files.checkpoint);
    LL_CHECK_INT_EQ(truncate(files.checkpoint, 10), 0, "truncate (test setup)");
    const int short_rc = checkpoint_open(&ck, files.checkpoint);
    tm_files_remove(&files);
    LL_CHECK_INT_EQ(trunc_rc, CK_ERR_TRUNCATED,
                    "checkpoint_open(a file 8 bytes short)");
    LL_CHECK_INT_EQ(short_rc, CK_ERR_SHORT, "checkpoint_open(a 10-byte file)");
    LL_CHECK_NULL(ck.map, "ck.map after failed opens");
    LL_CHECK_INT_EQ(next_fd(), fd0,
                    "lowest free file descriptor after failed opens (a "
                    "different one means a descriptor was left open)");
}

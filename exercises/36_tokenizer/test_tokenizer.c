/* Tests for 36_tokenizer. Students: read them, do not edit them.
 *
 * Two kinds of tokenizer.bin: the tiny one of tinymodel.h, whose expected
 * encodings come from the NumPy oracle's own implementation of llama2.c's
 * algorithm (golden/llama_golden.h), and vocabularies drawn from the
 * grader's seeded generator (ll_rand_*: when it grades, the grader may draw
 * other ones than the ones you see). Those have merges whose scores tie,
 * very low and infinite scores, multi-byte code points and no " " token
 * now and then; their expected ids come from oracle_encode() below, a
 * second implementation of tokenizer.h's rules written for clarity, not
 * speed (linear lookups, no sorting). */
#define _POSIX_C_SOURCE 200809L
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"
#include "tokenizer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- files
 * -------------------------------------------------------------------- */

/* A private directory for this test's files. */
static void temp_dir(char *dir, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, cap, "%s/llmlings_tok_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    LL_CHECK_NOT_NULL(mkdtemp(dir), "mkdtemp (test setup)");
}

/* tokenizer_load on `size` bytes written to a file; frees what it loaded
 * when it succeeds and returns its result. */
static int load_bytes(const void *bytes, size_t size, int vocab_size)
{
    char dir[256], path[300];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/tokenizer.bin", dir);
    LL_CHECK_INT_EQ(tm_write_file(path, bytes, size), 0,
                    "writing the tokenizer file (test setup)");
    Tokenizer t;
    const int rc = tokenizer_load(&t, path, vocab_size);
    unlink(path);
    rmdir(dir);
    if (rc == 0)
        tokenizer_free(&t);
    return rc;
}

/* ---- vocabularies
 * ------------------------------------------------------------ */

typedef struct {
    int n, max_len;
    char *str[1024]; /* NUL-terminated, no NUL inside */
    float score[1024];
} Vocab;

static void vocab_add(Vocab *v, const char *s, size_t len, float score)
{
    v->str[v->n] = ll_alloc(len + 1);
    memcpy(v->str[v->n], s, len);
    v->str[v->n][len] = '\0';
    v->score[v->n++] = score;
    if ((int)len > v->max_len)
        v->max_len = (int)len;
}

static void vocab_free(Vocab *v)
{
    for (int i = 0; i < v->n; i++)
        free(v->str[i]);
    v->n = 0;
}

/* The id of the token whose string is exactly s, or -1 (linear search). */
static int vocab_find(const Vocab *v, const char *s)
{
    for (int i = 0; i < v->n; i++)
        if (strcmp(v->str[i], s) == 0)
            return i;
    return -1;
}

/* The tiny vocabulary of tinymodel.h, first n tokens. */
static void tiny_vocab(Vocab *v, int n)
{
    memset(v, 0, sizeof *v);
    for (int i = 0; i < n; i++) {
        char s[32];
        const float score = tm_token(i, s, sizeof s);
        vocab_add(v, s, strlen(s), score);
    }
}

/* Code points the seeded vocabularies and texts are made of. */
static const char *const SYMBOLS[] = {" ",
                                      "a",
                                      "b",
                                      "c",
                                      "d",
                                      "e",
                                      "\n",
                                      ".",
                                      "\xc3\xa9" /* é */,
                                      "\xe6\x97\xa5" /* 日 */,
                                      "\xf0\x9f\x98\x80" /* 😀 */};
#define N_SYMBOLS ((int)(sizeof SYMBOLS / sizeof SYMBOLS[0]))

/* A score with frequent ties, now and then very low or infinite. */
static float random_score(void)
{
    switch (ll_rand_int(0, 9)) {
    case 0: return -1e30f;
    case 1: return -INFINITY;
    case 2: return INFINITY;
    default: return (float)ll_rand_int(-4, 4);
    }
}

/* A seeded vocabulary: the 3 special and 256 byte tokens, then most of
 * SYMBOLS (" " only if with_space), then merges: concatenations of two
 * earlier pieces, all distinct. */
static void random_vocab(Vocab *v, int with_space)
{
    memset(v, 0, sizeof *v);
    char s[32];
    for (int i = 0; i < 259; i++) {
        const float score = tm_token(i, s, sizeof s);
        vocab_add(v, s, strlen(s), score);
    }
    const int first = v->n;
    for (int i = 0; i < N_SYMBOLS; i++) {
        const int keep = i == 0   ? with_space
                         : i == 1 ? 1 /* "a": never an empty alphabet */
                                  : ll_rand_int(0, 5) != 0;
        if (keep)
            vocab_add(v, SYMBOLS[i], strlen(SYMBOLS[i]), random_score());
    }
    const int target = v->n + (int)ll_rand_int(20, 120);
    for (int tries = 0; v->n < target && tries < 5000; tries++) {
        const int a = (int)ll_rand_int(first, v->n - 1);
        const int b = (int)ll_rand_int(first, v->n - 1);
        const size_t la = strlen(v->str[a]), lb = strlen(v->str[b]);
        if (la + lb >= sizeof s)
            continue;
        memcpy(s, v->str[a], la);
        memcpy(s + la, v->str[b], lb + 1);
        if (vocab_find(v, s) < 0)
            vocab_add(v, s, la + lb, random_score());
    }
}

/* tokenizer.bin bytes of v (malloc'd) with max_token_length max_len. */
static unsigned char *vocab_bytes(const Vocab *v, int max_len, size_t *size)
{
    size_t n = 4;
    for (int i = 0; i < v->n; i++)
        n += 8 + strlen(v->str[i]);
    unsigned char *b = ll_alloc(n), *p = b + 4;
    const int32_t m = max_len;
    memcpy(b, &m, 4);
    for (int i = 0; i < v->n; i++) {
        const int32_t len = (int32_t)strlen(v->str[i]);
        memcpy(p, &v->score[i], 4);
        memcpy(p + 4, &len, 4);
        memcpy(p + 8, v->str[i], (size_t)len);
        p += 8 + len;
    }
    *size = n;
    return b;
}

/* Writes v and loads it into t (checked). */
static void load_vocab(Tokenizer *t, const Vocab *v)
{
    size_t size = 0;
    unsigned char *bytes = vocab_bytes(v, v->max_len, &size);
    char dir[256], path[300];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/tokenizer.bin", dir);
    LL_CHECK_INT_EQ(tm_write_file(path, bytes, size), 0,
                    "writing the tokenizer file (test setup)");
    free(bytes);
    const int rc = tokenizer_load(t, path, v->n);
    unlink(path);
    rmdir(dir);
    char what[96];
    snprintf(what, sizeof what, "tokenizer_load(a tokenizer.bin of %d tokens)",
             v->n);
    LL_CHECK_INT_EQ(rc, 0, what);
    LL_CHECK_NOT_NULL(t->vocab, "tokenizer.vocab after tokenizer_load");
    LL_CHECK_NOT_NULL(t->vocab_scores,
                      "tokenizer.vocab_scores after tokenizer_load");
}

/* ---- the oracle
 * ----------------------------------------------------------------- */

/* tokenizer.h's encode, independently: see the header comment. */
static int oracle_encode(const Vocab *v, const char *text, int bos, int eos,
                         int *out)
{
    int n = 0;
    if (bos)
        out[n++] = 1;
    if (text[0] != '\0') {
        const int space = vocab_find(v, " ");
        out[n++] = space >= 0 ? space : ' ' + 3;
    }
    /* pieces: a byte and the continuation bytes after it, 4 bytes at most */
    for (size_t i = 0; text[i] != '\0';) {
        size_t j = i + 1;
        while (j - i < 4 && ((unsigned char)text[j] & 0xC0) == 0x80)
            j++;
        char piece[5] = {0};
        memcpy(piece, text + i, j - i);
        const int id = vocab_find(v, piece);
        if (id >= 0)
            out[n++] = id;
        else
            for (size_t k = i; k < j; k++)
                out[n++] = (unsigned char)text[k] + 3;
        i = j;
    }
    for (;;) { /* merge the best pair, the leftmost of equals */
        int best = -1, at = -1;
        for (int i = 0; i + 1 < n; i++) {
            char pair[64];
            snprintf(pair, sizeof pair, "%s%s", v->str[out[i]],
                     v->str[out[i + 1]]);
            const int id = vocab_find(v, pair);
            if (id >= 0 && (best < 0 || v->score[id] > v->score[best])) {
                best = id;
                at = i;
            }
        }
        if (best < 0)
            break;
        out[at] = best;
        memmove(out + at + 1, out + at + 2, (size_t)(n - at - 2) * sizeof *out);
        n--;
    }
    if (eos)
        out[n++] = 2;
    return n;
}

/* tokenizer.h's decode, independently. */
static const char *oracle_decode(const Vocab *v, int prev, int token, char *buf)
{
    const char *piece = v->str[token];
    if (prev == 1 && piece[0] == ' ')
        piece++;
    unsigned int byte = 0;
    char close = 0;
    if (strlen(piece) == 6 && sscanf(piece, "<0x%2X%c", &byte, &close) == 2 &&
        close == '>') {
        buf[0] = (char)byte;
        buf[1] = '\0';
        return buf;
    }
    return piece;
}

/* ---- loading
 * --------------------------------------------------------------------- */

/* Writes the tiny tokenizer of tinymodel.h (vocab 384) and loads it. */
static void load_tiny(Tokenizer *t)
{
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, &TM_SHAPES[0]), 0,
                    "writing the test files (test setup)");
    const int rc = tokenizer_load(t, files.tokenizer, TM_TINY_VOCAB);
    tm_files_remove(&files);
    LL_CHECK_INT_EQ(rc, 0, "tokenizer_load(the tiny tokenizer.bin)");
    LL_CHECK_INT_EQ(t->vocab_size, TM_TINY_VOCAB, "tokenizer.vocab_size");
    LL_CHECK_NOT_NULL(t->vocab, "tokenizer.vocab");
    LL_CHECK_NOT_NULL(t->vocab_scores, "tokenizer.vocab_scores");
}

/* Every string and score of t against v. */
static void check_tokens(const Tokenizer *t, const Vocab *v, const char *name)
{
    char what[160];
    for (int i = 0; i < v->n; i++) {
        snprintf(what, sizeof what, "%s: tokenizer.vocab[%d]", name, i);
        LL_CHECK_STR_EQ(t->vocab[i], v->str[i], what);
    }
    snprintf(what, sizeof what, "%s: tokenizer.vocab_scores[i]", name);
    LL_CHECK_FLOATS_NEAR(t->vocab_scores, v->score, (size_t)v->n, 0.0f, 0.0f,
                         what);
}

LL_TEST(tokenizer, load_reads_every_token)
{
    Tokenizer t;
    load_tiny(&t);
    LL_CHECK_INT_EQ(t.max_token_length, LLG_TOK_MAX_LEN,
                    "tokenizer.max_token_length");
    Vocab v;
    tiny_vocab(&v, TM_TINY_VOCAB);
    check_tokens(&t, &v, "tiny tokenizer");
    vocab_free(&v);
    tokenizer_free(&t);
    /* a seeded vocabulary, with a max_token_length above the longest */
    random_vocab(&v, 1);
    v.max_len += (int)ll_rand_int(0, 3);
    load_vocab(&t, &v);
    LL_CHECK_INT_EQ(t.vocab_size, v.n, "tokenizer.vocab_size (seeded)");
    LL_CHECK_INT_EQ(t.max_token_length, v.max_len,
                    "tokenizer.max_token_length (seeded)");
    check_tokens(&t, &v, "seeded tokenizer");
    tokenizer_free(&t);
    vocab_free(&v);
}

/* What tokenizer_load must say about `size` bytes and vocab_size. */
static int oracle_load(const unsigned char *b, size_t size, int vocab_size)
{
    if (vocab_size < 259 || size < 4)
        return -1;
    int32_t max_len;
    memcpy(&max_len, b, 4);
    if (max_len < 0 || max_len > TOKENIZER_MAX_TOKEN_LENGTH)
        return -1;
    size_t off = 4;
    for (int i = 0; i < vocab_size; i++) {
        float score;
        int32_t len;
        if (size - off < 8)
            return -1;
        memcpy(&score, b + off, 4);
        memcpy(&len, b + off + 4, 4);
        if (isnan(score) || len < 0 || len > max_len ||
            size - off - 8 < (size_t)len)
            return -1;
        off += 8 + (size_t)len;
    }
    return 0;
}

/* The tiny tokenizer's bytes cut to n bytes, with token `token`'s length
 * field replaced by len (its score by NaN if nan_score). */
static int load_tiny_damaged_ex(size_t n, int token, int32_t len, int nan_score)
{
    size_t size = 0;
    unsigned char *bytes = tm_tokenizer_build(TM_TINY_VOCAB, &size);
    LL_CHECK_NOT_NULL(bytes, "tm_tokenizer_build (test setup)");
    if (token >= 0) {
        size_t off = 4;
        for (int i = 0; i < token; i++) {
            int32_t l;
            memcpy(&l, bytes + off + 4, 4);
            off += 8 + (size_t)l;
        }
        const float nan = NAN;
        if (nan_score)
            memcpy(bytes + off, &nan, 4);
        else
            memcpy(bytes + off + 4, &len, 4);
    }
    const int rc = load_bytes(bytes, n < size ? n : size, TM_TINY_VOCAB);
    free(bytes);
    return rc;
}

static int load_tiny_damaged(size_t n, int token, int32_t len)
{
    return load_tiny_damaged_ex(n, token, len, 0);
}

/* A seeded vocabulary's file, damaged in one of five ways at random. */
static void check_damaged(void)
{
    Vocab v;
    random_vocab(&v, 1);
    size_t size = 0;
    unsigned char *b = vocab_bytes(&v, v.max_len, &size);
    const int kind = (int)ll_rand_int(0, 4),
              token = (int)ll_rand_int(0, v.n - 1);
    size_t off = 4;
    for (int i = 0; i < token; i++)
        off += 8 + strlen(v.str[i]);
    char what[160];
    switch (kind) {
    case 0: /* cut anywhere, or not at all */
        size = (size_t)ll_rand_int(0, (long long)size);
        snprintf(what, sizeof what, "a file cut to %zu bytes", size);
        break;
    case 1: { /* one length field changed */
        const int32_t len = (int32_t)ll_rand_int(-3, v.max_len + 3);
        memcpy(b + off + 4, &len, 4);
        snprintf(what, sizeof what, "token %d's length changed to %d", token,
                 (int)len);
        break;
    }
    case 2: { /* max_token_length changed */
        const int32_t max_len = (int32_t)ll_rand_int(-2, v.max_len + 2);
        memcpy(b, &max_len, 4);
        snprintf(what, sizeof what, "max_token_length %d (longest token %d)",
                 (int)max_len, v.max_len);
        break;
    }
    case 3: { /* a NaN score */
        const float nan = NAN;
        memcpy(b + off, &nan, 4);
        snprintf(what, sizeof what, "token %d's score is NaN", token);
        break;
    }
    default: /* more tokens asked for than the file holds */
        snprintf(what, sizeof what, "vocab_size %d for a file of %d tokens",
                 v.n + 1, v.n);
        break;
    }
    const int vocab_size = kind == 4 ? v.n + 1 : v.n;
    char call[220];
    snprintf(call, sizeof call, "tokenizer_load(seeded file, %s)", what);
    LL_CHECK_INT_EQ(load_bytes(b, size, vocab_size),
                    oracle_load(b, size, vocab_size), call);
    free(b);
    vocab_free(&v);
}

LL_TEST(tokenizer, load_rejects_bad_files)
{
    Tokenizer t;
    LL_CHECK_INT_EQ(tokenizer_load(&t, "/nonexistent/tokenizer.bin", 384), -1,
                    "tokenizer_load(a missing file)");
    LL_CHECK_INT_EQ(load_tiny_damaged(2, -1, 0), -1,
                    "tokenizer_load(a 2-byte file)");
    LL_CHECK_INT_EQ(load_tiny_damaged(4000, -1, 0), -1,
                    "tokenizer_load(a file cut in the middle of a token)");
    LL_CHECK_INT_EQ(load_tiny_damaged(LLG_SHAPES[0].tokenizer_size - 1, -1, 0),
                    -1, "tokenizer_load(a file one byte short)");
    LL_CHECK_INT_EQ(load_tiny_damaged((size_t)-1, 300, -5), -1,
                    "tokenizer_load(token 300 with length -5)");
    LL_CHECK_INT_EQ(load_tiny_damaged((size_t)-1, 10, 1000), -1,
                    "tokenizer_load(token 10 longer than max_token_length)");
    LL_CHECK_INT_EQ(load_tiny_damaged_ex((size_t)-1, 42, 0, 1), -1,
                    "tokenizer_load(token 42 with a NaN score)");
    for (int i = 0; i < 12; i++)
        check_damaged();
}

LL_TEST(tokenizer, load_refuses_impossible_sizes)
{
    /* a vocabulary without room for the 3 special and 256 byte tokens */
    size_t size = 0;
    unsigned char *bytes = tm_tokenizer_build(TM_TINY_VOCAB, &size);
    LL_CHECK_NOT_NULL(bytes, "tm_tokenizer_build (test setup)");
    LL_CHECK_INT_EQ(load_bytes(bytes, size, 258), -1,
                    "tokenizer_load(vocab_size 258): byte tokens 3..258 need "
                    "at least 259 tokens");
    LL_CHECK_INT_EQ(load_bytes(bytes, size, 0), -1,
                    "tokenizer_load(vocab_size 0)");
    LL_CHECK_INT_EQ(load_bytes(bytes, size, -5), -1,
                    "tokenizer_load(vocab_size -5)");
    LL_CHECK_INT_EQ(load_bytes(bytes, size, 259), 0,
                    "tokenizer_load(vocab_size 259, the first 259 tokens)");
    /* a max_token_length above the limit asks for huge buffers */
    int32_t max_len = INT32_MAX;
    memcpy(bytes, &max_len, 4);
    LL_CHECK_INT_EQ(load_bytes(bytes, size, TM_TINY_VOCAB), -1,
                    "tokenizer_load(max_token_length 2^31 - 1)");
    max_len = TOKENIZER_MAX_TOKEN_LENGTH + 1;
    memcpy(bytes, &max_len, 4);
    LL_CHECK_INT_EQ(load_bytes(bytes, size, TM_TINY_VOCAB), -1,
                    "tokenizer_load(max_token_length TOKENIZER_MAX_TOKEN_"
                    "LENGTH + 1)");
    max_len = TOKENIZER_MAX_TOKEN_LENGTH;
    memcpy(bytes, &max_len, 4);
    LL_CHECK_INT_EQ(load_bytes(bytes, size, TM_TINY_VOCAB), 0,
                    "tokenizer_load(max_token_length TOKENIZER_MAX_TOKEN_"
                    "LENGTH)");
    /* seeded: a vocab_size below or above 259, a max_token_length below
     * or above the limit */
    for (int i = 0; i < 6; i++) {
        const int vocab_size = (int)ll_rand_int(200, TM_TINY_VOCAB);
        max_len = (int32_t)ll_rand_int(8, 2 * TOKENIZER_MAX_TOKEN_LENGTH);
        memcpy(bytes, &max_len, 4);
        char what[120];
        snprintf(what, sizeof what,
                 "tokenizer_load(vocab_size %d, max_token_length %d)",
                 vocab_size, (int)max_len);
        LL_CHECK_INT_EQ(load_bytes(bytes, size, vocab_size),
                        oracle_load(bytes, size, vocab_size), what);
    }
    free(bytes);
}

LL_TEST(tokenizer, load_refuses_what_is_not_a_regular_file)
{
    char dir[256], fifo[300];
    temp_dir(dir, sizeof dir);
    snprintf(fifo, sizeof fifo, "%s/fifo.bin", dir);
    LL_CHECK_INT_EQ(mkfifo(fifo, 0600), 0, "mkfifo (test setup)");
    Tokenizer t;
    /* fopen of a FIFO waits for a writer, forever: stat the path first, or
     * open it with O_NONBLOCK and fstat it */
    const int fifo_rc = tokenizer_load(&t, fifo, TM_TINY_VOCAB);
    const int dir_rc = tokenizer_load(&t, dir, TM_TINY_VOCAB);
    unlink(fifo);
    rmdir(dir);
    LL_CHECK_INT_EQ(fifo_rc, -1, "tokenizer_load(a FIFO)");
    LL_CHECK_INT_EQ(dir_rc, -1, "tokenizer_load(a directory)");
    /* and a regular file still loads (a seeded vocabulary) */
    Vocab v;
    random_vocab(&v, 1);
    load_vocab(&t, &v);
    check_tokens(&t, &v, "seeded tokenizer");
    tokenizer_free(&t);
    vocab_free(&v);
}

/* ---- lookups
 * ------------------------------------------------------------------ */

LL_TEST(tokenizer, lookup_finds_exact_strings)
{
    Tokenizer t;
    load_tiny(&t);
    LL_CHECK_INT_EQ(str_lookup(&t, "<unk>"), 0, "str_lookup(\"<unk>\")");
    LL_CHECK_INT_EQ(str_lookup(&t, "<0x41>"), 3 + 0x41,
                    "str_lookup(\"<0x41>\")");
    LL_CHECK_INT_EQ(str_lookup(&t, " t"), 259, "str_lookup(\" t\")");
    LL_CHECK_INT_EQ(str_lookup(&t, " the"), 266, "str_lookup(\" the\")");
    LL_CHECK_INT_EQ(str_lookup(&t, "\xc3\xa9"), 358, "str_lookup(\"é\")");
    LL_CHECK_INT_EQ(str_lookup(&t, " th"), -1,
                    "str_lookup(\" th\") (not a token)");
    LL_CHECK_INT_EQ(str_lookup(&t, ""), -1, "str_lookup(\"\")");
    tokenizer_free(&t);
    /* seeded: every token of a seeded vocabulary, and strings near them */
    Vocab v;
    random_vocab(&v, (int)ll_rand_int(0, 1));
    load_vocab(&t, &v);
    int *got = ll_alloc(2 * (size_t)v.n * sizeof *got);
    int *want = ll_alloc(2 * (size_t)v.n * sizeof *want);
    for (int i = 0; i < v.n; i++) {
        char near[40];
        snprintf(near, sizeof near, "%s%s", v.str[i],
                 SYMBOLS[ll_rand_int(0, N_SYMBOLS - 1)]);
        got[2 * i] = str_lookup(&t, v.str[i]);
        got[2 * i + 1] = str_lookup(&t, near);
        LL_ORACLE
        {
            want[2 * i] = vocab_find(&v, v.str[i]);
            want[2 * i + 1] = vocab_find(&v, near);
        }
    }
    LL_CHECK_BYTES_EQ(got, want, 2 * (size_t)v.n * sizeof *got,
                      "str_lookup of every token i of a seeded vocabulary "
                      "and of it with one more code point (int [2*i] and "
                      "[2*i+1]; -1 when not a token)");
    free(want);
    free(got);
    tokenizer_free(&t);
    vocab_free(&v);
}

/* ---- encoding
 * ----------------------------------------------------------------- */

static void format_ids(char *buf, size_t cap, const int *ids, int n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%d", i ? " " : "",
                                 ids[i]);
}

/* text as a C literal, for messages */
static void escape(char *buf, size_t cap, const char *text)
{
    size_t used = 0;
    for (const unsigned char *c = (const unsigned char *)text;
         *c && used + 5 < cap; c++)
        used += (size_t)snprintf(
            buf + used, cap - used,
            *c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\' ? "%c"
                                                               : "\\x%02x",
            *c);
    buf[used] = '\0';
}

/* encode(text) into a buffer of exactly strlen(text) + 3 ids, against the
 * expected ids (a space-separated list, "" when no tokens). */
static void check_encode(const Tokenizer *t, const char *text, int bos, int eos,
                         const char *want, const char *name)
{
    const size_t cap = strlen(text) + 3;
    int *tokens = ll_alloc(cap * sizeof *tokens);
    int n = -1;
    char esc[400], what[600], got[2048];
    escape(esc, sizeof esc, text);
    snprintf(what, sizeof what, "%s: encode(\"%s\", bos %d, eos %d)", name, esc,
             bos, eos);
    LL_CHECK_INT_EQ(encode(t, text, bos, eos, tokens, &n), 0, what);
    LL_CHECK(n >= 0 && (size_t)n <= cap,
             "%s: %d tokens, outside 0..strlen(text) + 3", what, n);
    format_ids(got, sizeof got, tokens, n);
    LL_CHECK_STR_EQ(got, want, what);
    free(tokens);
}

static void check_golden(const Tokenizer *t, const llg_encoding *e)
{
    char want[512];
    LL_ORACLE
    {
        format_ids(want, sizeof want, e->ids, e->n);
    }
    check_encode(t, e->text, e->bos, e->eos, want, "tiny tokenizer (NumPy)");
}

/* A seeded text of 0..max symbols (stray bytes too, if raw). */
static void random_text(char *text, size_t cap, int max, int raw)
{
    size_t used = 0;
    const int n = (int)ll_rand_int(0, max);
    for (int i = 0; i < n; i++) {
        if (raw && ll_rand_int(0, 4) == 0) { /* a lone byte, never NUL */
            const int run = (int)ll_rand_int(1, 6);
            const int byte = (int)ll_rand_int(1, 255);
            for (int k = 0; k < run && used + 1 < cap; k++)
                text[used++] = (char)(ll_rand_int(0, 1) ? byte : 0x80 + k);
            continue;
        }
        const char *s = SYMBOLS[ll_rand_int(0, N_SYMBOLS - 1)];
        if (used + strlen(s) + 1 < cap) {
            memcpy(text + used, s, strlen(s));
            used += strlen(s);
        }
    }
    text[used] = '\0';
}

/* encode on seeded texts of seeded vocabulary v, against oracle_encode. */
static void check_random_texts(const Vocab *v, int count, int max, int raw,
                               const char *name)
{
    Tokenizer t;
    load_vocab(&t, v);
    for (int i = 0; i < count; i++) {
        char text[200], want[2048];
        random_text(text, sizeof text, max, raw);
        const int bos = (int)ll_rand_int(0, 1), eos = (int)ll_rand_int(0, 1);
        LL_ORACLE
        {
            int ids[256];
            format_ids(want, sizeof want, ids,
                       oracle_encode(v, text, bos, eos, ids));
        }
        check_encode(&t, text, bos, eos, want, name);
    }
    tokenizer_free(&t);
}

LL_TEST(tokenizer, encode_merges_like_llama2c)
{
    Tokenizer t;
    load_tiny(&t);
    for (int i = 0; i < LLG_N_ENCODINGS; i++)
        if (i != 5 && i != 6)
            check_golden(&t, &LLG_ENCODINGS[i]);
    tokenizer_free(&t);
    Vocab v;
    random_vocab(&v, 1);
    check_random_texts(&v, 12, 30, 0, "seeded vocabulary");
    vocab_free(&v);
}

/* The byte tokens and 9 pieces, hand-picked: ids 259 " ", 260 "a",
 * 261 "b", 262 "ab" and 263 "ba" (equal scores), 264 "c", 265 "d",
 * 266 "cd" (score -inf) and 267 "😀" (4 bytes). */
static void load_edge_vocab(Tokenizer *t)
{
    Vocab v;
    tiny_vocab(&v, 259);
    const char *pieces[] = {
        " ", "a", "b", "ab", "ba", "c", "d", "cd", "\xf0\x9f\x98\x80"};
    const float scores[] = {0, 0, 0, 1, 1, 0, 0, -INFINITY, 0};
    for (int i = 0; i < 9; i++)
        vocab_add(&v, pieces[i], strlen(pieces[i]), scores[i]);
    load_vocab(t, &v);
    vocab_free(&v);
}

LL_TEST(tokenizer, encode_ties_go_to_the_leftmost_pair)
{
    /* "ab" and "ba" score the same: in " aba" the pair (a, b) comes first,
     * so the result is " ", "ab", "a" and not " ", "a", "ba" */
    Tokenizer t;
    load_edge_vocab(&t);
    check_encode(&t, "aba", 0, 0, "259 262 260", "\"ab\" and \"ba\" tie");
    check_encode(&t, "babab", 0, 0, "259 263 263 261", "\"ab\" and \"ba\" tie");
    tokenizer_free(&t);
    /* seeded: scores from -4..4, so that ties are everywhere */
    Vocab v;
    random_vocab(&v, 1);
    check_random_texts(&v, 12, 30, 0, "seeded vocabulary with ties");
    vocab_free(&v);
}

LL_TEST(tokenizer, encode_merges_whatever_the_score)
{
    /* "cd" scores -inf, and is still the best (the only) pair: there is no
     * threshold below which a token does not count */
    Tokenizer t;
    load_edge_vocab(&t);
    check_encode(&t, "cd", 0, 0, "259 266", "\"cd\" scores -inf");
    check_encode(&t, "acd", 1, 0, "1 259 260 266", "\"cd\" scores -inf");
    tokenizer_free(&t);
    /* seeded: scores of -1e30, -inf and +inf now and then */
    Vocab v;
    random_vocab(&v, 1);
    for (int i = 259; i < v.n; i++)
        if (ll_rand_int(0, 2) == 0)
            v.score[i] = ll_rand_int(0, 1) ? -INFINITY : -1e30f;
    check_random_texts(&v, 12, 30, 0, "seeded vocabulary, very low scores");
    vocab_free(&v);
}

LL_TEST(tokenizer, encode_utf8_and_byte_fallback)
{
    Tokenizer t;
    load_tiny(&t);
    /* "café 日本 😀": é and 日 are tokens; 本 (E6 9C AC) and 😀 (F0 9F 98 80)
     * are not, so they become byte tokens 233 159 175 and 243 162 155 131 */
    check_golden(&t, &LLG_ENCODINGS[5]);
    /* stray continuation bytes: grouped 4 at most, then bytes */
    check_golden(&t, &LLG_ENCODINGS[6]);
    tokenizer_free(&t);
    /* a 4-byte code point that is a token, then a stray continuation byte:
     * the piece stops at 4 bytes */
    load_edge_vocab(&t);
    check_encode(&t, "\xf0\x9f\x98\x80\x80", 0, 0, "259 267 131",
                 "\"😀\" then 0x80");
    tokenizer_free(&t);
    Vocab v;
    random_vocab(&v, 1);
    check_random_texts(&v, 12, 20, 1, "seeded vocabulary, stray bytes");
    vocab_free(&v);
}

LL_TEST(tokenizer, encode_without_a_space_token)
{
    /* the first 300 tokens of the tiny vocabulary have no " " (id 324):
     * the dummy prefix is then the byte token <0x20>, id 35, and "t", "h",
     * "e" (ids 329, 332, 325) are missing too: bytes 0x74 0x68 0x65 + 3 */
    Vocab v;
    tiny_vocab(&v, 300);
    Tokenizer t;
    load_vocab(&t, &v);
    check_encode(&t, "the", 1, 0, "1 35 119 107 104", "300-token vocabulary");
    check_encode(&t, "", 1, 1, "1 2", "300-token vocabulary");
    tokenizer_free(&t);
    vocab_free(&v);
    random_vocab(&v, 0);
    check_random_texts(&v, 12, 20, 1, "seeded vocabulary without \" \"");
    vocab_free(&v);
}

/* ---- decoding
 * ----------------------------------------------------------------- */

LL_TEST(tokenizer, decode_strips_and_unescapes)
{
    Tokenizer t;
    load_tiny(&t);
    LL_CHECK_STR_EQ(decode(&t, 1, 262), "a",
                    "decode(BOS, \" a\"): no space right after BOS");
    LL_CHECK_STR_EQ(decode(&t, 5, 262), " a", "decode(5, \" a\")");
    LL_CHECK_STR_EQ(decode(&t, 262, 266), " the", "decode(\" a\", \" the\")");
    LL_CHECK_STR_EQ(decode(&t, 1, 3 + 'A'), "A", "decode(BOS, <0x41>)");
    LL_CHECK_STR_EQ(decode(&t, 1, 3 + '\n'), "\n", "decode(BOS, <0x0A>)");
    LL_CHECK_STR_EQ(decode(&t, 7, 3 + 0xE6), "\xe6",
                    "decode(7, <0xE6>): the one-byte string \"\\xe6\"");
    LL_CHECK_STR_EQ(decode(&t, 1, 324), "",
                    "decode(BOS, \" \"): the space is stripped");
    tokenizer_free(&t);
    /* seeded: pairs from a seeded vocabulary, BOS often before */
    Vocab v;
    random_vocab(&v, 1);
    load_vocab(&t, &v);
    for (int i = 0; i < 40; i++) {
        const int prev = ll_rand_int(0, 2) ? (int)ll_rand_int(0, v.n - 1) : 1;
        const int token = ll_rand_int(0, 1) ? (int)ll_rand_int(3, 258)
                                            : (int)ll_rand_int(259, v.n - 1);
        char buf[2], what[80];
        const char *want = NULL;
        LL_ORACLE
        {
            want = oracle_decode(&v, prev, token, buf);
        }
        snprintf(what, sizeof what, "decode(prev %d, token %d)", prev, token);
        LL_CHECK_STR_EQ(decode(&t, prev, token), want, what);
    }
    tokenizer_free(&t);
    vocab_free(&v);
}

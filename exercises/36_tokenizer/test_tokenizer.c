/* Tests for 36_tokenizer. Students: read them, do not edit them.
 *
 * The tokenizer file comes from tinymodel.h; expected encodings come from
 * the NumPy oracle's own implementation of llama2.c's algorithm
 * (golden/llama_golden.h). */
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"
#include "tokenizer.h"

#include <stdio.h>
#include <string.h>

/* Writes the tiny tokenizer (vocab 384) and loads it. */
static void load(Tokenizer *t)
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

LL_TEST(tokenizer, load_reads_every_token)
{
    Tokenizer t;
    load(&t);
    LL_CHECK_INT_EQ(t.max_token_length, LLG_TOK_MAX_LEN,
                    "tokenizer.max_token_length");
    for (int i = 0; i < TM_TINY_VOCAB; i++) {
        char want[32], what[64];
        const float score = tm_token(i, want, sizeof want);
        snprintf(what, sizeof what, "tokenizer.vocab[%d]", i);
        LL_CHECK_STR_EQ(t.vocab[i], want, what);
        snprintf(what, sizeof what, "tokenizer.vocab_scores[%d]", i);
        LL_CHECK_FLOAT_NEAR(t.vocab_scores[i], score, 0, what);
    }
    tokenizer_free(&t);
}

/* Writes `n` bytes of a valid tokenizer, optionally with one length field
 * replaced, and returns what tokenizer_load says about it. */
static int load_damaged(size_t n, int patch_len_of_token, int32_t len)
{
    size_t size = 0;
    unsigned char *bytes = tm_tokenizer_build(TM_TINY_VOCAB, &size);
    if (patch_len_of_token >= 0) {
        size_t off = 4;
        for (int i = 0; i < patch_len_of_token; i++) {
            int32_t l;
            memcpy(&l, bytes + off + 4, 4);
            off += 8 + (size_t)l;
        }
        memcpy(bytes + off + 4, &len, 4);
    }
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, &TM_SHAPES[0]), 0,
                    "writing the test files (test setup)");
    LL_CHECK_INT_EQ(tm_write_file(files.tokenizer, bytes, n < size ? n : size),
                    0, "writing the damaged tokenizer (test setup)");
    free(bytes);
    Tokenizer t;
    const int rc = tokenizer_load(&t, files.tokenizer, TM_TINY_VOCAB);
    tm_files_remove(&files);
    if (rc == 0)
        tokenizer_free(&t);
    return rc;
}

LL_TEST(tokenizer, load_rejects_bad_files)
{
    Tokenizer t;
    LL_CHECK_INT_EQ(tokenizer_load(&t, "/nonexistent/tokenizer.bin", 384), -1,
                    "tokenizer_load(a missing file)");
    LL_CHECK_INT_EQ(load_damaged(2, -1, 0), -1,
                    "tokenizer_load(a 2-byte file)");
    LL_CHECK_INT_EQ(load_damaged(4000, -1, 0), -1,
                    "tokenizer_load(a file cut in the middle of a token)");
    LL_CHECK_INT_EQ(load_damaged(LLG_SHAPES[0].tokenizer_size - 1, -1, 0), -1,
                    "tokenizer_load(a file one byte short)");
    LL_CHECK_INT_EQ(load_damaged((size_t)-1, 300, -5), -1,
                    "tokenizer_load(token 300 with length -5)");
    LL_CHECK_INT_EQ(load_damaged((size_t)-1, 10, 1000), -1,
                    "tokenizer_load(token 10 longer than max_token_length)");
}

LL_TEST(tokenizer, lookup_finds_exact_strings)
{
    Tokenizer t;
    load(&t);
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
}

static void format_ids(char *buf, size_t cap, const int *ids, int n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%d", i ? " " : "",
                                 ids[i]);
}

static void check_encoding(const Tokenizer *t, const llg_encoding *e)
{
    int tokens[64];
    int n = -1;
    char what[256], got[512], want[512];
    snprintf(what, sizeof what, "encode(\"%s\", bos %d, eos %d)", e->text,
             e->bos, e->eos);
    LL_CHECK_INT_EQ(encode(t, e->text, e->bos, e->eos, tokens, &n), 0, what);
    format_ids(got, sizeof got, tokens, n < 0 ? 0 : n);
    format_ids(want, sizeof want, e->ids, e->n);
    LL_CHECK_STR_EQ(got, want, what);
}

LL_TEST(tokenizer, encode_merges_like_llama2c)
{
    Tokenizer t;
    load(&t);
    for (int i = 0; i < LLG_N_ENCODINGS; i++)
        if (i != 5 && i != 6)
            check_encoding(&t, &LLG_ENCODINGS[i]);
    tokenizer_free(&t);
}

LL_TEST(tokenizer, encode_utf8_and_byte_fallback)
{
    Tokenizer t;
    load(&t);
    /* "café 日本 😀": é and 日 are tokens; 本 (E6 9C AC) and 😀 (F0 9F 98 80)
     * are not, so they become byte tokens 233 159 175 and 243 162 155 131 */
    check_encoding(&t, &LLG_ENCODINGS[5]);
    /* stray continuation bytes: grouped 4 at most, then bytes */
    check_encoding(&t, &LLG_ENCODINGS[6]);
    tokenizer_free(&t);
}

LL_TEST(tokenizer, decode_strips_and_unescapes)
{
    Tokenizer t;
    load(&t);
    LL_CHECK_STR_EQ(decode(&t, 1, 262), "a",
                    "decode(BOS, \" a\"): no space right after BOS");
    LL_CHECK_STR_EQ(decode(&t, 5, 262), " a", "decode(5, \" a\")");
    LL_CHECK_STR_EQ(decode(&t, 262, 266), " the", "decode(\" a\", \" the\")");
    LL_CHECK_STR_EQ(decode(&t, 1, 3 + 'A'), "A", "decode(BOS, <0x41>)");
    LL_CHECK_STR_EQ(decode(&t, 1, 3 + '\n'), "\n", "decode(BOS, <0x0A>)");
    const char *hi = decode(&t, 7, 3 + 0xE6);
    LL_CHECK(hi != NULL && (unsigned char)hi[0] == 0xE6 && hi[1] == '\0',
             "decode(7, <0xE6>): expected the one-byte string \"\\xe6\"");
    LL_CHECK_STR_EQ(decode(&t, 1, 324), "",
                    "decode(BOS, \" \"): the space is stripped");
    tokenizer_free(&t);
}

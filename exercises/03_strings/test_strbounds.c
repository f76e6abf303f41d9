/* Tests for 03_strings. Students: read them, do not edit them.
 *
 * Buffers are malloc'ed with the exact size under test, so a single byte
 * written or read past the end is reported by AddressSanitizer. Besides the
 * fixed cases, each test draws strings, capacities and delimiters of its own
 * from the grader's seeded generator (ll_rand_*). */
#include "llmlings.h"
#include "strbounds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exactly n bytes of heap (ll_alloc adds a spare byte, which would hide an
 * off-by-one from AddressSanitizer). */
static void *exact_alloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    if (p == NULL)
        ll_fail(__FILE__, __LINE__, "the test could not allocate %zu bytes", n);
    return p;
}

/* A heap copy of s with exactly strlen(s) + 1 bytes. */
static char *exact_dup(const char *s)
{
    const size_t n = strlen(s) + 1;
    char *p = exact_alloc(n);
    memcpy(p, s, n);
    return p;
}

/* A seeded string of len characters drawn from alphabet, in an exact heap
 * buffer. */
static char *random_string_of(size_t len, const char *alphabet)
{
    const long long last = (long long)strlen(alphabet) - 1;
    char *s = exact_alloc(len + 1);
    for (size_t i = 0; i < len; i++)
        s[i] = alphabet[ll_rand_int(0, last)];
    s[len] = '\0';
    return s;
}

/* A seeded string of 0..max characters drawn from alphabet. */
static char *random_string(size_t max, const char *alphabet)
{
    return random_string_of((size_t)ll_rand_int(0, (long long)max), alphabet);
}

LL_TEST(strings, copy_fits)
{
    char buf[16];
    memset(buf, 'x', sizeof buf);
    size_t r = str_copy(buf, "hello", sizeof buf);
    LL_CHECK_STR_EQ(buf, "hello", "str_copy(buf, \"hello\", 16) wrote");
    LL_CHECK_UINT_EQ(r, 5, "str_copy(buf, \"hello\", 16) returned");

    /* Exactly enough room: 5 characters + NUL in a 6-byte heap buffer. */
    char *six = exact_alloc(6);
    r = str_copy(six, "world", 6);
    LL_CHECK_BYTES_EQ(six, "world", 6,
                      "str_copy into an exact 6-byte buffer wrote");
    LL_CHECK_UINT_EQ(r, 5, "str_copy(six, \"world\", 6) returned");
    free(six);

    char one[1] = {'x'};
    r = str_copy(one, "", 1);
    LL_CHECK_INT_EQ(one[0], '\0', "str_copy(one, \"\", 1) must write the NUL");
    LL_CHECK_UINT_EQ(r, 0, "str_copy(one, \"\", 1) returned");

    /* A seeded string into an exact buffer with room to spare (or none). */
    char *src = random_string(20, "abcdefghijklmnopqrstuvwxyz");
    const size_t len = strlen(src);
    const size_t cap = len + 1 + (size_t)ll_rand_int(0, 5);
    char *dst = exact_alloc(cap);
    memset(dst, 'x', cap);
    r = str_copy(dst, src, cap);
    char what[96];
    snprintf(what, sizeof what, "str_copy(dst, \"%s\", %zu) wrote", src, cap);
    LL_CHECK_BYTES_EQ(dst, src, len + 1, what);
    snprintf(what, sizeof what, "str_copy(dst, \"%s\", %zu) returned", src,
             cap);
    LL_CHECK_UINT_EQ(r, len, what);
    free(dst);
    free(src);
}

LL_TEST(strings, copy_truncates_within_cap)
{
    char *five = exact_alloc(5);
    size_t r = str_copy(five, "hello world", 5);
    LL_CHECK_UINT_EQ(r, 11,
                     "str_copy(dst, \"hello world\", 5) returned (the "
                     "full source length)");
    LL_CHECK_BYTES_EQ(
        five, "hell", 5,
        "str_copy(dst, \"hello world\", 5) wrote (4 chars + NUL)");
    free(five);

    char guard[4] = {'a', 'b', 'c', 'd'};
    r = str_copy(guard, "xyz", 0);
    LL_CHECK_UINT_EQ(r, 3, "str_copy(dst, \"xyz\", 0) returned");
    LL_CHECK_BYTES_EQ(guard, "abcd", 4,
                      "str_copy with cap 0 must not write anything");
    LL_CHECK_UINT_EQ(
        str_copy(NULL, "abc", 0), 3,
        "str_copy(NULL, \"abc\", 0) (cap 0: dst is never touched)");

    char two[2];
    r = str_copy(two, "ab", 2);
    LL_CHECK_BYTES_EQ(two, "a", 2, "str_copy(two, \"ab\", 2) wrote");
    LL_CHECK_UINT_EQ(r, 2, "str_copy(two, \"ab\", 2) returned");

    /* A seeded string into an exact buffer too small for it (cap <= len). */
    const size_t len = (size_t)ll_rand_int(1, 24);
    char *src = random_string_of(len, "abcdefghijklmnopqrstuvwxyz");
    const size_t cap = (size_t)ll_rand_int(1, (long long)len);
    char *dst = exact_alloc(cap);
    char *want = ll_alloc(cap);
    memset(dst, 'x', cap);
    LL_ORACLE
    {
        snprintf(want, cap, "%s", src);
    }
    r = str_copy(dst, src, cap);
    char what[96];
    snprintf(what, sizeof what, "str_copy(dst, \"%s\", %zu) wrote", src, cap);
    LL_CHECK_BYTES_EQ(dst, want, cap, what);
    snprintf(what, sizeof what, "str_copy(dst, \"%s\", %zu) returned", src,
             cap);
    LL_CHECK_UINT_EQ(r, len, what);
    free(want);
    free(dst);
    free(src);
}

/* Splits a copy of text on ',' with room for max_out fields in an exact
 * array, and checks the count, the buffer and every stored field. */
static void check_split(const char *text, size_t max_out)
{
    const size_t len = strlen(text);
    char *s = exact_dup(text);
    char **out = max_out > 0 ? exact_alloc(max_out * sizeof *out) : NULL;
    for (size_t i = 0; i < max_out; i++)
        out[i] = NULL;
    size_t want_n = 1;
    char *want_s = ll_alloc(len + 1);
    float *want_at = ll_alloc(max_out * sizeof *want_at);
    LL_ORACLE
    {
        if (max_out > 0)
            want_at[0] = 0.0f; /* field 0 starts at s */
        for (size_t i = 0; i <= len; i++) {
            want_s[i] = text[i] == ',' ? '\0' : text[i];
            if (text[i] == ',' && want_n++ < max_out)
                want_at[want_n - 1] = (float)(i + 1);
        }
    }
    const size_t n = str_split(s, ',', out, max_out);
    char what[128];
    snprintf(what, sizeof what, "str_split(\"%s\", ',', out, %zu) returned",
             text, max_out);
    LL_CHECK_UINT_EQ(n, want_n, what);
    snprintf(what, sizeof what,
             "s after str_split(\"%s\", ',', ...) (every ',' becomes NUL)",
             text);
    LL_CHECK_BYTES_EQ(s, want_s, len + 1, what);
    const size_t stored = n < max_out ? n : max_out;
    float *got_at = ll_alloc(stored * sizeof *got_at);
    for (size_t i = 0; i < stored; i++)
        got_at[i] = out[i] == NULL ? -1.0f : (float)(out[i] - s);
    snprintf(what, sizeof what,
             "str_split(\"%s\", ',', out, %zu): out[i] - s, where field i "
             "starts (element [i]; -1: NULL)",
             text, max_out);
    LL_CHECK_FLOATS_NEAR(got_at, want_at, stored, 0.0f, 0.0f, what);
    free(got_at);
    free(want_at);
    free(want_s);
    free(out);
    free(s);
}

LL_TEST(strings, split_fields)
{
    char *s = exact_dup("a,bb,,c");
    char *out[8] = {NULL};
    size_t n = str_split(s, ',', out, 8);
    LL_CHECK_UINT_EQ(n, 4, "str_split(\"a,bb,,c\", ',') field count");
    LL_CHECK_PTR_EQ(out[0], s, "field 0 must point at the start of s");
    LL_CHECK_STR_EQ(out[0], "a", "field 0 of \"a,bb,,c\"");
    LL_CHECK_STR_EQ(out[1], "bb", "field 1 of \"a,bb,,c\"");
    LL_CHECK_STR_EQ(out[2], "", "field 2 of \"a,bb,,c\" (empty)");
    LL_CHECK_STR_EQ(out[3], "c", "field 3 of \"a,bb,,c\"");
    LL_CHECK_PTR_EQ(out[3], s + 6, "field 3 must point into s (at s + 6)");
    free(s);

    s = exact_dup("x");
    n = str_split(s, ',', out, 8);
    LL_CHECK_UINT_EQ(n, 1, "str_split(\"x\", ',') field count");
    LL_CHECK_STR_EQ(out[0], "x", "field 0 of \"x\"");
    free(s);

    s = exact_dup("");
    out[0] = NULL;
    n = str_split(s, ',', out, 8);
    LL_CHECK_UINT_EQ(n, 1,
                     "str_split(\"\", ',') field count (one empty field)");
    LL_CHECK_STR_EQ(out[0], "", "field 0 of \"\"");
    free(s);

    s = exact_dup(";x;");
    n = str_split(s, ';', out, 8);
    LL_CHECK_UINT_EQ(n, 3, "str_split(\";x;\", ';') field count");
    LL_CHECK_STR_EQ(out[0], "", "field 0 of \";x;\"");
    LL_CHECK_STR_EQ(out[1], "x", "field 1 of \";x;\"");
    LL_CHECK_STR_EQ(out[2], "", "field 2 of \";x;\"");
    free(s);

    /* Seeded text (8 to 24 characters: never empty, so every seed gives
     * another split) with empty fields likely, and room for every field. */
    char *text = random_string_of((size_t)ll_rand_int(8, 24), "ab,,");
    check_split(text, strlen(text) + 1);
    free(text);
}

LL_TEST(strings, split_never_overflows_out)
{
    char *s = exact_dup("1,22,333,4,5");
    /* Room for exactly two pointers: storing a third is a heap overflow. */
    char **out = exact_alloc(2 * sizeof *out);
    out[0] = out[1] = NULL;
    size_t n = str_split(s, ',', out, 2);
    LL_CHECK_UINT_EQ(n, 5,
                     "str_split(\"1,22,333,4,5\", ',', out, 2) returns "
                     "the total field count");
    LL_CHECK_STR_EQ(out[0], "1", "field 0");
    LL_CHECK_STR_EQ(out[1], "22", "field 1");
    LL_CHECK_BYTES_EQ(s,
                      "1\0"
                      "22\0"
                      "333\0"
                      "4\0"
                      "5",
                      13, "s after the split (every ',' replaced by NUL)");
    free(out);
    free(s);

    s = exact_dup("p,q");
    n = str_split(s, ',', NULL, 0);
    LL_CHECK_UINT_EQ(n, 2, "str_split(\"p,q\", ',', NULL, 0) (only counts)");
    free(s);

    /* Seeded text and a seeded room, often smaller than the field count. */
    char *text = random_string(24, "ab,,");
    check_split(text, (size_t)ll_rand_int(0, 4));
    free(text);
}

LL_TEST(strings, reverse_in_place)
{
    static const char *const cases[][2] = {
        {"abcde", "edcba"}, {"ab", "ba"}, {"racecar", "racecar"},
        {"x", "x"},         {"", ""},     {"hello, world", "dlrow ,olleh"},
    };
    char what[96];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *s = exact_dup(cases[c][0]);
        str_reverse(s);
        snprintf(what, sizeof what, "str_reverse(\"%s\")", cases[c][0]);
        LL_CHECK_STR_EQ(s, cases[c][1], what);
        free(s);
    }

    /* A seeded string of even or odd length. */
    char *text = random_string(40, "abcdefghijklmnopqrstuvwxyz0123456789 ,.");
    const size_t len = strlen(text);
    char *s = exact_dup(text);
    char *want = ll_alloc(len + 1);
    LL_ORACLE
    {
        for (size_t i = 0; i < len; i++)
            want[i] = text[len - 1 - i];
        want[len] = '\0';
    }
    str_reverse(s);
    snprintf(what, sizeof what, "str_reverse(\"%s\")", text);
    LL_CHECK_STR_EQ(s, want, what);
    free(want);
    free(s);
    free(text);
}

LL_TEST(strings, count_tokens_like_strtok)
{
    LL_CHECK_UINT_EQ(count_tokens("  the quick  brown fox ", " "), 4,
                     "count_tokens(\"  the quick  brown fox \", \" \")");
    LL_CHECK_UINT_EQ(count_tokens("a,b;;c", ",;"), 3,
                     "count_tokens(\"a,b;;c\", \",;\")");
    LL_CHECK_UINT_EQ(count_tokens("word", " "), 1,
                     "count_tokens(\"word\", \" \")");
    LL_CHECK_UINT_EQ(count_tokens("word", ""), 1,
                     "count_tokens(\"word\", \"\") (no delimiters at all)");
    LL_CHECK_UINT_EQ(count_tokens("", " "), 0, "count_tokens(\"\", \" \")");
    LL_CHECK_UINT_EQ(count_tokens(",,,", ","), 0,
                     "count_tokens(\",,,\", \",\") (only delimiters)");
    char *s = exact_dup("x y");
    size_t n = count_tokens(s, " ");
    free(s);
    LL_CHECK_UINT_EQ(n, 2, "count_tokens(\"x y\", \" \") on an exact buffer");

    /* Ending in delimiters, on an exact buffer: nothing past the NUL may be
     * read (strchr(delims, '\0') finds the NUL of delims). */
    s = exact_dup("  the quick  brown fox ");
    n = count_tokens(s, " ");
    free(s);
    LL_CHECK_UINT_EQ(n, 4,
                     "count_tokens(\"  the quick  brown fox \", \" \") on an "
                     "exact buffer");

    /* Seeded text and a seeded set of delimiters, counted by strtok. */
    char *text = random_string(30, "ab  ,;");
    char *delims = random_string(3, " ,;");
    size_t want = 0;
    LL_ORACLE
    {
        char *copy = ll_alloc(strlen(text) + 1);
        strcpy(copy, text);
        for (char *t = strtok(copy, delims); t != NULL;
             t = strtok(NULL, delims))
            want++;
        free(copy);
    }
    n = count_tokens(text, delims);
    char what[96];
    snprintf(what, sizeof what, "count_tokens(\"%s\", \"%s\")", text, delims);
    LL_CHECK_UINT_EQ(n, want, what);
    free(delims);
    free(text);
}

/* utf8_seq_len(text) on an exact heap copy of text (bytes past the NUL are
 * not ours: ASan reports a read of them). */
static void check_seq_len(const char *text, size_t want, const char *label)
{
    char *s = exact_dup(text);
    char what[96];
    snprintf(what, sizeof what, "utf8_seq_len(%s)", label);
    LL_CHECK_UINT_EQ(utf8_seq_len(s), want, what);
    free(s);
}

/* Appends one seeded "unit" to s at *len (at most 5 bytes): a valid code
 * point of 1..4 bytes, a stray continuation byte, a byte 11111xxx (and
 * continuation bytes), or a lead byte cut short (by continuation bytes too
 * few, then an ASCII letter). */
static void append_unit(unsigned char *s, size_t *len)
{
    const int kind = (int)ll_rand_int(0, 9);
    if (kind <= 5) { /* a code point, encoded by the test */
        static const long long top[4] = {0x7F, 0x7FF, 0xFFFF, 0x10FFFF};
        static const unsigned char lead[4] = {0x00, 0xC0, 0xE0, 0xF0};
        const int bytes = (int)ll_rand_int(1, 4);
        const unsigned long cp = (unsigned long)ll_rand_int(
            bytes == 1 ? 1 : top[bytes - 2] + 1, top[bytes - 1]);
        s[(*len)++] =
            (unsigned char)(lead[bytes - 1] | (cp >> (6 * (bytes - 1))));
        for (int k = bytes - 2; k >= 0; k--)
            s[(*len)++] = (unsigned char)(0x80 | ((cp >> (6 * k)) & 0x3F));
    } else if (kind == 6) { /* a continuation byte with no lead */
        s[(*len)++] = (unsigned char)ll_rand_int(0x80, 0xBF);
    } else if (kind == 7) { /* 11111xxx starts nothing, even when
                               continuation bytes follow */
        s[(*len)++] = (unsigned char)ll_rand_int(0xF8, 0xFF);
        for (int k = (int)ll_rand_int(0, 3); k > 0; k--)
            s[(*len)++] = (unsigned char)ll_rand_int(0x80, 0xBF);
    } else { /* a lead for 2..4 bytes, too few continuation bytes, a letter */
        static const unsigned char lead[3] = {0xC2, 0xE1, 0xF1};
        const int bytes = (int)ll_rand_int(2, 4);
        s[(*len)++] = lead[bytes - 2];
        const int cont = (int)ll_rand_int(0, bytes - 2);
        for (int k = 0; k < cont; k++)
            s[(*len)++] = (unsigned char)ll_rand_int(0x80, 0xBF);
        s[(*len)++] = (unsigned char)ll_rand_int('a', 'z');
    }
}

/* The test's own reading of the sequence at p: count the lead byte's
 * leading one bits, then look at that many - 1 bytes after it. */
static size_t oracle_seq_len(const unsigned char *p)
{
    if (p[0] == 0)
        return 0;
    size_t ones = 0;
    while (ones < 8 && ((p[0] << ones) & 0x80) != 0)
        ones++;
    if (ones == 0)
        return 1;
    if (ones == 1 || ones > 4)
        return 1;
    for (size_t k = 1; k < ones; k++)
        if ((p[k] >> 6) != 2)
            return 1;
    return ones;
}

LL_TEST(strings, utf8_sequences)
{
    check_seq_len("", 0, "\"\" (the NUL)");
    check_seq_len("A", 1, "\"A\" (ASCII)");
    check_seq_len("\xc3\xa9", 2, "\"\\xc3\\xa9\" (e acute)");
    check_seq_len("\xe2\x82\xac", 3, "\"\\xe2\\x82\\xac\" (the euro sign)");
    check_seq_len("\xf0\x9f\x98\x80", 4, "\"\\xf0\\x9f\\x98\\x80\" (an emoji)");
    check_seq_len("\xc3\xa9z", 2, "\"\\xc3\\xa9z\" (only the first point)");
    check_seq_len("\x80", 1, "\"\\x80\" (a continuation byte alone)");
    check_seq_len("\xff\x80", 1, "\"\\xff\\x80\" (0xff starts nothing)");
    check_seq_len("\xf8\x80\x80\x80", 1,
                  "\"\\xf8\\x80\\x80\\x80\" (0xf8 starts nothing either)");
    check_seq_len("\xc3z", 1, "\"\\xc3z\" (a lead byte cut short)");
    check_seq_len(
        "\xe2\x82", 1,
        "\"\\xe2\\x82\" (cut short by the NUL: read nothing past it)");
    check_seq_len("\xf0\x9f\x98", 1,
                  "\"\\xf0\\x9f\\x98\" (cut short by the NUL: read nothing "
                  "past it)");

    char *h = exact_dup("h\xc3\xa9llo");
    LL_CHECK_UINT_EQ(utf8_count(h), 5,
                     "utf8_count(\"h\\xc3\\xa9llo\") (6 bytes)");
    free(h);
    h = exact_dup("a\x80"
                  "b");
    LL_CHECK_UINT_EQ(utf8_count(h), 3, "utf8_count(\"a\\x80b\")");
    free(h);
    LL_CHECK_UINT_EQ(utf8_count(""), 0, "utf8_count(\"\")");

    /* Seeded text made of seeded units, valid and not: the lengths of the
     * sequences in order, and their count. */
    enum { UNITS = 24, MAX_SEQ = UNITS * 4 };
    unsigned char bytes[UNITS * 5 + 1];
    size_t len = 0;
    for (int u = 0; u < UNITS; u++)
        append_unit(bytes, &len);
    bytes[len] = '\0';
    char *s = exact_dup((const char *)bytes);
    float got[MAX_SEQ] = {0}, want[MAX_SEQ] = {0};
    size_t steps = 0, n = 0;
    for (size_t at = 0, step;
         steps < MAX_SEQ && at < len && (step = utf8_seq_len(s + at)) != 0;
         at += step)
        got[steps++] = (float)step;
    LL_ORACLE
    {
        for (size_t at = 0; at < len; at += oracle_seq_len(bytes + at))
            want[n++] = (float)oracle_seq_len(bytes + at);
    }
    char what[160];
    snprintf(what, sizeof what,
             "number of utf8_seq_len steps through %zu seeded bytes of "
             "UTF-8 and stray bytes",
             len);
    LL_CHECK_UINT_EQ(steps, n, what);
    LL_CHECK_FLOATS_NEAR(got, want, steps, 0.0f, 0.0f,
                         "utf8_seq_len at each step through the seeded bytes "
                         "(element [k]: step k)");
    LL_CHECK_UINT_EQ(utf8_count(s), n, "utf8_count of the seeded bytes");
    free(s);
}

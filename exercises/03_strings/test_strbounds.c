/* Tests for 03_strings. Students: read them, do not edit them.
 *
 * Buffers are malloc'ed with the exact size under test, so a single byte
 * written or read past the end is reported by AddressSanitizer. */
#include "llmlings.h"
#include "strbounds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A heap copy of s with exactly strlen(s) + 1 bytes. */
static char *exact_dup(const char *s)
{
    const size_t n = strlen(s) + 1;
    char *p = malloc(n);
    LL_CHECK_NOT_NULL(p, "malloc");
    memcpy(p, s, n);
    return p;
}

LL_TEST(strings, copy_fits)
{
    char buf[16];
    memset(buf, 'x', sizeof buf);
    size_t r = str_copy(buf, "hello", sizeof buf);
    LL_CHECK_STR_EQ(buf, "hello", "str_copy(buf, \"hello\", 16) wrote");
    LL_CHECK_UINT_EQ(r, 5, "str_copy(buf, \"hello\", 16) returned");

    /* Exactly enough room: 5 characters + NUL in a 6-byte heap buffer. */
    char *six = malloc(6);
    LL_CHECK_NOT_NULL(six, "malloc");
    r = str_copy(six, "world", 6);
    int same = strcmp(six, "world") == 0;
    free(six);
    LL_CHECK(same, "str_copy into an exact 6-byte buffer: expected \"world\"");
    LL_CHECK_UINT_EQ(r, 5, "str_copy(six, \"world\", 6) returned");

    char one[1] = {'x'};
    r = str_copy(one, "", 1);
    LL_CHECK_INT_EQ(one[0], '\0', "str_copy(one, \"\", 1) must write the NUL");
    LL_CHECK_UINT_EQ(r, 0, "str_copy(one, \"\", 1) returned");
}

LL_TEST(strings, copy_truncates_within_cap)
{
    char *five = malloc(5);
    LL_CHECK_NOT_NULL(five, "malloc");
    size_t r = str_copy(five, "hello world", 5);
    char got[5];
    memcpy(got, five, 5);
    free(five);
    LL_CHECK_UINT_EQ(r, 11,
                     "str_copy(dst, \"hello world\", 5) returned (the "
                     "full source length)");
    LL_CHECK_BYTES_EQ(
        got, "hell", 5,
        "str_copy(dst, \"hello world\", 5) wrote (4 chars + NUL)");

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
}

LL_TEST(strings, split_never_overflows_out)
{
    char *s = exact_dup("1,22,333,4,5");
    /* Room for exactly two pointers: storing a third is a heap overflow. */
    char **out = malloc(2 * sizeof *out);
    LL_CHECK_NOT_NULL(out, "malloc");
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
}

LL_TEST(strings, reverse_in_place)
{
    static const char *const cases[][2] = {
        {"abcde", "edcba"}, {"ab", "ba"}, {"racecar", "racecar"},
        {"x", "x"},         {"", ""},     {"hello, world", "dlrow ,olleh"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *s = exact_dup(cases[c][0]);
        str_reverse(s);
        const int ok = strcmp(s, cases[c][1]) == 0;
        char got[32];
        snprintf(got, sizeof got, "%s", s); /* for the message */
        free(s);
        LL_CHECK(ok, "str_reverse(\"%s\"): expected \"%s\", got \"%s\"",
                 cases[c][0], cases[c][1], got);
    }
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
}

/* Unit tests for the text helpers: UTF-8 sanitizing, SHA-256, test
 * discovery and the harness record parser. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "base/utf8.h"
#include "run/find_tests.h"
#include "run/harness_records.h"

static char *sanitize(const char *s, size_t n)
{
    return utf8_sanitize(s, n);
}

Test(utf8, valid_text_is_unchanged)
{
    const char *s = "caf\xc3\xa9 \xe2\x82\xac\n\ttab";
    char *out = sanitize(s, strlen(s));
    cr_assert_str_eq(out, s);
    free(out);
}

Test(utf8, invalid_bytes_and_controls_are_replaced)
{
    const char s[] = "a\xff"
                     "b\x1b[2Jc\r\x00z\xc0\xaf";
    char *out = sanitize(s, sizeof s - 1);
    cr_assert_str_eq(out, "a\xef\xbf\xbd"
                          "b\xef\xbf\xbd[2Jc\xef\xbf\xbd"
                          "\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd");
    free(out);
}

Test(utf8, surrogates_and_truncated_sequences_are_replaced)
{
    const char s[] = "\xed\xa0\x80|\xe2\x82";
    char *out = sanitize(s, sizeof s - 1);
    cr_assert_str_eq(out, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
                          "\xef\xbf\xbd\xef\xbf\xbd");
    free(out);
}

static void hash_of(const char *s, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, s, strlen(s));
    sha256_final_hex(&c, hex);
}

Test(sha256, known_vectors)
{
    char hex[65];
    hash_of("", hex);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4"
                          "95991b7852b855");
    hash_of("abc", hex);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb4"
                          "10ff61f20015ad");
    hash_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hex);
    cr_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6"
                          "ecedd419db06c1");
}

Test(find_tests, finds_tests_and_ignores_comments_and_strings)
{
    const char *src = "LL_TEST(vec, push) {}\n"
                      "// LL_TEST(vec, commented) {}\n"
                      "/* LL_TEST(vec, block)\n */\n"
                      "const char *s = \"LL_TEST(vec, in_string)\";\n"
                      "LL_TEST( vec , grow, .description = \"x\") {}\n"
                      "MY_LL_TEST(vec, not_ours) {}\n";
    strlist names = {0};
    cr_assert_eq(find_tests(src, &names), 2);
    cr_assert_str_eq(names.v[0], "vec/push");
    cr_assert_str_eq(names.v[1], "vec/grow");
    strlist_free(&names);
}

Test(records, are_read)
{
    const char *text =
        "start s/t\n"
        "metric gflops 12.5\n"
        "fail test_x.c:9 sum: expected \\\"3\\\", got 2\\n\\x1b\n"
        "fail test_x.c:10 second\n"
        "done s/t 0123abcd\n";
    harness_records r;
    records_parse(text, strlen(text), "s/t", "0123abcd", &r);
    cr_assert(r.started && r.done && !r.forged);
    cr_assert_eq(r.nfails, 2);
    cr_assert_str_eq(r.first_fail,
                     "test_x.c:9: sum: expected \"3\", got 2\n\xef\xbf\xbd");
    cr_assert_eq(r.nmetrics, 1);
    cr_assert_str_eq(r.metrics[0].name, "gflops");
    cr_assert_float_eq(r.metrics[0].value, 12.5, 1e-12);
    records_free(&r);
}

Test(records, cut_off_and_garbage_lines_are_ignored)
{
    const char *text =
        "garbage\nstart s/t\nmetric x notanumber\ndone s/t n0nce";
    harness_records r;
    records_parse(text, strlen(text), "s/t", "n0nce", &r);
    cr_assert(r.started);
    cr_assert(!r.done, "a record without its newline was cut off");
    cr_assert(!r.forged);
    cr_assert_eq(r.nmetrics, 0);
    records_free(&r);
}

/* Student code can write records too: only the harness's "done" with the
 * run's nonce counts, and any other "done" is a forgery. */
Test(records, done_without_the_nonce_is_forged)
{
    static const char *const forgeries[] = {"done s/t\n", "done s/t wrong\n",
                                            "done other/test n0nce\n", "done\n",
                                            "done s/t n0nce extra\n"};
    for (size_t i = 0; i < sizeof forgeries / sizeof *forgeries; i++) {
        harness_records r;
        records_parse(forgeries[i], strlen(forgeries[i]), "s/t", "n0nce", &r);
        cr_assert(!r.done && r.forged, "%s", forgeries[i]);
        records_free(&r);
    }
    const char *both = "done s/t n0nce\ndone s/t n0nce2\n";
    harness_records r;
    records_parse(both, strlen(both), "s/t", "n0nce", &r);
    cr_assert(r.done && r.forged);
    records_free(&r);
}

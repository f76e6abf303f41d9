/* test_device_report.c: the reader of the CUDA simulator's device report
 * (run/device_report.h) and the counter formulas of the manifest
 * (workbook/device_counters.h). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "run/device_report.h"

/* A well-formed report: counter i is 10 * i + 1, kernel bytes K, host H;
 * `extra` is put before the closing brace. Caller frees. */
static char *report_text(unsigned long long k, unsigned long long h,
                         const char *extra)
{
    strbuf sb = {0};
    sb_puts(&sb, "{\"cudasim_device_report\": 1");
    for (int c = 0; c < DC_COUNT; c++) {
        unsigned long long v = 10ull * (unsigned)c + 1;
        if (c == DC_KERNEL_BYTES_TO_HOST)
            v = k;
        if (c == DC_HOST_BYTES_TO_HOST)
            v = h;
        sb_printf(&sb, ", \"%s\": %llu", device_counter_name(c), v);
    }
    sb_printf(&sb, ", \"kernel_words_sample\": [], \"fault\": \"\"%s}\n",
              extra);
    return sb_steal(&sb);
}

static int parse(const char *text, device_report *r, char **why)
{
    strbuf w = {0};
    const size_t len = strlen(text);
    int rc = device_report_parse(text, len, len, r, &w);
    *why = sb_steal(&w);
    return rc;
}

Test(device_report, reads_every_counter)
{
    char *text = report_text(4096, 8, ", \"a_new_counter\": 3");
    device_report r;
    char *why;
    cr_assert_eq(parse(text, &r, &why), 0, "%s", why);
    cr_assert_eq(r.count[DC_LAUNCHES], 1);
    cr_assert_eq(r.count[DC_GLOBAL_LOAD_SECTORS],
                 10ull * DC_GLOBAL_LOAD_SECTORS + 1);
    cr_assert_eq(r.count[DC_KERNEL_BYTES_TO_HOST], 4096);
    cr_assert_eq(r.count[DC_HOST_BYTES_TO_HOST], 8);
    cr_assert_str_eq(r.fault, "");
    device_report_free(&r);
    free(why);
    free(text);
}

/* text must be refused, with a reason containing `reason`. */
static void refused(const char *text, const char *reason)
{
    device_report r;
    char *why;
    cr_assert_eq(parse(text, &r, &why), -1, "accepted: %s", text);
    cr_assert(strstr(why, reason) != NULL, "why: %s (wanted %s)", why, reason);
    cr_assert_null(r.fault);
    free(why);
}

Test(device_report, refuses_what_is_not_a_report)
{
    refused("", "no report");
    refused("  \n", "no report");
    refused("[1, 2]", "not a JSON object");
    refused("{\"cudasim_device_report\": 1", "not a JSON object");
    refused("garbage", "not a JSON object");
    refused("{\"cudasim_device_report\": 2}", "not 1");
    refused("{\"launches\": 1}", "not 1");
    refused("{\"cudasim_device_report\": 1, \"launches\": 1}", "is missing");
}

/* The well-formed report with counter `name`'s value replaced by value. */
static char *with_value(const char *name, const char *value)
{
    char *text = report_text(1, 0, "");
    char key[80];
    snprintf(key, sizeof key, "\"%s\": ", name);
    char *at = strstr(text, key);
    cr_assert_not_null(at);
    char *end = at + strlen(key);
    while (*end >= '0' && *end <= '9')
        end++;
    char *out =
        xasprintf("%.*s%s%s%s", (int)(at - text), text, key, value, end);
    free(text);
    return out;
}

Test(device_report, refuses_counts_that_are_not_counts)
{
    const char *bad[] = {
        "-1", "1.5", "1e300", "\"12\"", "null", "true", "9007199254740993e10"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *text = with_value("global_load_sectors", bad[i]);
        refused(text, "\"global_load_sectors\" is not a count");
        free(text);
    }
}

Test(device_report, refuses_a_counter_twice_and_a_second_line)
{
    char *text = report_text(1, 0, ", \"launches\": 0");
    refused(text, "appears twice");
    free(text);
    text = report_text(1, 0, "");
    char *two = xasprintf("%s%s", text, text);
    refused(two, "not one line");
    free(two);
    free(text);
    refused("{\"cudasim_device_report\":\n 1}", "not one line");
}

Test(device_report, refuses_a_report_cut_at_the_cap)
{
    char *text = report_text(1, 0, "");
    device_report r;
    strbuf why = {0};
    const size_t len = strlen(text);
    cr_assert_eq(device_report_parse(text, len, len + 1, &r, &why), -1);
    cr_assert(strstr(sb_str(&why), "larger than the limit") != NULL);
    sb_free(&why);
    free(text);
}

Test(device_report, a_fault_is_kept_on_one_visible_line)
{
    char *text = report_text(1, 0, "");
    char *fault = strstr(text, "\"fault\": \"\"");
    cr_assert_not_null(fault);
    char *with = xasprintf("%.*s\"fault\": \"out of bounds\\nat k.cu:3\"}",
                           (int)(fault - text), text);
    device_report r;
    char *why;
    cr_assert_eq(parse(with, &r, &why), 0, "%s", why);
    cr_assert_str_eq(r.fault, "out of bounds\\nat k.cu:3");
    device_report_free(&r);
    free(why);
    free(with);
    free(text);
}

/* A report whose sample is `sample` (the text inside the brackets, or NULL:
 * no key). Caller frees. */
static char *with_sample(const char *sample)
{
    char *text = report_text(4, 0, "");
    char *key = strstr(text, "\"kernel_words_sample\": [], ");
    cr_assert_not_null(key);
    const size_t keylen = strlen("\"kernel_words_sample\": [], ");
    char *out =
        sample ? xasprintf("%.*s\"kernel_words_sample\": [%s], %s",
                           (int)(key - text), text, sample, key + keylen)
               : xasprintf("%.*s%s", (int)(key - text), text, key + keylen);
    free(text);
    return out;
}

/* The words 0..n-1 sorted by hash, as the sample's text. Caller frees. */
static char *words_by_hash(unsigned n)
{
    uint32_t w[300];
    for (unsigned i = 0; i < n; i++)
        w[i] = i;
    for (unsigned i = 1; i < n; i++) /* insertion sort by hash */
        for (unsigned j = i;
             j > 0 && kernel_word_hash(w[j - 1]) > kernel_word_hash(w[j]);
             j--) {
            const uint32_t t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
        }
    strbuf sb = {0};
    for (unsigned i = 0; i < n; i++)
        sb_printf(&sb, "%s%u", i ? ", " : "", (unsigned)w[i]);
    return sb_steal(&sb);
}

Test(device_report, reads_the_kernel_words_sample)
{
    cr_assert_eq(kernel_word_hash(0), 0);
    cr_assert_eq(kernel_word_hash(1), 0x688990c0U, "lowbias32(1): %x",
                 kernel_word_hash(1));
    char *words = words_by_hash(256);
    char *text = with_sample(words);
    device_report r;
    char *why;
    cr_assert_eq(parse(text, &r, &why), 0, "%s", why);
    cr_assert_eq(r.sample_n, 256);
    for (size_t i = 1; i < r.sample_n; i++)
        cr_assert_lt(kernel_word_hash(r.sample[i - 1]),
                     kernel_word_hash(r.sample[i]));
    device_report_free(&r);
    free(why);
    free(text);
    free(words);
    text = with_sample("4294967295");
    cr_assert_eq(parse(text, &r, &why), 0, "%s", why);
    cr_assert_eq(r.sample_n, 1);
    cr_assert_eq(r.sample[0], 4294967295U);
    device_report_free(&r);
    free(why);
    free(text);
}

/* A report with this sample text (NULL: without the key) is refused. */
static void sample_refused(const char *sample, const char *reason)
{
    char *text = with_sample(sample);
    refused(text, reason);
    free(text);
}

Test(device_report, refuses_a_sample_that_is_not_one)
{
    sample_refused(NULL, "\"kernel_words_sample\" is missing");
    sample_refused("1], \"kernel_words_sample\": [1", "appears twice");
    char *words = words_by_hash(257);
    sample_refused(words, "more than 256 entries");
    free(words);
    sample_refused("-1", "not a word");
    sample_refused("4294967296", "not a word");
    sample_refused("1.5", "not a word");
    sample_refused("\"1\"", "not a word");
    sample_refused("1, 1", "not sorted by hash");
    /* 1 hashes above 0: the reverse order is wrong */
    sample_refused("1, 0", "not sorted by hash");
    char *text = report_text(4, 0, "");
    char *key = strstr(text, "[]");
    memcpy(key, "{}", 2);
    refused(text, "not an array");
    free(text);
}

Test(counter_formula, sums_and_scales)
{
    unsigned long long counts[DC_COUNT] = {0};
    counts[DC_GLOBAL_LOAD_SECTORS] = 1024;
    counts[DC_GLOBAL_STORE_SECTORS] = 512;
    counter_formula f = {
        .sum = {DC_GLOBAL_LOAD_SECTORS, DC_GLOBAL_STORE_SECTORS},
        .nsum = 2,
        .scale = 1};
    cr_assert_float_eq(counter_formula_value(&f, counts), 1536, 1e-9);
    /* 46's sectors per 1000 multiply-adds of a 128^3 product */
    counter_formula per = {.sum = {DC_GLOBAL_LOAD_SECTORS},
                           .nsum = 1,
                           .scale = 0.000476837158203125};
    cr_assert_eq(counter_formula_value(&per, counts),
                 1000.0 * 1024 / (128.0 * 128 * 128));
}

Test(counter_formula, names_round_trip)
{
    for (int c = 0; c < DC_COUNT; c++)
        cr_assert_eq(device_counter_find(device_counter_name(c)), c);
    cr_assert_eq(device_counter_find("global_sectors"), -1);
    cr_assert_eq(device_counter_find(NULL), -1);
    cr_assert_null(device_counter_name(DC_COUNT));
}

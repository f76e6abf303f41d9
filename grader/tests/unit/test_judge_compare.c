/* Unit tests for check_log.c and judge_compare.c: the judge's reading of the
 * harness's binary check records and its verdict per check kind.
 * The records are encoded by check_records.h. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_records.h"
#include "grade/judge_compare.h"
#include "run/check_log.h"

/* Judges expected against observed; returns the status, message in *msg
 * (static storage of the last call). */
static judge_status judge(const buf *e, const buf *o, char **msg)
{
    check_log le, lo;
    check_log_parse(e->data, e->len, &le);
    check_log_parse(o->data, o->len, &lo);
    cr_assert(!le.corrupt, "the expectation log must parse");
    judge_outcome out;
    judge_compare(&le, &lo, &out);
    static char *last;
    free(last);
    last = out.message ? strdup(out.message) : NULL;
    *msg = last;
    judge_outcome_free(&out);
    check_log_free(&le);
    check_log_free(&lo);
    return out.status;
}

static void reset(buf *e, buf *o)
{
    free(e->data);
    free(o->data);
    *e = (buf){0};
    *o = (buf){0};
}

/* ---- parsing ------------------------------------------------------------ */

Test(check_log, parses_every_kind_and_the_end)
{
    buf b = {0};
    i64_rec(&b, 2, CHECK_INT, "t.c:1", "add(1, 2)", 3);
    double_rec(&b, 2, "t.c:2", 0.5, 1e-6);
    const float v[3] = {1, 2, 3}, tol[3] = {0.1f, 0.2f, 0.3f};
    floats_expect(&b, "t.c:3", v, 3, 1e-5f, 1e-3f);
    floats_tol_expect(&b, "t.c:4", v, tol, 3);
    str_rec(&b, 2, "t.c:5", "hi");
    str_rec(&b, 2, "t.c:6", NULL);
    end_rec(&b);
    check_log log;
    check_log_parse(b.data, b.len, &log);
    cr_assert_eq(log.n, 6);
    cr_assert(log.ended && !log.corrupt);
    cr_assert_eq(log.rec[0].i64, 3);
    cr_assert_eq(log.rec[0].what_len, strlen("add(1, 2)"));
    cr_assert_eq(log.rec[1].tol, 1e-6);
    cr_assert_eq(log.rec[2].rtol, 1e-3f);
    cr_assert_eq(log.rec[3].n, 3);
    float bound;
    memcpy(&bound, (const char *)log.rec[3].bounds + 8, 4);
    cr_assert_eq(bound, 0.3f);
    cr_assert(!log.rec[4].is_null && log.rec[5].is_null);
    check_log_free(&log);
    free(b.data);
}

/* Every prefix of a valid log parses without reading past its end (ASan
 * watches) and is corrupt unless it ends on a record boundary. */
Test(check_log, every_truncation_is_safe)
{
    buf b = {0};
    const float v[4] = {1, 2, 3, 4};
    floats_observe(&b, "t.c:9", v, 4);
    str_rec(&b, 1, "t.c:10", "abc");
    end_rec(&b);
    for (size_t len = 0; len < b.len; len++) {
        unsigned char *copy = malloc(len ? len : 1);
        memcpy(copy, b.data, len);
        check_log log;
        check_log_parse(copy, len, &log);
        cr_assert(log.n <= 2);
        check_log_free(&log);
        free(copy);
    }
    free(b.data);
}

Test(check_log, lengths_beyond_the_data_are_corrupt)
{
    buf b = {0};
    head(&b, 1, CHECK_FLOATS, "t.c:1", "", UINT64_MAX / 2);
    const float f = 1;
    put(&b, &f, 4);
    check_log log;
    check_log_parse(b.data, b.len, &log);
    cr_assert(log.corrupt);
    cr_assert_eq(log.n, 0);
    check_log_free(&log);
    b.len = 0;
    head(&b, 9, CHECK_INT, "t.c:1", "", 1); /* unknown role */
    check_log_parse(b.data, b.len, &log);
    cr_assert(log.corrupt);
    check_log_free(&log);
    free(b.data);
}

/* ---- verdicts ----------------------------------------------------------- */

Test(judge_compare, equal_logs_match)
{
    buf e = {0}, o = {0};
    char *msg;
    i64_rec(&e, 2, CHECK_INT, "t.c:1", "add(2, 3)", 5);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    end_rec(&e);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MATCH);
    cr_assert_null(msg);
    reset(&e, &o);
}

Test(judge_compare, a_wrong_integer_says_expected_and_got)
{
    buf e = {0}, o = {0};
    char *msg;
    i64_rec(&e, 2, CHECK_INT, "t.c:1", "add(2, 3)", 5);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 2);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH);
    cr_assert_str_eq(msg, "t.c:1: add(2, 3): expected 5, got 2");
    reset(&e, &o);
}

Test(judge_compare, a_false_condition_fails)
{
    buf e = {0}, o = {0};
    char *msg;
    i64_rec(&e, 2, CHECK_BOOL, "t.c:4", "n <= cap", 1);
    i64_rec(&o, 1, CHECK_BOOL, "t.c:4", "", 0);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH);
    cr_assert_str_eq(msg, "t.c:4: n <= cap was false");
    reset(&e, &o);
}

Test(judge_compare, doubles_use_the_expectations_tolerance)
{
    buf e = {0}, o = {0};
    char *msg;
    double_rec(&e, 2, "t.c:2", 1.0, 0.25);
    double_rec(&o, 1, "t.c:2", 1.25, 0);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MATCH, "at the bound: %s", msg);
    reset(&e, &o);
    double_rec(&e, 2, "t.c:2", 1.0, 0.25);
    double_rec(&o, 1, "t.c:2", 1.2500001, 1e9); /* its own tolerance: ignored */
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH);
    reset(&e, &o);
    double_rec(&e, 2, "t.c:2", NAN, 0);
    double_rec(&o, 1, "t.c:2", NAN, 0);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MATCH, "NaN against NaN");
    reset(&e, &o);
    double_rec(&e, 2, "t.c:2", 1.0, INFINITY);
    double_rec(&o, 1, "t.c:2", NAN, 0);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH, "NaN never near");
    reset(&e, &o);
}

Test(judge_compare, float_arrays_name_the_first_bad_element)
{
    buf e = {0}, o = {0};
    char *msg;
    const float want[3] = {1, 2, 100}, got[3] = {1, 2.5f, 100.5f};
    floats_expect(&e, "t.c:7", want, 3, 0.0f, 0.01f);
    floats_observe(&o, "t.c:7", got, 3);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH);
    cr_assert(strstr(msg, "element [1] expected 2, got 2.5") != NULL, "%s",
              msg);
    reset(&e, &o);
    const float within[3] = {1, 2.02f, 100.9f};
    floats_expect(&e, "t.c:7", want, 3, 0.0f, 0.01f);
    floats_observe(&o, "t.c:7", within, 3);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MATCH, "%s", msg);
    reset(&e, &o);
}

Test(judge_compare, per_element_bounds)
{
    buf e = {0}, o = {0};
    char *msg;
    const float want[2] = {1, 1}, tol[2] = {0.5f, 0.0f}, got[2] = {1.5f, 1};
    floats_tol_expect(&e, "t.c:8", want, tol, 2);
    floats_observe(&o, "t.c:8", got, 2);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MATCH, "%s", msg);
    reset(&e, &o);
    const float off[2] = {1, 1.0000001f};
    floats_tol_expect(&e, "t.c:8", want, tol, 2);
    floats_observe(&o, "t.c:8", off, 2);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH);
    cr_assert(strstr(msg, "element [1]") != NULL, "%s", msg);
    reset(&e, &o);
}

Test(judge_compare, strings_and_null)
{
    buf e = {0}, o = {0};
    char *msg;
    str_rec(&e, 2, "t.c:5", "Hello, Ada!");
    str_rec(&o, 1, "t.c:5", "Hello, Ada");
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH);
    cr_assert_str_eq(msg,
                     "t.c:5: s: expected \"Hello, Ada!\", got \"Hello, Ada\"");
    reset(&e, &o);
    str_rec(&e, 2, "t.c:5", "");
    str_rec(&o, 1, "t.c:5", NULL);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH, "NULL is not \"\"");
    cr_assert(strstr(msg, "got NULL") != NULL, "%s", msg);
    reset(&e, &o);
}

Test(judge_compare, hostile_observed_strings_are_sanitized)
{
    buf e = {0}, o = {0};
    char *msg;
    str_rec(&e, 2, "t.c:5", "ok");
    str_rec(&o, 1, "t.c:5", "\x1b[2J\n::error::x\xff");
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH);
    cr_assert_null(strchr(msg, '\x1b'));
    cr_assert_null(strchr(msg, '\n'));
    cr_assert(strstr(msg, "\\n::error::") != NULL, "newline shown: %s", msg);
    reset(&e, &o);
}

Test(judge_compare, order_count_and_end)
{
    buf e = {0}, o = {0};
    char *msg;
    i64_rec(&e, 2, CHECK_INT, "t.c:1", "a", 1);
    i64_rec(&e, 2, CHECK_INT, "t.c:2", "b", 2);
    i64_rec(&o, 1, CHECK_INT, "t.c:2", "", 2);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 1);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH, "reordered");
    cr_assert(strstr(msg, "another order") != NULL, "%s", msg);
    reset(&e, &o);

    i64_rec(&e, 2, CHECK_INT, "t.c:1", "a", 1);
    i64_rec(&e, 2, CHECK_INT, "t.c:2", "b", 2);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 1);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_SHORT, "stopped early");
    cr_assert(strstr(msg, "1 of 2 checks") != NULL, "%s", msg);
    reset(&e, &o);

    i64_rec(&e, 2, CHECK_INT, "t.c:1", "a", 1);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 1);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 1);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_EXTRA, "extra checks");
    reset(&e, &o);

    i64_rec(&e, 2, CHECK_INT, "t.c:1", "a", 1);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 1);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_NO_END, "no end record");
    reset(&e, &o);

    i64_rec(&e, 2, CHECK_INT, "t.c:1", "a", 1);
    i64_rec(&o, 1, CHECK_UINT, "t.c:1", "", 1);
    end_rec(&o);
    cr_assert_eq(judge(&e, &o, &msg), JUDGE_MISMATCH, "another kind");
    reset(&e, &o);
}

Test(judge_compare, seed_dependence)
{
    buf a = {0}, b = {0};
    i64_rec(&a, 2, CHECK_INT, "t.c:1", "a", 1);
    i64_rec(&b, 2, CHECK_INT, "t.c:1", "a", 1);
    check_log la, lb;
    check_log_parse(a.data, a.len, &la);
    check_log_parse(b.data, b.len, &lb);
    cr_assert(!check_logs_differ(&la, &lb));
    check_log_free(&lb);
    i64_rec(&b, 2, CHECK_INT, "t.c:1", "a", 7);
    check_log_parse(b.data, b.len, &lb);
    cr_assert(check_logs_differ(&la, &lb));
    check_log_free(&la);
    check_log_free(&lb);
    free(a.data);
    free(b.data);
}

/* ---- GPU work (judge_gpu_work) ------------------------------------------- */

/* One int check that matches, then the GPU records given (kernel, host
 * bytes; a negative kernel count: no record); returns the outcome's status
 * after judge_gpu_work, its message in *msg. */
static judge_status gpu_judge(long long ek, long long eh, long long ok,
                              long long oh, int extra, char **msg)
{
    buf e = {0}, o = {0};
    i64_rec(&e, 2, CHECK_INT, "t.c:1", "f()", 7);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 7);
    if (ek >= 0)
        gpu_rec(&e, (uint64_t)ek, (uint64_t)eh);
    if (ok >= 0)
        gpu_rec(&o, (uint64_t)ok, (uint64_t)oh);
    if (extra)
        gpu_rec(&o, 4, 0);
    end_rec(&e);
    end_rec(&o);
    check_log le, lo;
    check_log_parse(e.data, e.len, &le);
    check_log_parse(o.data, o.len, &lo);
    cr_assert(!le.corrupt && !lo.corrupt && le.n == 1 && lo.n == 1,
              "GPU records are not checks and parse");
    judge_outcome out;
    judge_compare(&le, &lo, &out);
    cr_assert_eq(out.status, JUDGE_MATCH);
    judge_gpu_work(&le, &lo, &out);
    static char *last;
    free(last);
    last = out.message ? strdup(out.message) : NULL;
    *msg = last;
    const judge_status st = out.status;
    judge_outcome_free(&out);
    check_log_free(&le);
    check_log_free(&lo);
    reset(&e, &o);
    return st;
}

Test(judge_gpu, parses_the_last_record)
{
    buf b = {0};
    gpu_rec(&b, 40, 8);
    end_rec(&b);
    check_log log;
    check_log_parse(b.data, b.len, &log);
    cr_assert(log.ended && !log.corrupt && log.n == 0);
    cr_assert_eq(log.gpu_records, 1);
    cr_assert_eq(log.gpu_kernel_bytes, 40);
    cr_assert_eq(log.gpu_host_bytes, 8);
    check_log_free(&log);
    free(b.data);
}

Test(judge_gpu, kernel_output_as_the_reference_passes)
{
    char *msg;
    cr_assert_eq(gpu_judge(400, 0, 400, 0, 0, &msg), JUDGE_MATCH);
    cr_assert_eq(gpu_judge(400, 0, 4, 0, 0, &msg), JUDGE_MATCH,
                 "another amount of kernel output is another design");
    cr_assert_eq(gpu_judge(0, 40, 0, 80, 0, &msg), JUDGE_MATCH,
                 "host data read back where the reference reads some too");
    cr_assert_eq(gpu_judge(-1, 0, -1, 0, 0, &msg), JUDGE_MATCH,
                 "no GPU runtime in either run: nothing to ask");
}

Test(judge_gpu, host_results_fail)
{
    char *msg;
    cr_assert_eq(gpu_judge(400, 0, 0, 0, 0, &msg), JUDGE_MISMATCH);
    cr_assert(strstr(msg, "not computed by a kernel") &&
                  strstr(msg, "copies back 400 bytes"),
              "%s", msg);
    cr_assert_eq(gpu_judge(400, 0, 32, 400, 0, &msg), JUDGE_MISMATCH);
    cr_assert(strstr(msg, "400 bytes copied back") &&
                  strstr(msg, "written there by host code"),
              "%s", msg);
}

Test(judge_gpu, a_missing_or_forged_record_fails)
{
    char *msg;
    cr_assert_eq(gpu_judge(400, 0, -1, 0, 0, &msg), JUDGE_MISMATCH);
    cr_assert(strstr(msg, "no GPU runtime recorded"), "%s", msg);
    cr_assert_eq(gpu_judge(400, 0, 400, 0, 1, &msg), JUDGE_MISMATCH);
    cr_assert(strstr(msg, "2 records"), "%s", msg);
}

/* ---- the kernel-words sample (judge_device_work) ------------------------- */

enum { SAMPLE_VALUES = 1000, OTHER_WORDS = 6000 };

static uint32_t word_of(float f)
{
    uint32_t w;
    memcpy(&w, &f, sizeof w);
    return w;
}

static int by_hash(const void *a, const void *b)
{
    const uint32_t x = kernel_word_hash(*(const uint32_t *)a),
                   y = kernel_word_hash(*(const uint32_t *)b);
    return (x > y) - (x < y);
}

/* A device report (one launch, kernel bytes copied back, none of the
 * host's) whose sample is the bottom-256 sketch of words[0..n) (n is at
 * most SAMPLE_VALUES + OTHER_WORDS). */
static device_report report_of(const uint32_t *words, size_t n)
{
    static uint32_t sorted[SAMPLE_VALUES + OTHER_WORDS];
    cr_assert_leq(n, sizeof sorted / sizeof *sorted);
    memcpy(sorted, words, n * sizeof *words);
    qsort(sorted, n, sizeof *sorted, by_hash);
    device_report r = {0};
    r.count[DC_LAUNCHES] = 1;
    r.count[DC_KERNEL_BYTES_TO_HOST] = 4 * n;
    for (size_t i = 0; i < n && r.sample_n < KERNEL_WORDS_SAMPLE_MAX; i++)
        if (i == 0 || sorted[i] != sorted[i - 1])
            r.sample[r.sample_n++] = sorted[i];
    return r;
}

/* n checked values (the reference's and the student's observations alike),
 * and words that are not among them (a scratch buffer's, offset by
 * `other`). */
static void values_and_others(float *v, size_t n, uint32_t *others,
                              size_t nothers, float other)
{
    for (size_t i = 0; i < n; i++)
        v[i] = 0.37f * (float)i + 1.0f;
    for (size_t i = 0; i < nothers; i++)
        others[i] = word_of(-1000.0f - other - (float)i);
}

/* One float check of v[0..n) in both runs, then judge_device_work with the
 * two reports; returns the status, message in *msg (static storage). */
static judge_status sample_judge(const float *v, size_t n,
                                 const device_report *expected,
                                 const device_report *observed, char **msg)
{
    buf e = {0}, o = {0};
    floats_expect(&e, "t.c:9", v, n, 0.0f, 1e-6f);
    floats_observe(&o, "t.c:9", v, n);
    end_rec(&e);
    end_rec(&o);
    check_log le, lo;
    check_log_parse(e.data, e.len, &le);
    check_log_parse(o.data, o.len, &lo);
    judge_outcome out;
    judge_compare(&le, &lo, &out);
    cr_assert_eq(out.status, JUDGE_MATCH, "%s", out.message);
    judge_device_work(expected, observed, &le, &lo, NULL, &out);
    static char *last;
    free(last);
    last = out.message ? strdup(out.message) : NULL;
    *msg = last;
    const judge_status st = out.status;
    judge_outcome_free(&out);
    check_log_free(&le);
    check_log_free(&lo);
    reset(&e, &o);
    return st;
}

Test(judge_sample, kernel_values_copied_back_pass)
{
    static float v[64];
    static uint32_t words[64];
    values_and_others(v, 64, NULL, 0, 0);
    for (size_t i = 0; i < 64; i++)
        words[i] = word_of(v[i]);
    const device_report ref = report_of(words, 64), got = ref;
    char *msg;
    cr_assert_eq(sample_judge(v, 64, &ref, &got, &msg), JUDGE_MATCH, "%s", msg);
}

Test(judge_sample, host_values_with_a_decoy_kernel_fail)
{
    static float v[64];
    static uint32_t words[64], decoy[64];
    values_and_others(v, 64, decoy, 64, 0);
    for (size_t i = 0; i < 64; i++)
        words[i] = word_of(v[i]);
    const device_report ref = report_of(words, 64), got = report_of(decoy, 64);
    char *msg;
    cr_assert_eq(sample_judge(v, 64, &ref, &got, &msg), JUDGE_MISMATCH);
    cr_assert(strstr(msg, "not computed by a kernel") &&
                  strstr(msg, "of the 64 values the test checked that the "
                              "sample covers, 0 were written by a kernel") &&
                  strstr(msg, "(the reference: 64 of 64)"),
              "%s", msg);
}

Test(judge_sample, a_reference_below_the_bar_asks_nothing)
{
    /* the reference's sample holds 32 of its 64 values (its results are
     * not all kernel output copied back): no requirement */
    static float v[64];
    static uint32_t words[32], decoy[64];
    values_and_others(v, 64, decoy, 64, 0);
    for (size_t i = 0; i < 32; i++)
        words[i] = word_of(v[i]);
    const device_report ref = report_of(words, 32), got = report_of(decoy, 64);
    char *msg;
    cr_assert_eq(sample_judge(v, 64, &ref, &got, &msg), JUDGE_MATCH, "%s", msg);
    /* and a reference with no kernel words at all */
    const device_report none = report_of(words, 0);
    cr_assert_eq(sample_judge(v, 64, &none, &got, &msg), JUDGE_MATCH, "%s",
                 msg);
}

Test(judge_sample, a_full_sample_covers_values_below_its_threshold)
{
    static float v[SAMPLE_VALUES];
    static uint32_t all[SAMPLE_VALUES + OTHER_WORDS];
    uint32_t *others = all + SAMPLE_VALUES;
    values_and_others(v, SAMPLE_VALUES, others, OTHER_WORDS, 0);
    for (size_t i = 0; i < SAMPLE_VALUES; i++)
        all[i] = word_of(v[i]);
    /* the kernel wrote the values and a larger scratch buffer */
    const device_report ref = report_of(all, SAMPLE_VALUES + OTHER_WORDS);
    cr_assert_eq(ref.sample_n, KERNEL_WORDS_SAMPLE_MAX);
    char *msg;
    cr_assert_eq(sample_judge(v, SAMPLE_VALUES, &ref, &ref, &msg), JUDGE_MATCH,
                 "%s", msg);
    /* the student's kernel wrote only the scratch buffer */
    const device_report decoy = report_of(others, OTHER_WORDS);
    cr_assert_eq(sample_judge(v, SAMPLE_VALUES, &ref, &decoy, &msg),
                 JUDGE_MISMATCH);
    cr_assert(strstr(msg, "were written by a kernel and copied back") ||
                  strstr(msg, "none of the values the test checked"),
              "%s", msg);
}

Test(judge_sample, a_flooded_sample_covering_no_value_fails)
{
    /* The student's kernel copied back so many other words that its
     * sample's threshold is below the hash of every checked value, where the
     * reference's sample covered at least 8 of them. */
    static float v[SAMPLE_VALUES];
    static uint32_t all[SAMPLE_VALUES + OTHER_WORDS];
    values_and_others(v, SAMPLE_VALUES, all + SAMPLE_VALUES, OTHER_WORDS, 0);
    for (size_t i = 0; i < SAMPLE_VALUES; i++)
        all[i] = word_of(v[i]);
    const device_report ref = report_of(all, SAMPLE_VALUES + OTHER_WORDS);
    /* 256 words whose hashes are below every value's */
    uint32_t low = 0xffffffffU;
    for (size_t i = 0; i < SAMPLE_VALUES; i++)
        if (kernel_word_hash(all[i]) < low)
            low = kernel_word_hash(all[i]);
    static uint32_t flood[KERNEL_WORDS_SAMPLE_MAX];
    size_t n = 0;
    for (uint32_t w = 1; n < KERNEL_WORDS_SAMPLE_MAX; w++)
        if (kernel_word_hash(w) < low / 2)
            flood[n++] = w;
    const device_report got = report_of(flood, n);
    char *msg;
    cr_assert_eq(sample_judge(v, SAMPLE_VALUES, &ref, &got, &msg),
                 JUDGE_MISMATCH);
    cr_assert(strstr(msg, "none of the values the test checked is among the "
                          "sample"),
              "%s", msg);
}

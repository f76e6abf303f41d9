/* Unit tests for harness_records.c on hostile records: only the run's own
 * "done" counts, a metric needs a plain name and a finite value (a name
 * with tabs and carriage returns once reached the leaderboard's Markdown),
 * strings read are valid UTF-8. */
#include <criterion/criterion.h>
#include <string.h>

#include "run/harness_records.h"

static harness_records parse(const char *text)
{
    harness_records r;
    memset(&r, 0, sizeof r);
    records_parse(text, strlen(text), "s/t", "n0nce", &r);
    return r;
}

Test(harness_records, metrics_need_a_plain_name_and_a_finite_value)
{
    harness_records r = parse("start s/t\n"
                              "metric gflops 12.5\n"
                              "metric gfl\tops 1\n"
                              "metric a\rb 2\n"
                              "metric \xff 3\n"
                              "metric inf_value inf\n"
                              "metric nan_value nan\n"
                              "metric huge 1e999\n"
                              "metric ratio_vs.x-y 0.5\n"
                              "done s/t n0nce\n");
    cr_assert_eq(r.nmetrics, 2, "kept %zu metrics", r.nmetrics);
    cr_expect_str_eq(r.metrics[0].name, "gflops");
    cr_expect_float_eq(r.metrics[0].value, 12.5, 1e-12);
    cr_expect_str_eq(r.metrics[1].name, "ratio_vs.x-y");
    cr_expect(r.done);
    cr_expect(!r.forged);
    records_free(&r);
}

Test(harness_records, a_done_without_the_nonce_is_forged)
{
    harness_records r = parse("start s/t\ndone s/t guess\ndone s/t n0nce2\n");
    cr_expect(!r.done);
    cr_expect(r.forged);
    records_free(&r);
}

Test(harness_records, messages_are_valid_utf8)
{
    harness_records r = parse("fail t.c:3 bad \xff\\x1b[2J\n");
    cr_assert_not_null(r.first_fail);
    cr_expect_null(strchr(r.first_fail, '\x1b'), "%s", r.first_fail);
    cr_expect_not_null(strstr(r.first_fail, "t.c:3: bad \xef\xbf\xbd"), "%s",
                       r.first_fail);
    records_free(&r);
}

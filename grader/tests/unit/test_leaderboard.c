/* Unit tests for leaderboard.c and leaderboard_html.c: ranking (score,
 * then earliest commit, then input order), skipping bad and duplicate
 * files, time parsing, and escaping of hostile names. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/leaderboard.h"

/* A minimal valid results document; prov_time NULL leaves provenance out. */
static void add(leaderboard *lb, const char *file, double score,
                const char *prov_time, const char *graded_at)
{
    char text[2048];
    char prov[256] = "";
    if (prov_time)
        snprintf(prov, sizeof prov,
                 ",\"provenance\":{\"commit\":\"c0ffee\",\"commit_time\":"
                 "\"%s\",\"repository\":\"r\"}",
                 prov_time);
    snprintf(text, sizeof text,
             "{\"schema\":\"llmlings-results/1\",\"generated_at\":\"%s\","
             "\"course\":{\"id\":\"llmlings\",\"title\":\"T\"},\"score\":%g,"
             "\"max_score\":20,\"exercises\":[{\"id\":\"00_a\",\"chapter\":0,"
             "\"verdict\":\"failed\",\"score\":%g,\"max_score\":20,\"tests\":"
             "[{\"name\":\"s/t\",\"verdict\":\"passed\",\"score\":%g,"
             "\"max_score\":20,\"metrics\":{\"gflops\":%g,\"gflops_openblas\":"
             "1}}]}]%s}",
             graded_at, score, score, score, score * 2, prov);
    lb_add_text(lb, file, text, strlen(text));
}

static const char *name_at(const leaderboard *lb, size_t i)
{
    return lb->s[i].name;
}

Test(leaderboard, ranks_by_score_then_commit_time_then_order)
{
    leaderboard lb = {0};
    add(&lb, "in/carol.json", 10, "2026-01-03T00:00:00Z",
        "2026-02-01T00:00:00Z");
    add(&lb, "in/alice.json", 15, "2026-01-05T00:00:00Z",
        "2026-02-01T00:00:00Z");
    add(&lb, "in/bob.json", 10, "2026-01-02T00:00:00+01:00",
        "2026-02-01T00:00:00Z");
    add(&lb, "in/dave/results.json", 10, "2026-01-03T00:00:00Z",
        "2026-02-01T00:00:00Z");
    add(&lb, "in/erin.json", 10, NULL, "2026-01-01T00:00:00Z");
    lb_rank(&lb);
    cr_assert_eq(lb.n, 5);
    /* erin has no provenance: her grading time (Jan 1) counts. */
    const char *want[] = {"alice", "erin", "bob", "carol", "dave"};
    const int ranks[] = {1, 2, 3, 4, 4};
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(name_at(&lb, i), want[i], "position %zu", i);
        cr_expect_eq(lb.s[i].rank, ranks[i], "rank of %s", want[i]);
    }
    cr_expect_eq(lb.s[1].time_is_commit, 0);
    cr_expect_str_eq(lb.s[2].time, "2026-01-01T23:00:00Z", "offset applied");
    cr_expect_eq(lb.nmetrics, 1, "gflops only, the baseline is not headline");
    cr_expect_str_eq(lb.metrics[0], "00_a gflops");
    lb_free(&lb);
}

Test(leaderboard, bad_and_duplicate_files_are_skipped)
{
    leaderboard lb = {0};
    add(&lb, "a/alice.json", 5, NULL, "2026-01-01T00:00:00Z");
    add(&lb, "b/alice/results.json", 7, NULL, "2026-01-01T00:00:00Z");
    lb_add_text(&lb, "c/broken.json", "{\"schema\":", 10);
    lb_add_text(&lb, "c/other.json", "{\"schema\":\"x\"}", 14);
    lb_add_path(&lb, "/nonexistent/llmlings/file.json");
    lb_rank(&lb);
    cr_expect_eq(lb.n, 1);
    cr_expect_float_eq(lb.s[0].score, 5, 1e-9, "the first one is kept");
    cr_assert_eq(lb.nskipped, 4);
    cr_expect(strstr(lb.skipped[0].reason, "duplicate") != NULL);
    cr_expect(strstr(lb.skipped[1].reason, "not valid JSON") != NULL);
    cr_expect(strstr(lb.skipped[2].reason, "schema") != NULL);
    char *md = lb_markdown(&lb);
    cr_expect(strstr(md, "4 result files skipped") != NULL);
    free(md);
    lb_free(&lb);
}

Test(leaderboard, hostile_names_are_escaped)
{
    leaderboard lb = {0};
    add(&lb, "x/<img src=x onerror=alert(1)>.json", 5, NULL,
        "2026-01-01T00:00:00Z");
    add(&lb, "x/\"'&`|.json", 4, NULL, "2026-01-01T00:00:00Z");
    lb_rank(&lb);
    char *html = lb_html(&lb, "Board <script>");
    cr_expect(strstr(html, "<img") == NULL, "no element from a name");
    cr_expect(strstr(html, "&lt;img src=x onerror=alert(1)&gt;") != NULL);
    cr_expect(strstr(html, "&quot;&#39;&amp;&#96;|") != NULL);
    cr_expect(strstr(html, "<title>Board &lt;script&gt;</title>") != NULL);
    cr_expect(strstr(html, "{{") == NULL, "every placeholder filled");
    cr_expect(strstr(html, "http://") == NULL &&
                  strstr(html, "https://") == NULL,
              "nothing to fetch");
    char *md = lb_markdown(&lb);
    cr_expect(strstr(md, "<img") == NULL);
    cr_expect(strstr(md, "&#124;") != NULL, "a | cannot split the table");
    free(md);
    free(html);
    lb_free(&lb);
}

Test(leaderboard, parse_time)
{
    double t;
    cr_expect_eq(lb_parse_time("1970-01-01T00:00:10Z", &t), 0);
    cr_expect_float_eq(t, 10, 1e-9);
    cr_expect_eq(lb_parse_time("1970-01-01T01:00:00+01:00", &t), 0);
    cr_expect_float_eq(t, 0, 1e-9);
    cr_expect_eq(lb_parse_time("1970-01-01T00:00:00.5Z", &t), 0);
    cr_expect_float_eq(t, 0.5, 1e-9);
    cr_expect_eq(lb_parse_time("yesterday", &t), -1);
    cr_expect_eq(lb_parse_time("1970-13-01T00:00:00Z", &t), -1);
    cr_expect_eq(lb_parse_time("1970-01-01T00:00:00", &t), -1);
}

/* Unit tests for leaderboard.c, leaderboard_text.c and leaderboard_html.c:
 * ranking (score, then when the board first saw the score, carried from
 * the previous board; never the commit date), students not graded last,
 * skipping bad and duplicate files, time parsing, escaping of hostile
 * names. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
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

Test(leaderboard, ranks_by_score_then_first_reached_then_order)
{
    leaderboard lb = {0};
    cr_assert_eq(lb_parse_time("2026-03-01T00:00:00Z", &lb.now), 0);
    /* The previous board saw carol at 10 on Feb 1 and dave at 5. */
    const char *prev = "{\"schema\":\"llmlings-leaderboard/2\",\"students\":["
                       "{\"name\":\"carol\",\"status\":\"graded\",\"score\":10,"
                       "\"reached_at\":\"2026-02-01T00:00:00Z\"},"
                       "{\"name\":\"dave\",\"status\":\"graded\",\"score\":5,"
                       "\"reached_at\":\"2026-01-01T00:00:00Z\"},"
                       "{\"name\":\"zed\",\"status\":\"not_graded\"}]}";
    cr_assert_eq(lb_load_previous(&lb, prev, strlen(prev)), 0);
    cr_expect_eq(lb.nprev, 2);
    add(&lb, "in/erin.json", 10, "1971-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z");
    add(&lb, "in/carol.json", 10, "2026-02-20T00:00:00Z",
        "2026-02-01T00:00:00Z");
    add(&lb, "in/alice.json", 15, "2026-01-05T00:00:00Z",
        "2026-02-01T00:00:00Z");
    add(&lb, "in/bob.json", 10, NULL, "2026-02-01T00:00:00Z");
    add(&lb, "in/dave/results.json", 10, "2026-01-03T00:00:00Z",
        "2026-02-01T00:00:00Z");
    lb_rank(&lb);
    cr_assert_eq(lb.n, 5);
    /* carol kept her Feb 1 time; erin's commit of 1971 counts for nothing;
     * dave improved, so his 10 is new; new scores tie on this run's time. */
    const char *want[] = {"alice", "carol", "erin", "bob", "dave"};
    const int ranks[] = {1, 2, 3, 3, 3};
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(name_at(&lb, i), want[i], "position %zu", i);
        cr_expect_eq(lb.s[i].rank, ranks[i], "rank of %s", want[i]);
    }
    cr_expect_str_eq(lb.s[1].reached, "2026-02-01T00:00:00Z");
    cr_expect_eq(lb.s[1].reached_before, 1);
    cr_expect_str_eq(lb.s[2].reached, "2026-03-01T00:00:00Z");
    cr_expect_str_eq(lb.s[2].commit_time, "1971-01-01T00:00:00Z",
                     "the commit date is shown");
    cr_expect_eq(lb.nmetrics, 1, "gflops only, the baseline is not headline");
    cr_expect_str_eq(lb.metrics[0], "00_a gflops");
    char *json = lb_json(&lb);
    cr_expect(strstr(json, "\"reached_source\":\t\"previous board\"") ||
                  strstr(json, "\"reached_source\": \"previous board\""),
              "%s", json);
    free(json);
    lb_free(&lb);
}

Test(leaderboard, students_not_graded_come_last_with_the_reason)
{
    leaderboard lb = {0};
    const char *rec = "{\"schema\":\"llmlings-ungraded/1\",\"name\":\"x\","
                      "\"repository\":\"https://h/dave\",\"reason\":\"no "
                      "such repository\",\"detail\":\"fatal: not found\"}";
    lb_add_text(&lb, "r/dave/results.json", rec, strlen(rec));
    add(&lb, "r/alice/results.json", 0, NULL, "2026-02-01T00:00:00Z");
    const char *no_reason = "{\"schema\":\"llmlings-ungraded/1\"}";
    lb_add_text(&lb, "r/eve/results.json", no_reason, strlen(no_reason));
    lb_rank(&lb);
    cr_assert_eq(lb.n, 2);
    cr_expect_str_eq(lb.s[0].name, "alice", "0 points still ranks first");
    cr_expect_eq(lb.s[0].rank, 1);
    cr_expect_str_eq(lb.s[1].name, "dave");
    cr_expect_eq(lb.s[1].graded, 0);
    cr_expect_eq(lb.s[1].rank, 0);
    cr_expect_str_eq(lb.s[1].reason, "no such repository");
    cr_expect_eq(lb.nskipped, 1, "a record without a reason is skipped");
    char *md = lb_markdown(&lb);
    cr_expect(strstr(md, "| – | dave | not graded |") != NULL, "%s", md);
    cr_expect(strstr(md, "1 graded, 1 not graded") != NULL, "%s", md);
    char *html = lb_html(&lb, NULL);
    cr_expect(strstr(html, "<tr class=\"ungraded\">") != NULL);
    cr_expect(strstr(html, "not graded: no such repository") != NULL);
    char *json = lb_json(&lb);
    cr_expect(strstr(json, "\"rank\":\tnull") || strstr(json, "\"rank\": null"),
              "%s", json);
    free(json);
    free(html);
    free(md);
    lb_free(&lb);
}

Test(leaderboard, nothing_to_rank)
{
    leaderboard lb = {0};
    lb_add_text(&lb, "x.json", "{", 1);
    lb_rank(&lb); /* no qsort of NULL */
    cr_expect_eq(lb.n, 0);
    char *html = lb_html(&lb, NULL);
    cr_expect(strstr(html, "0 students") != NULL);
    free(html);
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
    /* Offsets and fractions that once read past the end of the string. */
    cr_expect_eq(lb_parse_time("2026-01-01T00:00:00+1:2", &t), -1);
    cr_expect_eq(lb_parse_time("2026-01-01T00:00:00+01", &t), -1);
    cr_expect_eq(lb_parse_time("2026-01-01T00:00:00+01:00x", &t), -1);
    cr_expect_eq(lb_parse_time("2026-01-01T00:00:00.5e300Z", &t), -1);
    cr_expect_eq(lb_parse_time("2026-01-01T00:00:00.Z", &t), -1);
    cr_expect_eq(lb_parse_time("0000-01-01T00:00:00Z", &t), -1);
}

/* ---- hostile numbers and sizes (issue 30) -------------------------------- */

static void add_doc(leaderboard *lb, const char *file, const char *exercises,
                    const char *prov)
{
    strbuf sb = {0};
    sb_printf(&sb,
              "{\"schema\":\"llmlings-results/1\",\"score\":1,\"max_score\":"
              "2,\"exercises\":[%s],\"provenance\":%s}",
              exercises, prov);
    lb_add_text(lb, file, sb_str(&sb), sb.len);
    sb_free(&sb);
}

#define ONE_EX                                                                 \
    "{\"id\":\"00_a\",\"chapter\":1,\"verdict\":\"passed\",\"score\":1,"       \
    "\"max_score\":1,\"tests\":[]}"

Test(leaderboard, numeric_commit_times_out_of_range_show_no_date)
{
    leaderboard lb = {0};
    add_doc(&lb, "in/a.json", ONE_EX, "{\"commit_time\":1e300}");
    add_doc(&lb, "in/b.json", ONE_EX, "{\"commit_time\":-1e300}");
    add_doc(&lb, "in/c.json", ONE_EX, "{\"commit_time\":1700000000}");
    cr_assert_eq(lb.n, 3);
    cr_expect_str_eq(lb.s[0].commit_time, "");
    cr_expect_str_eq(lb.s[1].commit_time, "");
    cr_expect_str_eq(lb.s[2].commit_time, "2023-11-14T22:13:20Z");
    lb_free(&lb);
}

Test(leaderboard, a_metric_reported_twice_is_one_key)
{
    leaderboard lb = {0};
    add_doc(&lb, "in/a.json",
            "{\"id\":\"00_a\",\"verdict\":\"passed\",\"score\":1,"
            "\"max_score\":1,\"tests\":["
            "{\"name\":\"s/x\",\"verdict\":\"passed\",\"score\":1,"
            "\"max_score\":1,\"metrics\":{\"gflops\":3}},"
            "{\"name\":\"s/y\",\"verdict\":\"passed\",\"score\":0,"
            "\"max_score\":0,\"metrics\":{\"gflops\":7}}]}",
            "{}");
    lb_rank(&lb);
    cr_assert_eq(lb.s[0].nmetrics, 1);
    cr_expect_float_eq(lb.s[0].metrics[0].value, 7, 1e-9);
    char *json = lb_json(&lb);
    cJSON *doc = cJSON_Parse(json);
    const cJSON *st = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(doc, "students"), 0);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(st, "metrics");
    int count = 0;
    for (const cJSON *c = m ? m->child : NULL; c; c = c->next)
        count += strcmp(c->string, "00_a gflops") == 0;
    cr_expect_eq(count, 1, "\"00_a gflops\" %d times in: %s", count, json);
    cJSON_Delete(doc);
    free(json);
    lb_free(&lb);
}

Test(leaderboard, exercises_over_the_limit_are_skipped_with_the_limit)
{
    strbuf ex = {0};
    for (int i = 0; i < 1001; i++)
        sb_printf(&ex,
                  "%s{\"id\":\"e%d\",\"verdict\":\"passed\",\"score\":1,"
                  "\"max_score\":1,\"tests\":[]}",
                  i ? "," : "", i);
    leaderboard lb = {0};
    add_doc(&lb, "in/a.json", sb_str(&ex), "{}");
    cr_assert_eq(lb.n, 0);
    cr_assert_eq(lb.nskipped, 1);
    cr_expect(strstr(lb.skipped[0].reason, "more than the limit of 1000"),
              "got: %s", lb.skipped[0].reason);
    lb_free(&lb);
    sb_free(&ex);
}

/* Many exercises per file and many students: sorted columns, binary
 * search per cell (this was quadratic: 10^5 exercises took 77 s). */
Test(leaderboard, the_largest_board_is_built, .timeout = 60)
{
    strbuf ex = {0};
    for (int i = 0; i < 1000; i++)
        sb_printf(&ex,
                  "%s{\"id\":\"e%04d\",\"chapter\":%d,\"verdict\":\"passed\","
                  "\"score\":1,\"max_score\":1,\"tests\":[]}",
                  i ? "," : "", 999 - i, i % 10);
    leaderboard lb = {0};
    for (int s = 0; s < 50; s++) {
        char file[32];
        snprintf(file, sizeof file, "in/s%d.json", s);
        add_doc(&lb, file, sb_str(&ex), "{}");
    }
    lb_rank(&lb);
    cr_assert_eq(lb.nexercises, 1000);
    cr_expect_str_eq(lb.exercises[0], "e0000");
    cr_expect_eq(lb.chapters[0], 9); /* e0000 was listed at i = 999 */
    char *html = lb_html(&lb, "T");
    char *json = lb_json(&lb);
    cr_expect_not_null(strstr(json, "\"e0999\""));
    free(html);
    free(json);
    lb_free(&lb);
    sb_free(&ex);
}

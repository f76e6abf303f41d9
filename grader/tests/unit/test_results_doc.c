/* Unit tests for report_json.c: results survive a round trip through JSON
 * (the cache depends on it) and hostile strings keep the document valid. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "grade/result_json.h"
#include "report/results_doc.h"

static void sample(exercise_result *r)
{
    memset(r, 0, sizeof *r);
    r->id = strdup("01_x");
    r->title = strdup("T");
    r->hash = strdup("abc");
    r->chapter = 1;
    r->verdict = EV_FAILED;
    r->score = 5;
    r->max_score = 10;
    r->ntests = 2;
    r->tests = calloc(2, sizeof *r->tests);
    r->tests[0] =
        (test_result){strdup("s/a"), TV_PASSED, NULL, NULL, 0.1, 5, 5, NULL, 0};
    r->tests[1] = (test_result){strdup("s/b"),
                                TV_CRASHED,
                                strdup("bad \"\xff\x01"),
                                strdup("out"),
                                0.2,
                                0,
                                5,
                                NULL,
                                0};
}

Test(report_json, round_trip)
{
    exercise_result r, back;
    sample(&r);
    cJSON *j = exercise_result_to_json(&r);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    cJSON *parsed = cJSON_Parse(text);
    cr_assert_not_null(parsed, "output must be valid JSON: %s", text);
    cr_assert_eq(exercise_result_from_json(parsed, &back), 0);
    cr_assert_str_eq(back.id, "01_x");
    cr_assert_eq(back.verdict, EV_FAILED);
    cr_assert_eq(back.ntests, 2);
    cr_assert_eq(back.tests[1].verdict, TV_CRASHED);
    cr_assert_str_eq(back.tests[1].message, "bad \"\xef\xbf\xbd\xef\xbf\xbd");
    cJSON_Delete(parsed);
    free(text);
    exercise_result_free(&r);
    exercise_result_free(&back);
}

Test(report_json, malformed_cache_entry_is_refused)
{
    cJSON *j = cJSON_Parse("{\"id\":\"x\",\"verdict\":\"maybe\"}");
    exercise_result r;
    cr_assert_eq(exercise_result_from_json(j, &r), -1);
    cJSON_Delete(j);
}

Test(report_json, document_has_schema_and_totals)
{
    exercise_result r;
    sample(&r);
    results_doc doc = {"c", "Course", &r, 1, NULL};
    char *text = results_document_print(&doc);
    cJSON *j = cJSON_Parse(text);
    cr_assert_not_null(j);
    cr_assert_str_eq(cJSON_GetObjectItem(j, "schema")->valuestring,
                     RESULTS_SCHEMA);
    cr_assert_float_eq(cJSON_GetObjectItem(j, "score")->valuedouble, 5, 1e-9);
    cr_assert_float_eq(cJSON_GetObjectItem(j, "max_score")->valuedouble, 10,
                       1e-9);
    cJSON_Delete(j);
    free(text);
    exercise_result_free(&r);
}

/* ---- reading a hostile results document (issue 30) ----------------------- */

/* A minimal valid document with EXERCISES spliced into its list. */
static int parse_with(const char *exercises, cJSON **doc, strbuf *err)
{
    char *text = NULL;
    int n = asprintf(&text,
                     "{\"schema\":\"llmlings-results/1\",\"score\":1,"
                     "\"max_score\":2,\"exercises\":[%s]}",
                     exercises);
    cr_assert_gt(n, 0);
    int rc = results_parse(text, strlen(text), doc, err);
    free(text);
    return rc;
}

#define EX(id, extra)                                                          \
    "{\"id\":\"" id "\",\"verdict\":\"passed\",\"score\":1,\"max_score\":1,"   \
    "\"tests\":[]" extra "}"

static int valid_utf8(const char *s)
{
    char *clean = utf8_sanitize(s, strlen(s));
    int same = strcmp(clean, s) == 0;
    free(clean);
    return same;
}

Test(results_parse, invalid_utf8_and_control_characters_are_replaced)
{
    cJSON *doc = NULL;
    strbuf err = {0};
    cr_assert_eq(
        parse_with(EX("0\xff_x", ",\"k\xc3\":\"a\\u001b[2Jb\""), &doc, &err), 0,
        "%s", sb_str(&err));
    char *text = cJSON_PrintUnformatted(doc);
    cr_assert(valid_utf8(text), "re-printed document is not clean: %s", text);
    cr_assert_null(strchr(text, '\x1b'), "escape survived: %s", text);
    cr_assert_not_null(strstr(text, "0\xef\xbf\xbd_x"), "%s", text);
    free(text);
    cJSON_Delete(doc);
    sb_free(&err);
}

static void expect_refused(const char *exercises, const char *why)
{
    cJSON *doc = NULL;
    strbuf err = {0};
    cr_assert_eq(parse_with(exercises, &doc, &err), -1,
                 "accepted a document with %s", why);
    cr_assert_null(doc);
    cr_assert(strstr(sb_str(&err), why) != NULL,
              "message should say \"%s\", got \"%s\"", why, sb_str(&err));
    sb_free(&err);
}

Test(results_parse, duplicate_exercise_ids_are_refused)
{
    expect_refused(EX("01_a", "") "," EX("02_b", "") "," EX("01_a", ""),
                   "exercise \"01_a\" appears twice");
}

Test(results_parse, duplicate_members_are_refused)
{
    expect_refused(EX("01_a", ",\"score\":0"),
                   "member \"score\" appears twice");
}

Test(results_parse, duplicate_test_names_are_refused)
{
    expect_refused("{\"id\":\"01_a\",\"verdict\":\"passed\",\"score\":1,"
                   "\"max_score\":1,\"tests\":["
                   "{\"name\":\"s/t\",\"verdict\":\"passed\",\"score\":1,"
                   "\"max_score\":1},"
                   "{\"name\":\"s/t\",\"verdict\":\"passed\",\"score\":0,"
                   "\"max_score\":0}]}",
                   "test \"s/t\" appears twice");
}

Test(results_parse, numbers_out_of_range_are_refused)
{
    expect_refused(EX("01_a", ",\"wall_s\":1e999"), "not finite");
    expect_refused(EX("01_a", ",\"chapter\":1e300"),
                   "\"chapter\" must be an integer in 0..99");
    expect_refused(EX("01_a", ",\"chapter\":-2147483649"),
                   "\"chapter\" must be an integer");
    expect_refused(EX("01_a", ",\"tests_total\":2.5"),
                   "\"tests_total\" must be an integer");
    expect_refused(EX("01_a", ",\"wall_s\":-1"), "\"wall_s\" must be");
    expect_refused(EX("01_a", ",\"wall_s\":1e300"), "\"wall_s\" must be");
}

Test(results_parse, counts_never_overflow_an_int)
{
    cJSON *o = cJSON_Parse("{\"a\":1e300,\"b\":-5,\"c\":7.9}");
    cr_assert_eq(jcount(o, "a"), 1000000);
    cr_assert_eq(jcount(o, "b"), 0);
    cr_assert_eq(jcount(o, "c"), 7);
    cJSON_Delete(o);
}

/* grade --json: members added outside result_json.c (integrity's list of
 * added files, provenance) come out valid too: an untracked file named
 * with invalid UTF-8 once made the whole document invalid. */
Test(results_print, extra_members_are_made_valid)
{
    cJSON *extra = cJSON_CreateObject();
    cJSON *ig = cJSON_AddObjectToObject(extra, "integrity");
    cJSON *added = cJSON_AddArrayToObject(ig, "added");
    cJSON_AddItemToArray(added, cJSON_CreateString("exercises/a\xff\x1b.c"));
    cJSON_AddNumberToObject(ig, "duration", 1.0 / 0.0);
    cJSON_AddStringToObject(ig, "k\xfe", "v");
    results_doc d = {"c", "T", NULL, 0, extra};
    char *text = results_document_print(&d);
    cJSON_Delete(extra);
    cr_assert(valid_utf8(text), "not valid: %s", text);
    cr_assert_not_null(strstr(text, "exercises/a\xef\xbf\xbd\xef\xbf\xbd.c"),
                       "%s", text);
    cr_assert_null(strstr(text, "null"), "a number printed as null: %s", text);
    free(text);
}

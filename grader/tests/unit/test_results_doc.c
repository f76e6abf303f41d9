/* Unit tests for report_json.c: results survive a round trip through JSON
 * (the cache depends on it) and hostile strings keep the document valid. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

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

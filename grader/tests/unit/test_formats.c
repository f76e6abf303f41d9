/* Unit tests for the exporters (export*.c): each output format is checked
 * field by field on tests/fixtures/results-sample.json, which has a passed,
 * a failed (with hostile text), a build_error and a performance exercise. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/files.h"
#include "report/formats.h"

static cJSON *doc;

static void load(void)
{
    strbuf err = {0};
    cr_assert_eq(results_load("tests/fixtures/results-sample.json", &doc, &err),
                 0, "fixture: %s", sb_str(&err));
    sb_free(&err);
}

static void unload(void)
{
    cJSON_Delete(doc);
}

static cJSON *parse(char *text)
{
    cJSON *j = cJSON_Parse(text);
    cr_assert_not_null(j, "output is not JSON:\n%s", text);
    free(text);
    return j;
}

static const cJSON *item(const cJSON *arr, int i)
{
    const cJSON *x = cJSON_GetArrayItem(arr, i);
    cr_assert_not_null(x, "no element %d", i);
    return x;
}

TestSuite(export, .init = load, .fini = unload);

Test(export, gradescope_fields)
{
    cJSON *g = parse(format_gradescope(doc));
    cr_expect_float_eq(jnum(g, "score"), 41.666, 1e-9);
    cr_expect_float_eq(jnum(g, "execution_time"), 5, 1e-9);
    cr_expect_str_eq(jstr(g, "visibility"), "visible");
    cr_expect_str_eq(jstr(g, "stdout_visibility"), "hidden");
    cr_expect(strstr(jstr(g, "output"), "41.666 / 65 points") != NULL);
    const cJSON *tests = jarr(g, "tests");
    cr_assert_eq(cJSON_GetArraySize(tests), 7);
    const cJSON *ok = item(tests, 0);
    cr_expect_str_eq(jstr(ok, "name"), "00_hello: hello/greets");
    cr_expect_str_eq(jstr(ok, "number"), "00_hello");
    cr_expect_float_eq(jnum(ok, "score"), 5, 1e-9);
    cr_expect_float_eq(jnum(ok, "max_score"), 5, 1e-9);
    cr_expect_str_eq(jstr(ok, "status"), "passed");
    cr_expect_str_eq(jstr(ok, "visibility"), "visible");
    const cJSON *bad = item(tests, 3);
    cr_expect_str_eq(jstr(bad, "name"), "01_pointers: sum/evil");
    cr_expect_str_eq(jstr(bad, "status"), "failed");
    cr_expect_float_eq(jnum(bad, "score"), 0, 1e-9);
    cr_expect_float_eq(jnum(bad, "max_score"), 3.334, 1e-9);
    cr_expect(strstr(jstr(bad, "output"), "expected 6, got 5") != NULL);
    const cJSON *nr = item(tests, 4);
    cr_expect_str_eq(jstr(nr, "status"), "failed");
    cr_expect(strstr(jstr(nr, "output"), "arrays.c:12:5: error") != NULL,
              "a test that did not build shows the build log");
    /* Headline metrics of passing tests become leaderboard columns. */
    const cJSON *lb = jarr(g, "leaderboard");
    cr_assert_eq(cJSON_GetArraySize(lb), 2, "ratio and gflops, no baseline");
    cr_expect_str_eq(jstr(item(lb, 0), "name"),
                     "15_matmul_fast ratio_vs_openblas");
    cr_expect_float_eq(jnum(item(lb, 0), "value"), 0.61, 1e-9);
    cr_expect_str_eq(jstr(item(lb, 1), "name"), "15_matmul_fast gflops");
    cr_expect_float_eq(jnum(item(lb, 1), "value"), 48.25, 1e-9);
    cr_expect_str_eq(jstr(item(lb, 1), "order"), "desc");
    cJSON_Delete(g);
}

Test(export, classroom_fields)
{
    cJSON *c = parse(format_classroom(doc));
    cr_expect_float_eq(jnum(c, "version"), 1, 1e-9);
    cr_expect_str_eq(jstr(c, "status"), "fail");
    cr_expect_float_eq(jnum(c, "max_score"), 65, 1e-9);
    const cJSON *tests = jarr(c, "tests");
    cr_assert_eq(cJSON_GetArraySize(tests), 7);
    const cJSON *ok = item(tests, 0);
    cr_expect_str_eq(jstr(ok, "name"), "00_hello: hello/greets");
    cr_expect_str_eq(jstr(ok, "status"), "pass");
    cr_expect_float_eq(jnum(ok, "score"), 5, 1e-9);
    cr_expect_str_eq(jstr(ok, "message"), "");
    cr_expect_str_eq(jstr(ok, "test_code"), "");
    cr_expect_str_eq(jstr(ok, "filename"), "exercises/00_hello");
    cr_expect_float_eq(jnum(ok, "line_no"), 0, 1e-9);
    cr_expect_float_eq(jnum(ok, "duration"), 200, 1e-9);
    const cJSON *bad = item(tests, 3);
    cr_expect_str_eq(jstr(bad, "status"), "fail");
    cr_expect(strncmp(jstr(bad, "message"), "failed: sum of 3 values", 23) ==
              0);
    cr_expect_str_eq(jstr(item(tests, 4), "message"),
                     "not_run (does not compile)");
    cJSON_Delete(c);
}

Test(export, junit_structure)
{
    char *x = format_junit(doc);
    cr_expect(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) ==
              0);
    cr_expect(strstr(x,
                     "<testsuites name=\"llmlings\" tests=\"7\" failures=\"1\" "
                     "errors=\"2\" skipped=\"0\"") != NULL,
              "%s", x);
    cr_expect(strstr(x, "<testsuite name=\"01_pointers\" tests=\"3\" "
                        "failures=\"1\" errors=\"0\"") != NULL);
    cr_expect(strstr(x, "<testcase classname=\"01_pointers\" name=\"sum/evil\" "
                        "time=\"0.300\">") != NULL);
    cr_expect(strstr(x, "<failure message=\"sum of 3 values: expected 6, got "
                        "5 &lt;b&gt;&amp;amp; 100%") != NULL);
    cr_expect(strstr(x, "type=\"failed\"") != NULL);
    cr_expect(strstr(x, "<error message=\"does not compile\" "
                        "type=\"not_run\">") != NULL);
    cr_expect(strstr(x, "<system-out>&gt; ::add-mask::secret") != NULL);
    cr_expect(strstr(x, "<b>") == NULL, "student markup is escaped");
    cr_expect(strchr(x, '\r') == NULL, "no control characters in XML");
    free(x);
}

Test(export, opencamp_payload_exact)
{
    opencamp_opts o = {.name = "alice"};
    cJSON *p = parse(format_opencamp(doc, &o));
    cr_expect_eq(cJSON_GetArraySize(p), 6, "exactly the six fields");
    cr_expect_str_eq(jstr(p, "channel"), "github");
    cr_expect_str_eq(jstr(p, "courseId"), "llmlings");
    cr_expect_str_eq(jstr(p, "ext"),
                     "0123456789abcdef0123456789abcdef01234567");
    cr_expect_str_eq(jstr(p, "name"), "alice");
    cr_expect_float_eq(jnum(p, "score"), 41.666, 1e-9);
    cr_expect_float_eq(jnum(p, "totalScore"), 65, 1e-9);
    cJSON_Delete(p);
    opencamp_opts o2 = {"bob", "gitee", "camp-2026", "x"};
    p = parse(format_opencamp(doc, &o2));
    cr_expect_str_eq(jstr(p, "channel"), "gitee");
    cr_expect_str_eq(jstr(p, "courseId"), "camp-2026");
    cr_expect_str_eq(jstr(p, "ext"), "x");
    cJSON_Delete(p);
}

Test(export, annotations_cannot_be_forged)
{
    char *a = format_annotations(doc, NULL);
    int lines = 0;
    for (char *p = a; *p; lines++) {
        cr_expect(strncmp(p, "::error file=exercises/", 23) == 0,
                  "line %d is not an annotation: %s", lines, p);
        char *nl = strchr(p, '\n');
        cr_assert_not_null(nl);
        p = nl + 1;
    }
    cr_expect_eq(lines, 2, "one failing test, one compile error:\n%s", a);
    cr_expect(strstr(a,
                     "::error file=exercises/01_pointers/README.md,title="
                     "01_pointers sum/evil%3A failed::sum of 3 values") != NULL,
              "%s", a);
    cr_expect(strstr(a, "100%25") != NULL, "%% is escaped");
    cr_expect(strstr(a, "%0A::error::forged") != NULL,
              "the forged command stays inside the message");
    cr_expect(strstr(a, "::error file=exercises/02_arrays/arrays.c,line=12,"
                        "title=02_arrays does not build::expected ';'") != NULL,
              "%s", a);
    free(a);
}

Test(export, annotations_use_manifest_edit_file)
{
    manifest m;
    strbuf err = {0};
    cr_assert_eq(
        manifest_parse(
            "{\"format\":1,\"course\":{\"id\":\"c\",\"title\":\"T\"},"
            "\"exercises\":[{\"id\":\"00_hello\",\"chapter\":0,"
            "\"title\":\"t\",\"points\":5,\"kind\":\"c\","
            "\"edit\":[\"hello.c\"],\"tests\":[\"test_hello.c\"],"
            "\"hints\":[\"h\"]},{\"id\":\"01_pointers\",\"chapter\":1,"
            "\"title\":\"t\",\"points\":5,\"kind\":\"c\","
            "\"edit\":[\"pointers.c\"],\"tests\":[\"test_pointers.c\"],"
            "\"hints\":[\"h\"]}]}",
            NULL, &m, &err),
        0, "%s", sb_str(&err));
    char *a = format_annotations(doc, &m);
    cr_expect(strstr(a, "file=exercises/01_pointers/pointers.c,") != NULL, "%s",
              a);
    free(a);
    manifest_free(&m);
}

Test(export, summary_markdown)
{
    char *s = format_summary(doc);
    cr_expect(strstr(s, "**41.666 / 65 points** (64%)") != NULL, "%s", s);
    cr_expect(strstr(s, "| 1 | 0 / 2 | 6.666 / 30 | ") != NULL, "%s", s);
    cr_expect(strstr(s, "| 01\\_pointers | failed | 2 / 3 | 6.666 / 10 | "
                        "sum/evil: sum of 3 values") != NULL,
              "%s", s);
    cr_expect(strstr(s, "<b>") == NULL, "no raw HTML from students");
    cr_expect(strstr(s, "\n::") == NULL, "no line starts a command");
    free(s);
}

Test(escape, workflow_command_escapes)
{
    char *d = gha_escape_data("a:b,c%\r\n::x");
    char *p = gha_escape_property("a:b,c%\n");
    cr_expect_str_eq(d, "a:b,c%25\xef\xbf\xbd%0A::x");
    cr_expect_str_eq(p, "a%3Ab%2Cc%25%0A");
    free(d);
    free(p);
}

Test(results, bad_documents_are_rejected)
{
    static const char *const bad[] = {
        "",
        "[1]",
        "{\"schema\":\"other/1\"}",
        "{\"schema\":\"llmlings-results/1\",\"score\":1}",
        "{\"schema\":\"llmlings-results/1\",\"score\":1e308,\"max_score\":-5,"
        "\"exercises\":[]}",
        "{\"schema\":\"llmlings-results/1\",\"score\":1,\"max_score\":2,"
        "\"exercises\":[{\"id\":\"x\"}]}",
        "{\"schema\":\"llmlings-results/1\",\"score\":1,\"max_score\":2,"
        "\"exercises\":[{\"id\":\"x\",\"score\":1,\"max_score\":1,\"verdict\":"
        "\"passed\",\"tests\":[{\"name\":3}]}]}",
        NULL};
    for (const char *const *b = bad; *b; b++) {
        cJSON *d = NULL;
        strbuf err = {0};
        cr_expect_eq(results_parse(*b, strlen(*b), &d, &err), -1, "%s", *b);
        cr_expect_null(d);
        cr_expect(err.len > 0, "a reason is given");
        sb_free(&err);
    }
}

Test(annotations, point_at_the_failing_check)
{
    static const char text[] =
        "{\"schema\":\"llmlings-results/1\",\"score\":0,\"max_score\":1,"
        "\"exercises\":[{\"id\":\"03_strings\",\"verdict\":\"failed\","
        "\"score\":0,\"max_score\":1,\"tests\":[{\"name\":\"s/a\",\"verdict\":"
        "\"failed\",\"score\":0,\"max_score\":0.5,\"message\":\"test_str.c:"
        "42: expected 1, got 2\"},{\"name\":\"s/b\",\"verdict\":\"crashed\","
        "\"score\":0,\"max_score\":0.5,\"message\":\"../../etc/x.c:1: "
        "no\"}]}]}";
    cJSON *d;
    strbuf err = {0};
    cr_assert_eq(results_parse(text, sizeof text - 1, &d, &err), 0, "%s",
                 sb_str(&err));
    char *a = format_annotations(d, NULL);
    cr_expect(strstr(a, "::error file=exercises/03_strings/test_str.c,line=42,"
                        "title=03_strings s/a%3A failed::test_str.c:42: "
                        "expected 1, got 2\n") != NULL,
              "%s", a);
    cr_expect(strstr(a, "::error file=exercises/03_strings/README.md,title="
                        "03_strings s/b%3A crashed::../../etc/x.c:1: no\n") !=
                  NULL,
              "a path that leaves the folder is not used: %s", a);
    free(a);
    cJSON_Delete(d);
}

/* Unit tests for the exporters (export*.c): each output format is checked
 * field by field on tests/fixtures/results-sample.json, which has a passed,
 * a failed (with hostile text), a build_error and a performance exercise. */
#include <criterion/criterion.h>
#include <math.h>
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
    opencamp_opts o = {.name = "alice", .course_id = "1558"};
    cJSON *p = parse(format_opencamp(doc, &o));
    cr_expect_eq(cJSON_GetArraySize(p), 6, "exactly the six fields");
    cr_expect_str_eq(jstr(p, "channel"), "github");
    const cJSON *course = cJSON_GetObjectItemCaseSensitive(p, "courseId");
    cr_expect(cJSON_IsNumber(course) && course->valuedouble == 1558,
              "courseId is a number, as the service takes it");
    cr_expect_str_eq(jstr(p, "ext"),
                     "0123456789abcdef0123456789abcdef01234567");
    cr_expect_str_eq(jstr(p, "name"), "alice");
    cr_expect_float_eq(jnum(p, "score"), 41.666, 1e-9);
    cr_expect_float_eq(jnum(p, "totalScore"), 65, 1e-9);
    cJSON_Delete(p);
    opencamp_opts o2 = {"bob", "gitee", "2026", "x"};
    p = parse(format_opencamp(doc, &o2));
    cr_expect_str_eq(jstr(p, "channel"), "gitee");
    cr_expect_float_eq(jnum(p, "courseId"), 2026, 1e-9);
    cr_expect_str_eq(jstr(p, "ext"), "x");
    cJSON_Delete(p);
    /* The fixture's course.id "llmlings" is no number: no payload. */
    opencamp_opts o3 = {.name = "carol"};
    long long id;
    cr_expect_eq(opencamp_course_id(doc, &o3, &id), -1);
    cr_expect_null(format_opencamp(doc, &o3));
    opencamp_opts o4 = {.name = "d", .course_id = "12a"};
    cr_expect_null(format_opencamp(doc, &o4));
}

/* One exercise of 5 points over 3 tests (1.667 each in the results JSON,
 * 5.001 in all) with 2 passed, and one of 10 points that did not build. */
static cJSON *rounding_doc(void)
{
    const char *text =
        "{\"schema\":\"llmlings-results/1\",\"course\":{\"id\":\"c\"},"
        "\"score\":3.333,\"max_score\":15,\"exercises\":["
        "{\"id\":\"00_a\",\"verdict\":\"failed\",\"score\":3.333,"
        "\"max_score\":5,\"tests\":["
        "{\"name\":\"t1\",\"verdict\":\"passed\",\"score\":1.667,"
        "\"max_score\":1.667},"
        "{\"name\":\"t2\",\"verdict\":\"passed\",\"score\":1.667,"
        "\"max_score\":1.667},"
        "{\"name\":\"t3\",\"verdict\":\"failed\",\"score\":0,"
        "\"max_score\":1.667}]},"
        "{\"id\":\"01_b\",\"verdict\":\"build_error\",\"score\":0,"
        "\"max_score\":10,\"build_log\":\"x.c:1: error\",\"tests\":["
        "{\"name\":\"u1\",\"verdict\":\"not_run\",\"score\":0,"
        "\"max_score\":0},"
        "{\"name\":\"u2\",\"verdict\":\"not_run\",\"score\":0,"
        "\"max_score\":0},"
        "{\"name\":\"u3\",\"verdict\":\"not_run\",\"score\":0,"
        "\"max_score\":0}]}]}";
    cJSON *d;
    strbuf err = {0};
    cr_assert_eq(results_parse(text, strlen(text), &d, &err), 0, "%s",
                 sb_str(&err));
    return d;
}

/* Sums in thousandths, so that 1.667 + 1.666 is exactly 3.333. */
static long thousandths(double x)
{
    return (long)(x * 1000.0 + (x >= 0 ? 0.5 : -0.5));
}

Test(shares, exports_add_up_exactly)
{
    cJSON *d = rounding_doc();
    cJSON *g = parse(format_gradescope(d));
    long max[2] = {0, 0}, score[2] = {0, 0};
    const cJSON *t;
    cJSON_ArrayForEach(t, jarr(g, "tests"))
    {
        int k = strncmp(jstr(t, "name"), "00_a", 4) == 0 ? 0 : 1;
        max[k] += thousandths(jnum(t, "max_score"));
        score[k] += thousandths(jnum(t, "score"));
        if (strcmp(jstr(t, "status"), "passed") == 0)
            cr_expect_float_eq(jnum(t, "score"), jnum(t, "max_score"), 1e-9,
                               "a passed test scores its whole share");
    }
    cr_expect_eq(max[0], 5000, "gradescope maxima of 00_a: %ld", max[0]);
    cr_expect_eq(score[0], 3333, "gradescope scores of 00_a: %ld", score[0]);
    cr_expect_eq(max[1], 10000,
                 "an exercise that did not build keeps its "
                 "10 points: %ld",
                 max[1]);
    cr_expect_eq(thousandths(jnum(g, "score")), 3333);
    cJSON_Delete(g);

    cJSON *c = parse(format_classroom(d));
    long sum = 0;
    cJSON_ArrayForEach(t, jarr(c, "tests")) sum +=
        thousandths(jnum(t, "score"));
    cr_expect_eq(sum, 3333, "classroom scores: %ld", sum);
    cr_expect_float_eq(jnum(c, "max_score"), 15, 1e-9);
    cJSON_Delete(c);

    char *x = format_junit(d);
    cr_expect(strstr(x, "<property name=\"max_score\" value=\"1.666\"/>") ||
                  strstr(x, "<property name=\"max_score\" value=\"1.667\"/>"),
              "%s", x);
    long jmax = 0;
    for (const char *p = x;
         (p = strstr(p, "        <property name=\"max_score\" "
                        "value=\"")) != NULL;) {
        p += strlen("        <property name=\"max_score\" value=\"");
        jmax += thousandths(strtod(p, NULL));
    }
    cr_expect_eq(jmax, 15000, "junit testcase maxima: %ld", jmax);
    cr_expect(strstr(x, "<property name=\"max_score\" value=\"3.334\"/>") ||
                  strstr(x, "<property name=\"max_score\" value=\"3.333\"/>"),
              "the build error's tests share its 10 points");
    free(x);
    cJSON_Delete(d);
}

Test(shares, split_of_every_pass_count)
{
    /* 7 points over 3 tests, 0..3 passed: shares and scores add up. */
    for (int passed = 0; passed <= 3; passed++) {
        strbuf sb = {0};
        sb_printf(&sb,
                  "{\"id\":\"x\",\"verdict\":\"failed\",\"score\":%.3f,"
                  "\"max_score\":7,\"tests\":[",
                  round(7.0 / 3.0 * passed * 1000) / 1000);
        for (int i = 0; i < 3; i++)
            sb_printf(&sb,
                      "%s{\"name\":\"t%d\",\"verdict\":\"%s\","
                      "\"score\":%s,\"max_score\":2.333}",
                      i ? "," : "", i, i < passed ? "passed" : "failed",
                      i < passed ? "2.333" : "0");
        sb_puts(&sb, "]}");
        cJSON *ex = cJSON_Parse(sb_str(&sb));
        test_shares sh;
        test_shares_compute(ex, &sh);
        long m = 0, sc = 0;
        for (size_t i = 0; i < sh.n; i++) {
            m += sh.max[i];
            sc += sh.score[i];
            cr_expect(sh.max[i] == 2333 || sh.max[i] == 2334);
            cr_expect(sh.score[i] == ((int)i < passed ? sh.max[i] : 0));
        }
        cr_expect_eq(m, 7000);
        cr_expect_eq(sc, thousandths(jnum(ex, "score")), "%d passed", passed);
        test_shares_free(&sh);
        cJSON_Delete(ex);
        sb_free(&sb);
    }
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

Test(annotations, crash_on_the_student_line)
{
    static const char text[] =
        "{\"schema\":\"llmlings-results/1\",\"score\":0,\"max_score\":1,"
        "\"exercises\":[{\"id\":\"00_vector\",\"verdict\":\"failed\","
        "\"score\":0,\"max_score\":1,\"tests\":[{\"name\":\"v/push\","
        "\"verdict\":\"crashed\",\"score\":0,\"max_score\":1,\"message\":"
        "\"crashed with SIGSEGV: AddressSanitizer: heap-buffer-overflow in "
        "vec_push exercises/00_vector/vector.c:42:5\"}]}]}";
    static const char man[] =
        "{\"format\":1,\"course\":{\"id\":\"c\",\"title\":\"T\"},"
        "\"exercises\":[{\"id\":\"00_vector\",\"chapter\":0,"
        "\"title\":\"t\",\"points\":1,\"kind\":\"c\","
        "\"edit\":[\"vector.c\"],\"tests\":[\"test_vector.c\"],"
        "\"hints\":[\"h\"]}]}";
    cJSON *d;
    manifest m;
    strbuf err = {0};
    cr_assert_eq(results_parse(text, sizeof text - 1, &d, &err), 0, "%s",
                 sb_str(&err));
    cr_assert_eq(manifest_parse(man, NULL, &m, &err), 0, "%s", sb_str(&err));
    char *a = format_annotations(d, &m);
    cr_expect(strstr(a, "::error file=exercises/00_vector/vector.c,line=42,") !=
                  NULL,
              "the line the crash report gives: %s", a);
    free(a);
    cJSON_Delete(d);
    manifest_free(&m);
}

/* format_gradescope.c: Gradescope autograder results.json, as specified in
 * https://gradescope-autograders.readthedocs.io/en/latest/specs/ ("Output
 * format"): top-level score, execution_time, output, visibility,
 * stdout_visibility, tests[] (score, max_score, status, name, number,
 * output, visibility) and leaderboard[] (name, value, order). One Gradescope
 * test per grader test, so partial credit shows test by test. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "report/formats.h"

static double r3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

/* Why a test that never ran scored nothing: the exercise's own reason. */
static void exercise_reason(strbuf *sb, const cJSON *ex)
{
    const char *verdict = jstr(ex, "verdict");
    sb_printf(sb, "exercise %s: %s", jstr(ex, "id"), verdict);
    if (*jstr(ex, "message"))
        sb_printf(sb, "\n%s", jstr(ex, "message"));
    if (strcmp(verdict, "build_error") == 0 && *jstr(ex, "build_log"))
        sb_printf(sb, "\n%s", jstr(ex, "build_log"));
}

/* One Gradescope test: its share of the exercise's points in thousandths
 * (shares.c), so that the maxima add up to the exercise's points. */
static cJSON *gs_test(const cJSON *ex, const cJSON *t, long max, long score)
{
    cJSON *o = cJSON_CreateObject();
    strbuf name = {0};
    sb_printf(&name, "%s: %s", jstr(ex, "id"),
              t ? jstr(t, "name") : "(no test ran)");
    cJSON_AddStringToObject(o, "name", sb_str(&name));
    sb_free(&name);
    cJSON_AddStringToObject(o, "number", jstr(ex, "id"));
    cJSON_AddNumberToObject(o, "score", (double)score / 1000.0);
    cJSON_AddNumberToObject(o, "max_score", (double)max / 1000.0);
    int passed = t && strcmp(jstr(t, "verdict"), "passed") == 0;
    cJSON_AddStringToObject(o, "status", passed ? "passed" : "failed");
    strbuf out = {0};
    if (!passed) {
        const char *verdict = t ? jstr(t, "verdict") : "not_run";
        char *fb = t ? test_feedback(t) : xstrdup("");
        sb_printf(&out, "%s", verdict);
        if (*fb)
            sb_printf(&out, ": %s", fb);
        free(fb);
        if (strcmp(verdict, "not_run") == 0 ||
            strcmp(verdict, "skipped") == 0) {
            sb_puts(&out, "\n");
            exercise_reason(&out, ex);
        }
    }
    cJSON_AddStringToObject(o, "output", sb_str(&out));
    sb_free(&out);
    cJSON_AddStringToObject(o, "visibility", "visible");
    return o;
}

/* Every test of one exercise; returns the thousandths scored. */
static long gs_exercise(cJSON *tests, const cJSON *ex)
{
    test_shares sh;
    test_shares_compute(ex, &sh);
    size_t i = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, jarr(ex, "tests"))
    {
        cJSON_AddItemToArray(tests, gs_test(ex, t, sh.max[i], sh.score[i]));
        i++;
    }
    if (sh.n == 0)
        cJSON_AddItemToArray(tests,
                             gs_test(ex, NULL, sh.total_max, sh.total_score));
    long scored = sh.total_score;
    test_shares_free(&sh);
    return scored;
}

/* Headline metrics of passed tests become Gradescope leaderboard
 * columns ("order": "desc": higher is better). */
static void add_leaderboard(cJSON *root, const cJSON *doc)
{
    cJSON *lb = NULL;
    const cJSON *ex, *t, *m;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            const cJSON *metrics =
                cJSON_GetObjectItemCaseSensitive(t, "metrics");
            if (!cJSON_IsObject(metrics) ||
                strcmp(jstr(t, "verdict"), "passed") != 0)
                continue;
            cJSON_ArrayForEach(m, metrics)
            {
                if (!cJSON_IsNumber(m) || !metric_is_headline(m->string))
                    continue;
                if (lb == NULL)
                    lb = cJSON_AddArrayToObject(root, "leaderboard");
                cJSON *e = cJSON_CreateObject();
                strbuf n = {0};
                sb_printf(&n, "%s %s", jstr(ex, "id"), m->string);
                cJSON_AddStringToObject(e, "name", sb_str(&n));
                sb_free(&n);
                cJSON_AddNumberToObject(e, "value", r3(m->valuedouble));
                cJSON_AddStringToObject(e, "order", "desc");
                cJSON_AddItemToArray(lb, e);
            }
        }
    }
}

char *format_gradescope(const cJSON *doc)
{
    cJSON *root = cJSON_CreateObject();
    double wall = 0;
    const cJSON *ex;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises")) wall += jnum(ex, "wall_s");
    cJSON_AddNumberToObject(root, "execution_time", round(wall));
    strbuf out = {0};
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(doc, "summary");
    sb_printf(&out, "%s: %g / %g points; %d of %d exercises passed",
              jstr(cJSON_GetObjectItemCaseSensitive(doc, "course"), "title"),
              r3(jnum(doc, "score")), r3(jnum(doc, "max_score")),
              jcount(sum, "passed"), jcount(sum, "exercises"));
    cJSON_AddStringToObject(root, "output", sb_str(&out));
    sb_free(&out);
    cJSON_AddStringToObject(root, "visibility", "visible");
    cJSON_AddStringToObject(root, "stdout_visibility", "hidden");
    cJSON *tests = cJSON_AddArrayToObject(root, "tests");
    long scored = 0;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises")) scored +=
        gs_exercise(tests, ex);
    /* The sum of the tests' scores, so that nothing is lost to rounding. */
    cJSON_AddNumberToObject(root, "score", (double)scored / 1000.0);
    add_leaderboard(root, doc);
    char *text = json_text(root);
    cJSON_Delete(root);
    return text;
}

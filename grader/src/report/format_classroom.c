/* format_classroom.c: the result object of GitHub Classroom's autograding
 * runners, as built by classroom-resources/autograding-command-grader
 * (generateResult) and read by autograding-grading-reporter: version 1,
 * status "pass" | "fail" | "error", max_score, tests[] with name, status,
 * score, message, test_code, filename, line_no, duration (milliseconds).
 * The reporter takes it base64-encoded from a step output; the workflow
 * can do `base64 -w0` on this text. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "report/formats.h"

static const char *classroom_status(const char *verdict)
{
    if (strcmp(verdict, "passed") == 0)
        return "pass";
    if (strcmp(verdict, "crashed") == 0 || strcmp(verdict, "timeout") == 0 ||
        strcmp(verdict, "memory_limit") == 0)
        return "error";
    return "fail";
}

/* One test; t NULL stands for an exercise that lists no test. Its score
 * is its share of the exercise's points in thousandths (shares.c),
 * so that the scores add up to the exercise's score exactly. */
static cJSON *cl_test(const cJSON *ex, const cJSON *t, long score)
{
    cJSON *o = cJSON_CreateObject();
    strbuf s = {0};
    sb_printf(&s, "%s: %s", jstr(ex, "id"),
              t ? jstr(t, "name") : "(no test ran)");
    cJSON_AddStringToObject(o, "name", sb_str(&s));
    sb_free(&s);
    const char *verdict = t ? jstr(t, "verdict") : "not_run";
    cJSON_AddStringToObject(o, "status", classroom_status(verdict));
    cJSON_AddNumberToObject(o, "score", (double)score / 1000.0);
    char *fb = t ? test_feedback(t) : xstrdup("");
    if (strcmp(verdict, "passed") != 0)
        sb_printf(&s, "%s%s%s", verdict, *fb ? ": " : "", fb);
    if (strcmp(verdict, "not_run") == 0 && *jstr(ex, "message"))
        sb_printf(&s, " (%s)", jstr(ex, "message"));
    free(fb);
    cJSON_AddStringToObject(o, "message", sb_str(&s));
    sb_free(&s);
    cJSON_AddStringToObject(o, "test_code", "");
    sb_printf(&s, "exercises/%s", jstr(ex, "id"));
    cJSON_AddStringToObject(o, "filename", sb_str(&s));
    sb_free(&s);
    cJSON_AddNumberToObject(o, "line_no", 0);
    cJSON_AddNumberToObject(o, "duration",
                            t ? round(jnum(t, "wall_s") * 1000) : 0);
    return o;
}

char *format_classroom(const cJSON *doc)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON *tests = cJSON_CreateArray();
    long score = 0, max = 0;
    const cJSON *ex, *t;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        test_shares sh;
        test_shares_compute(ex, &sh);
        size_t i = 0;
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            cJSON_AddItemToArray(tests, cl_test(ex, t, sh.score[i]));
            i++;
        }
        if (sh.n == 0)
            cJSON_AddItemToArray(tests, cl_test(ex, NULL, sh.total_score));
        score += sh.total_score;
        max += sh.total_max;
        test_shares_free(&sh);
    }
    cJSON_AddStringToObject(root, "status", score == max ? "pass" : "fail");
    cJSON_AddNumberToObject(root, "max_score", (double)max / 1000.0);
    cJSON_AddItemToObject(root, "tests", tests);
    char *text = json_text(root);
    cJSON_Delete(root);
    return text;
}

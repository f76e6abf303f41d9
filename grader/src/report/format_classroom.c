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

static cJSON *cl_test(const cJSON *ex, const cJSON *t)
{
    cJSON *o = cJSON_CreateObject();
    strbuf s = {0};
    sb_printf(&s, "%s: %s", jstr(ex, "id"), jstr(t, "name"));
    cJSON_AddStringToObject(o, "name", sb_str(&s));
    sb_free(&s);
    const char *verdict = jstr(t, "verdict");
    cJSON_AddStringToObject(o, "status", classroom_status(verdict));
    cJSON_AddNumberToObject(o, "score", round(jnum(t, "score") * 1000) / 1000);
    char *fb = test_feedback(t);
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
    cJSON_AddNumberToObject(o, "duration", round(jnum(t, "wall_s") * 1000));
    return o;
}

char *format_classroom(const cJSON *doc)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "version", 1);
    double score = jnum(doc, "score"), max = jnum(doc, "max_score");
    cJSON_AddStringToObject(root, "status",
                            fabs(score - max) < 1e-9 ? "pass" : "fail");
    cJSON_AddNumberToObject(root, "max_score", round(max * 1000) / 1000);
    cJSON *tests = cJSON_AddArrayToObject(root, "tests");
    const cJSON *ex, *t;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
            cJSON_AddItemToArray(tests, cl_test(ex, t));
    }
    char *text = json_text(root);
    cJSON_Delete(root);
    return text;
}

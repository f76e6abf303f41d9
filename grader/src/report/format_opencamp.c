/* format_opencamp.c: the payload the opencamp (learningcamp) course
 * leaderboard accepts from a student's workflow, field for field
 * {channel, courseId, ext, name, score, totalScore}: who (name, channel),
 * which course (courseId), the score and the most it could be, and a free
 * text (ext) that carries the graded commit so a score can be traced.
 * Types as the service takes them: courseId and the scores are numbers,
 * the rest strings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "report/formats.h"

static void add_clean(cJSON *o, const char *key, const char *s)
{
    char *c = utf8_sanitize(s, strlen(s));
    cJSON_AddStringToObject(o, key, c);
    free(c);
}

int opencamp_course_id(const cJSON *doc, const opencamp_opts *opt,
                       long long *id)
{
    const char *text = opt->course_id;
    if (text == NULL)
        text = jstr(cJSON_GetObjectItemCaseSensitive(doc, "course"), "id");
    size_t n = strlen(text);
    if (n == 0 || n > 18 || strspn(text, "0123456789") != n)
        return -1;
    *id = strtoll(text, NULL, 10);
    return 0;
}

char *format_opencamp(const cJSON *doc, const opencamp_opts *opt)
{
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(doc, "provenance");
    const char *commit = jstr(prov, "commit");
    long long course = 0;
    if (opencamp_course_id(doc, opt, &course) != 0)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    add_clean(o, "channel", opt->channel ? opt->channel : "github");
    cJSON_AddNumberToObject(o, "courseId", (double)course);
    add_clean(o, "ext", opt->ext ? opt->ext : commit);
    add_clean(o, "name", opt->name ? opt->name : "");
    cJSON_AddNumberToObject(o, "score",
                            round(jnum(doc, "score") * 1000) / 1000);
    cJSON_AddNumberToObject(o, "totalScore",
                            round(jnum(doc, "max_score") * 1000) / 1000);
    char *text = json_text(o);
    cJSON_Delete(o);
    return text;
}

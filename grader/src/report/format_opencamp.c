/* format_opencamp.c: the payload the opencamp (learningcamp) course
 * leaderboard accepts from a student's workflow, field for field
 * {channel, courseId, ext, name, score, totalScore}: who (name, channel),
 * which course (courseId), the score and the most it could be, and a free
 * text (ext) that carries the graded commit so a score can be traced. */
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

char *format_opencamp(const cJSON *doc, const opencamp_opts *opt)
{
    const cJSON *course = cJSON_GetObjectItemCaseSensitive(doc, "course");
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(doc, "provenance");
    const char *commit = jstr(prov, "commit");
    cJSON *o = cJSON_CreateObject();
    add_clean(o, "channel", opt->channel ? opt->channel : "github");
    add_clean(o, "courseId",
              opt->course_id ? opt->course_id : jstr(course, "id"));
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

/* formats.h: one results document (results_doc.h), many formats. Each
 * format reads the parsed document and returns new text (caller frees);
 * none of them touches the file system. `grader report` (cmd_results.c)
 * is the command around them. */
#ifndef GRADER_FORMATS_H
#define GRADER_FORMATS_H

#include <cjson/cJSON.h>

#include "base/strbuf.h"
#include "report/results_doc.h"
#include "report/shares.h"
#include "workbook/manifest.h"

/* The opencamp leaderboard payload needs who and where; the rest comes
 * from the document. NULL members take defaults (see format_opencamp.c). */
typedef struct {
    const char *name;      /* required: the student (GitHub login) */
    const char *channel;   /* default "github" */
    const char *course_id; /* the course's number; default: course.id of
                              the document, when it is a number */
    const char *ext;       /* default: provenance commit id, else "" */
} opencamp_opts;

char *format_gradescope(const cJSON *doc);
char *format_classroom(const cJSON *doc);
char *format_junit(const cJSON *doc);
/* NULL when the course id is not a number (opencamp_course_id says). */
char *format_opencamp(const cJSON *doc, const opencamp_opts *o);
/* The course's number (digits, at most 18): 0, or -1 when it is not one. */
int opencamp_course_id(const cJSON *doc, const opencamp_opts *o, long long *id);
/* GitHub Actions: `::error file=...,line=...::` lines for what failed,
 * every student-controlled byte escaped so no line can start another
 * workflow command; and the Markdown job summary. m (may be NULL) names
 * the file each exercise has students edit, for the annotation. */
char *format_annotations(const cJSON *doc, const manifest *m);
char *format_summary(const cJSON *doc);

/* Escapes for workflow-command data (%, CR, LF) and properties (also
 * ':' and ','), after making the text valid UTF-8. Caller frees. */
char *gha_escape_data(const char *s);
char *gha_escape_property(const char *s);

#endif

/* export.h: one results JSON (grader/schema/results-v1.schema.json), many
 * outputs. Each exporter reads the parsed document and returns new text
 * (caller frees); none of them touches the file system. `grader report`
 * (export.c) is the command around them. */
#ifndef GRADER_EXPORT_H
#define GRADER_EXPORT_H

#include <cjson/cJSON.h>

#include "base/strbuf.h"

/* The opencamp leaderboard payload needs who and where; the rest comes
 * from the document. NULL members take defaults (see export_opencamp.c). */
typedef struct {
    const char *name;      /* required: the student (GitHub login) */
    const char *channel;   /* default "github" */
    const char *course_id; /* default: course.id of the document */
    const char *ext;       /* default: provenance commit id, else "" */
} opencamp_opts;

/* Parses and checks a results document: 0, or -1 with one line in err.
 * results_load reads at most 64 MiB from path. */
int results_parse(const char *text, size_t len, cJSON **doc, strbuf *err);
int results_load(const char *path, cJSON **doc, strbuf *err);

/* Small typed getters: "" / 0 / NULL when absent or of another type. */
const char *jstr(const cJSON *o, const char *key);
double jnum(const cJSON *o, const char *key);
const cJSON *jarr(const cJSON *o, const char *key);

/* Performance metrics worth a board (GFLOP/s, tokens/s, ratios); the
 * baselines and error bounds tests also report are not. */
int metric_is_headline(const char *name);
/* Text for one failed test: its message, then what the program printed. */
char *test_feedback(const cJSON *test);

char *export_json(const cJSON *doc);
char *export_gradescope(const cJSON *doc);
char *export_classroom(const cJSON *doc);
char *export_junit(const cJSON *doc);
char *export_opencamp(const cJSON *doc, const opencamp_opts *o);
/* GitHub Actions: `::error file=...,line=...::` lines for what failed,
 * every student-controlled byte escaped so no line can start another
 * workflow command; and the Markdown job summary. manifest (may be NULL)
 * names the file each exercise has students edit, for the annotation. */
char *export_annotations(const cJSON *doc, const cJSON *manifest);
char *export_summary(const cJSON *doc);

/* Escapes for workflow-command data (%, CR, LF) and properties (also
 * ':' and ','), after making the text valid UTF-8. Caller frees. */
char *gha_escape_data(const char *s);
char *gha_escape_property(const char *s);

/* `grader report ...`: returns the process exit code. */
int report_main(int argc, char **argv);

#endif

/* export.h: one results JSON (grader/schema/results-v1.schema.json), many
 * outputs. Each exporter reads the parsed document and returns new text
 * (caller frees); none of them touches the file system. `grader report`
 * (export.c) is the command around them. */
#ifndef GRADER_EXPORT_H
#define GRADER_EXPORT_H

#include <cjson/cJSON.h>

#include "strbuf.h"

/* The opencamp leaderboard payload needs who and where; the rest comes
 * from the document. NULL members take defaults (see export_opencamp.c). */
typedef struct {
    const char *name;      /* required: the student (GitHub login) */
    const char *channel;   /* default "github" */
    const char *course_id; /* the course's number; default: course.id of
                              the document, when it is a number */
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

/* An exercise's points over its tests, in thousandths (export_shares.c):
 * max[i] sum exactly to total_max (the exercise's max_score, kept even
 * when it did not build) and score[i] to total_score (its score); a passed
 * test scores its whole share. n == 0 when the exercise lists no test:
 * exporters then show one stand-in test that carries the whole maximum. */
typedef struct {
    long *max, *score;
    size_t n;
    long total_max, total_score;
} test_shares;
void test_shares_compute(const cJSON *ex, test_shares *s);
void test_shares_free(test_shares *s);
/* Why an exercise's tests did not run: verdict, message, build log. */
char *exercise_reason(const cJSON *ex);

char *export_json(const cJSON *doc);
char *export_gradescope(const cJSON *doc);
char *export_classroom(const cJSON *doc);
char *export_junit(const cJSON *doc);
/* NULL when the course id is not a number (opencamp_course_id says). */
char *export_opencamp(const cJSON *doc, const opencamp_opts *o);
/* The course's number (digits, at most 18): 0, or -1 when it is not one. */
int opencamp_course_id(const cJSON *doc, const opencamp_opts *o, long long *id);
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

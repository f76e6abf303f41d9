/* output.h: what a test run printed, made fit for people and CI logs.
 *
 * Everything here reads untrusted text (the student's program printed it)
 * and returns new, valid UTF-8 without control characters (utf8.h). */
#ifndef GRADER_OUTPUT_H
#define GRADER_OUTPUT_H

#include <stddef.h>

#include "base/strbuf.h"

/* The first line of a sanitizer report (or the simulator's fault) on
 * stderr worth showing, at most 400 bytes; NULL when there is none. */
char *sanitizer_summary(const char *err);

/* Appends one stream of a run to sb under "--- LABEL ---", without
 * Criterion's own progress lines, cut to `shown` bytes, with a note of how
 * many bytes were written in all (total) when some are not shown. */
void output_append_stream(strbuf *sb, const char *label, const char *data,
                          size_t len, size_t total, size_t shown);

/* Replaces *s (owned; NULL is left alone) by a copy in which no line can
 * act as a GitHub Actions workflow command ("::error::", "::add-mask::",
 * "::stop-commands::", the older "##[error]"): the runner reads them from
 * any log line, after leading blanks, so student output the grader prints
 * could otherwise forge annotations or masks. Such lines get a visible
 * "> " in front. */
void defuse_workflow_commands(char **s);

#endif

/* checker.h: one check of an exercise in a child process, so the watch
 * (cmd_watch.c) stays responsive while it runs: a save starts it over, a
 * key or Ctrl-C cancels it at once.
 *
 * The child grades like `grader check` (a session of its own: protected
 * files pristine, the student's files as they are on disk now) with the
 * caller's result cache, shows its progress on stderr when that is a
 * terminal ("checking 00_hello: running hello/add"), and sends the result
 * back as JSON on a pipe. Cancelling kills the child and everything below
 * the grader (it is their subreaper: sandbox.h), test programs included. */
#ifndef GRADER_CHECKER_H
#define GRADER_CHECKER_H

#include <sys/types.h>

#include "base/strbuf.h"
#include "grade/result_cache.h"
#include "grade/results.h"

typedef struct {
    pid_t pid; /* 0: no check running */
    int fd;    /* the child's end of the result, read here */
    strbuf data;
} checker;

/* Starts checking exercise id of the workbook at root. Returns 0, or -1
 * with err (nothing started). */
int checker_start(checker *c, const char *root, const char *id,
                  result_cache *cache, int show_steps, strbuf *err);
/* Whether a check is running. */
int checker_running(const checker *c);
/* Kills the check, if one runs, and everything below the grader. */
void checker_cancel(checker *c);
/* Reads what the child sent so far (call when c->fd is readable). Returns
 * 0 while it runs; 1 when it ended with a result (*r, and *notice: the
 * integrity line, possibly empty; the caller frees both); -1 when it
 * ended without one (err says why). */
int checker_read(checker *c, exercise_result *r, char **notice, strbuf *err);

#endif

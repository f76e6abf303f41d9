/* progress.h: the student's progress, remembered across runs: which
 * exercise they are on and which ones have passed. It lives in the grader's
 * state folder (workbook.c) as a small text file, `progress`:
 *
 *     llmlings-progress 1
 *     current 01_pointers
 *     done 00_hello
 *
 * The result cache says whether the files as they are now pass; this file
 * remembers what passed before, so a rebuilt grader (new cache keys) or a
 * restart does not send the student back to the first exercise. */
#ifndef GRADER_PROGRESS_H
#define GRADER_PROGRESS_H

#include <stdio.h>

#include "grade/results.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

typedef struct {
    char *current; /* exercise id, or NULL */
    strlist done;  /* ids that passed when last checked */
} progress;

/* Loads the progress file. Never fails: a missing file is a fresh start; a
 * damaged one is renamed to progress.bad, explained in one line on stderr,
 * and replaced by a fresh start. Ids no longer in the manifest are dropped. */
void progress_load(const workbook *wb, progress *p);
/* Writes it atomically; on failure says why on stderr and returns -1. */
int progress_save(const workbook *wb, const progress *p);
void progress_free(progress *p);

int progress_is_done(const progress *p, const char *id);
/* Records a verdict: passed adds id to done, anything else removes it. */
void progress_record(progress *p, const char *id, exercise_verdict v);
void progress_set_current(progress *p, const char *id);
/* Loads, records one verdict, saves: for commands that check one exercise. */
void progress_note(const workbook *wb, const char *id, exercise_verdict v);

/* Is ex finished? Its cached result decides when there is one for its
 * files as they are now; otherwise the progress file does. */
int progress_finished(const workbook *wb, const progress *p,
                      const exercise *ex);
/* The first unfinished exercise at or after index from (wrapping around to
 * the start), or NULL when all are finished. */
const exercise *progress_next_unfinished(const workbook *wb, const progress *p,
                                         size_t from);
/* The exercise to work on: the current one while it is unfinished, else
 * the first unfinished one after it (or from the start). NULL: all done. */
const exercise *progress_current(const workbook *wb, const progress *p);

/* `grader list`: every exercise by chapter with its status, the current one
 * marked, a summary line and what to do next. */
void progress_print_list(FILE *f, const workbook *wb, int color);

/* `grader next [--skip]`: moves on to the next unfinished exercise and
 * says what to do there. Returns an exit code (0, or 2 on bad usage). */
int progress_cmd_next(const workbook *wb, int argc, char **argv, int color);

#endif

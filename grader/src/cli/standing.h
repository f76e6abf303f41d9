/* standing.h: where the student stands. An exercise is finished when its
 * cached result for the files as they are now says so (passed, or skipped
 * for missing hardware), else when the progress file (progress.h) says it
 * passed before; the current exercise is the progress file's while it is
 * unfinished. `grader list` prints the standing, `grader next` moves on. */
#ifndef GRADER_STANDING_H
#define GRADER_STANDING_H

#include <stddef.h>
#include <stdio.h>

#include "grade/result_cache.h"
#include "grade/results.h"
#include "workbook/progress.h"
#include "workbook/workbook.h"

int standing_finished(const workbook *wb, const result_cache *cache,
                      const progress *p, const exercise *ex);
/* The first unfinished exercise at or after index from (wrapping around to
 * the start), or NULL when all are finished. */
const exercise *standing_next_unfinished(const workbook *wb,
                                         const result_cache *cache,
                                         const progress *p, size_t from);
/* The exercise to work on: the current one while it is unfinished, else
 * the first unfinished one after it (or from the start). NULL: all done. */
const exercise *standing_current(const workbook *wb, const result_cache *cache,
                                 const progress *p);

/* Records a verdict in p: passed marks it done, anything but skipped (which
 * says nothing about the student's code) marks it not done. */
void standing_record(progress *p, const char *id, exercise_verdict v);
/* Loads the progress file, records one verdict, saves it. */
void standing_note(const workbook *wb, const char *id, exercise_verdict v);

/* `grader list`: every exercise by chapter with its status, the current one
 * marked, a summary line and what to do next. */
void standing_print_list(FILE *f, const workbook *wb, const result_cache *cache,
                         int color);
/* `grader next [--skip]`: moves on to the next unfinished exercise and
 * says what to do there. Returns an exit code. */
int standing_next_command(const workbook *wb, const result_cache *cache,
                          int argc, char **argv, int color);

#endif

/* standing.h: where the student stands. An exercise is finished when its
 * cached result for the files as they are now says so (passed, or skipped
 * for missing hardware), else when the progress file (progress.h) says it
 * passed before; the current exercise is the progress file's while it is
 * unfinished. `grader list` prints the standing (standing_print_list),
 * `grader next` moves on (cmd_course.c). */
#ifndef GRADER_STANDING_H
#define GRADER_STANDING_H

#include <stddef.h>
#include <stdio.h>

#include "grade/result_cache.h"
#include "grade/results.h"
#include "workbook/progress.h"
#include "workbook/workbook.h"

int standing_finished(const graded_view *v, const result_cache *cache,
                      const progress *p, const exercise *ex);
/* The first unfinished exercise at or after index from (wrapping around to
 * the start), or NULL when all are finished. */
const exercise *standing_next_unfinished(const graded_view *v,
                                         const result_cache *cache,
                                         const progress *p, size_t from);
/* The exercise to work on: the current one while it is unfinished, else
 * the first unfinished one after it (or from the start). NULL: all done. */
const exercise *standing_current(const graded_view *v,
                                 const result_cache *cache, const progress *p);

/* standing_current with the progress file as it is now: the one notion
 * of "the current exercise" that watch, list, next, check, hint and the
 * grade table's "Next" share. */
const exercise *standing_current_now(const graded_view *v,
                                     const result_cache *cache);

/* Records a verdict in p: passed marks it done, anything but skipped (which
 * says nothing about the student's code) marks it not done. */
void standing_record(progress *p, const char *id, exercise_verdict v);
/* Loads the progress file, records one verdict, saves it. */
void standing_note(const graded_view *v, const char *id,
                   exercise_verdict verdict);

/* `grader list`: every exercise by chapter with its status, the current one
 * marked, a summary line and what to do next. */
void standing_print_list(FILE *f, const graded_view *v,
                         const result_cache *cache, int color);

#endif

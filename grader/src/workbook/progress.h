/* progress.h: the student's progress, remembered across runs: which
 * exercise they are on and which ones have passed. It lives in the grader's
 * state folder (state.h) as a small text file, `progress`:
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

#include "workbook/manifest.h"
#include "workbook/workbook.h"

typedef struct {
    char *current; /* exercise id, or NULL */
    strlist done;  /* ids that passed when last checked */
} progress;

/* Loads the progress file. Never fails: a missing file is a fresh start; a
 * damaged one is renamed to progress.bad, explained in one line on stderr,
 * and replaced by a fresh start. Ids no longer in the manifest are dropped. */
void progress_load(const graded_view *v, progress *p);
/* Writes it atomically; on failure says why on stderr and returns -1. */
int progress_save(const graded_view *v, const progress *p);
void progress_free(progress *p);

int progress_is_done(const progress *p, const char *id);
/* Marks id done (it passed) or not done. */
void progress_mark_done(progress *p, const char *id, int done);
void progress_set_current(progress *p, const char *id);

#endif

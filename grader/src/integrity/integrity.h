/* integrity.h: grading the student's editable files against pristine
 * protected files.
 *
 * integrity_apply materialises a "graded tree" in a private temporary
 * folder: every protected file (tests, headers, exercises/common, the
 * manifest) from the pristine source (pristine.h), every editable file
 * from the student (the working tree, or one commit of any repository
 * read through libgit2 for `grade --repo PATH --rev REV`). It then points
 * the workbook at that tree, so build.c and grading.c grade it unchanged.
 * What the student changed outside the editable files is compared with
 * the pristine set and reported (never used); a protected file with no
 * trustworthy copy left makes the exercises that use it "tampered". */
#ifndef GRADER_INTEGRITY_H
#define GRADER_INTEGRITY_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "grade/grading.h"
#include "workbook/workbook.h"

typedef struct integrity integrity;

typedef struct {
    const char *repo; /* grade another repository (NULL: the workbook) */
    const char *rev;  /* ...at this commit (NULL: its working tree) */
} integrity_options;

/* Prepares the graded tree and re-points wb (root, manifest) at it.
 * Returns 0, 2 (usage: no such repository or rev, a broken pin, a
 * manifest with no pristine copy) or 3 (internal), with err. */
int integrity_apply(workbook *wb, const integrity_options *o, integrity **out,
                    strbuf *err);
/* {"integrity": {...}, "provenance": {...}} for the results document. */
cJSON *integrity_extra(const integrity *ig);
/* One line for the student when protected files were changed. */
void integrity_notice(FILE *f, const integrity *ig);
/* grade_exercise, or a "tampered" verdict when a protected file the
 * exercise needs has no pristine copy. */
int integrity_grade(const integrity *ig, const workbook *wb, const exercise *ex,
                    const grade_options *o, exercise_result *out, strbuf *err);
/* For a long-running command (watch): opens the workbook at root afresh,
 * builds the graded tree from the working tree as it is now, and grades
 * one exercise, by id, in it. *notice gets the integrity line for the
 * student (possibly empty; the caller frees it). Returns as
 * integrity_apply, or grade_exercise's status. */
int integrity_check_worktree(const char *root, const char *id,
                             const grade_options *o, exercise_result *out,
                             char **notice, strbuf *err);
/* 1 when wb was re-pointed at a graded tree (a pristine source exists). */
int integrity_graded(const integrity *ig);
/* Removes the graded tree. NULL is fine. */
void integrity_free(integrity *ig);

#endif

/* workbook.h: the workbook a command works on: where it is, its manifest,
 * the grader's private state folder (state.h) and its build folder (in the
 * state folder, or below /tmp/llmlings-root as root); and the view that
 * grading reads: the workbook itself, or the graded copy of it that
 * integrity.h makes (the two roots are never confused: a view names its
 * own). */
#ifndef GRADER_WORKBOOK_H
#define GRADER_WORKBOOK_H

#include "base/strbuf.h"
#include "workbook/manifest.h"

typedef struct {
    char *root;         /* absolute path of the workbook, as found: the source
                           of the student's files */
    char *state_dir;    /* private to the grader's user: the result cache */
    char *build_dir;    /* builds and test runs, reachable by the run user */
    manifest m;         /* the working tree's manifest */
    char grader_id[65]; /* hash of the grader binary: part of cache keys */
} workbook;

/* What grading reads: a tree of exercises and its manifest, and the
 * workbook whose state and build folders it uses. */
typedef struct {
    const workbook *wb;
    const char *root;  /* the graded root: the workbook's, or a graded copy */
    const manifest *m; /* that tree's manifest */
} graded_view;

/* Finds the workbook at or above start (the folder holding
 * exercises/manifest.json), loads the manifest and prepares the state
 * folder. With manifest_err NULL a manifest that does not load is an
 * error; else its one line goes to manifest_err and wb->m stays empty (the
 * graded copy's pristine manifest is then graded, or manifest_err
 * reported). Returns 0, EXIT_USAGE for a usage/manifest error,
 * EXIT_INTERNAL; err holds one line. */
int workbook_open(const char *start, workbook *wb, strbuf *manifest_err,
                  strbuf *err);
void workbook_close(workbook *wb);
/* The view of wb graded as it is (its own root and manifest). */
graded_view workbook_view(const workbook *wb);

#endif

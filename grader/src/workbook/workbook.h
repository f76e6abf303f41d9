/* workbook.h: the workbook being graded: where it is, its manifest, the
 * grader's private state folder (the result cache) and its build folder
 * (in the state folder, or below /tmp/llmlings-root as root). */
#ifndef GRADER_WORKBOOK_H
#define GRADER_WORKBOOK_H

#include "base/strbuf.h"
#include "workbook/manifest.h"

typedef struct {
    char *root;      /* absolute path of the workbook */
    char *state_dir; /* private to the grader's user: the result cache */
    char *build_dir; /* builds and test runs, reachable by the run user */
    manifest m;
    char grader_id[65]; /* hash of the grader binary: part of cache keys */
    int color;          /* colour on stdout */
} workbook;

/* Finds the workbook at or above start (the folder holding
 * exercises/manifest.json), loads the manifest and prepares the state
 * folder. Returns 0, 2 for a usage/manifest error, 3 for an internal
 * error; err holds one line. */
int workbook_open(const char *start, workbook *wb, strbuf *err);
/* The same, except that a manifest that does not load is no error yet:
 * its one line goes to manifest_err and wb->m stays empty (integrity.c
 * then grades with the pristine manifest, or reports manifest_err). */
int workbook_open_lenient(const char *start, workbook *wb, strbuf *manifest_err,
                          strbuf *err);
void workbook_close(workbook *wb);

#endif

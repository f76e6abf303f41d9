/* integrity.h: grading the student's editable files against pristine
 * protected files.
 *
 * integrity_apply materialises a "graded tree" in a private temporary
 * folder of the state folder: every protected file (tests, headers,
 * exercises/common, the manifest, hardware/) from the pristine source
 * (pristine.h), every editable file from the student (the working tree, or
 * one commit of any repository read through libgit2 for `grade --repo
 * PATH --rev REV`). The workbook itself is left as it is: the caller
 * grades the graded tree through a view of its own (workbook.h,
 * graded_view: integrity_root and integrity_manifest). What the student
 * changed outside the editable files is compared with the pristine set and
 * reported (never used); a protected file with no trustworthy copy left
 * makes the exercises that use it "tampered". */
#ifndef GRADER_INTEGRITY_H
#define GRADER_INTEGRITY_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "base/strbuf.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

typedef struct integrity integrity;

typedef struct {
    const char *repo; /* grade another repository (NULL: the workbook) */
    const char *rev;  /* ...at this commit (NULL: its working tree) */
} integrity_options;

/* Prepares the graded tree of wb. Returns 0, EXIT_USAGE (no such
 * repository or rev, a broken pin, a manifest with no pristine copy) or
 * EXIT_INTERNAL, with err. */
int integrity_apply(const workbook *wb, const integrity_options *o,
                    integrity **out, strbuf *err);
/* The graded tree and its (pristine) manifest; NULL when there is no
 * pristine source and the working tree is graded as it is. */
const char *integrity_root(const integrity *ig);
const manifest *integrity_manifest(const integrity *ig);
/* The first protected file ex needs (its folder, a linked exercise's,
 * exercises/common, hardware/ for a kind that uses it) that has no
 * pristine copy, or NULL. m: the graded manifest. NULL ig: none. */
const char *integrity_blocked_by(const integrity *ig, const manifest *m,
                                 const exercise *ex);
/* Why an editable file ex compiles (its own, or a linked exercise's)
 * cannot be graded, as a new string ("exercises/01_x/x.c is a symbolic
 * link ..."), or NULL. *tampered: it is a link (never followed), rather
 * than a file that is no regular file or is too large. */
char *integrity_editable_problem(const integrity *ig, const manifest *m,
                                 const exercise *ex, int *tampered);
/* Puts the graded tree back as written: tests run as the grader's own user
 * when it is not root, and without Landlock nothing stops them writing
 * there, so this runs before each exercise. NULL ig: nothing to do.
 * Returns 0 or -1 with err. */
int integrity_resync(const integrity *ig, strbuf *err);
/* {"integrity": {...}, "provenance": {...}} for the results document. */
cJSON *integrity_extra(const integrity *ig);
/* One line for the student when protected files were changed. */
void integrity_notice(FILE *f, const integrity *ig);
/* Removes the graded tree. NULL is fine. */
void integrity_free(integrity *ig);

#endif

/* session.h: what a command that grades works on: the workbook, and the
 * view grading reads (workbook.h): the graded tree of integrity.h
 * (pristine protected files, the student's editable ones) when there is a
 * pristine source, else the workbook as it is. */
#ifndef GRADER_SESSION_H
#define GRADER_SESSION_H

#include "base/strbuf.h"
#include "integrity/integrity.h"
#include "workbook/workbook.h"

typedef struct {
    workbook wb;
    integrity *ig;       /* NULL until session_grade_pristine */
    graded_view view;    /* what grading reads (the workbook until then) */
    strbuf manifest_err; /* lenient: why the working tree's manifest did
                            not load */
} session;

/* Opens the workbook at or above root. lenient: a manifest that does not
 * load is no error yet (the pristine one may be graded instead). Returns
 * 0 or an exit code, with err. */
int session_open(session *s, const char *root, int lenient, strbuf *err);
/* Grades from now on the graded tree of the working tree, or of repo at
 * rev (integrity.h); a broken working-tree manifest without a pristine one
 * is an error now. Returns 0 or an exit code, with err. */
int session_grade_pristine(session *s, const char *repo, const char *rev,
                           strbuf *err);
void session_close(session *s);

#endif

/* student_repo.h: commands about the student's repository as a whole:
 * `grader reset EX` (put an exercise's editable files back to the starter,
 * from the pristine git objects) and `grader export DIR` (instructor: write
 * the student template repository, without solutions-private/ and other
 * instructor-only files). */
#ifndef GRADER_STUDENT_REPO_H
#define GRADER_STUDENT_REPO_H

#include "workbook.h"

/* Paths (prefixes ending in '/', or whole paths) that never leave the
 * instructor's repository. */
extern const char *const EXPORT_EXCLUDED[];
/* 1 when the export leaves path out (EXPORT_EXCLUDED): a student never
 * receives it, so the organizer's integrity check does not expect it. */
int export_excluded(const char *path);

/* `reset EX [--yes]`: asks y/N on stdin unless --yes. Returns 0 reset (or
 * nothing to do), 1 declined, 2 usage / no pristine source, 3 internal. */
int reset_command(const workbook *wb, int argc, char **argv);
/* `export DIR`: 0, 2 usage (DIR not empty, not a git workbook), 3. */
int export_command(const workbook *wb, int argc, char **argv);

#endif

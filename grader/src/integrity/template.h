/* template.h: `grader export DIR` (instructor): writes the student template
 * repository: the committed workbook (HEAD) without solutions-private/ and
 * the other instructor-only files (TEMPLATE_EXCLUDED), a fresh pin of what
 * it holds, and a git repository of one commit, ready to push as a
 * template. */
#ifndef GRADER_TEMPLATE_H
#define GRADER_TEMPLATE_H

#include "workbook/workbook.h"

/* Paths (prefixes ending in '/', or whole paths) that never leave the
 * instructor's repository. */
extern const char *const TEMPLATE_EXCLUDED[];
/* 1 when the export leaves path out (TEMPLATE_EXCLUDED): a student never
 * receives it, so the organizer's integrity check does not expect it. */
int template_excluded(const char *path);

/* Exports wb into dest (a new or empty folder). Says what it did. Returns
 * 0, EXIT_USAGE (dest not empty, wb not a git workbook) or EXIT_INTERNAL. */
int template_export(const workbook *wb, const char *dest);

#endif

/* hints.h: an exercise's hints, revealed one at a time. How many were
 * shown is remembered in the state folder (state.h), so `grader hint` and
 * watch's h key go on from each other. */
#ifndef GRADER_HINTS_H
#define GRADER_HINTS_H

#include <stddef.h>
#include <stdio.h>

#include "workbook/manifest.h"
#include "workbook/workbook.h"

/* How many hints of ex to show now: one more than last time (every one
 * with all), and never more than there are. Remembers the number. */
size_t hints_reveal(const workbook *wb, const exercise *ex, int all);
/* Prints the first `upto` hints, one a line: "<indent>1/3. text". */
void hints_print(FILE *f, const exercise *ex, size_t upto, const char *indent);

#endif

/* table.h: what a person sees in the terminal: the grade table, one
 * exercise in detail, the list. Colour only when the caller says so
 * (term.h: term_color_fd). */
#ifndef GRADER_TABLE_H
#define GRADER_TABLE_H

#include <stdio.h>

#include "grade/results.h"
#include "workbook/manifest.h"

/* The grade table: one row per exercise, totals, and what to do next:
 * next_id (the student's current exercise), or NULL for the first one not
 * passed. */
void table_print_grade(FILE *f, const manifest *m, const exercise_result *rs,
                       size_t n, const char *next_id, int color);
/* One exercise in detail: each test, and the first failure explained. */
void table_print_check(FILE *f, const exercise *ex, const exercise_result *r,
                       int color);
/* The same without the closing "what to do" line (watch mode has its own). */
void table_print_check_body(FILE *f, const exercise *ex,
                            const exercise_result *r, int color);

#endif

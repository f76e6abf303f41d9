/* verify.h: the instructor's proof that the workbook is sound: every
 * starter compiles cleanly (-Werror) and fails every test, and every
 * reference solution (solutions-private/, overlaid in a private build tree;
 * the working tree is never touched) passes every test; with --judge, the
 * same holds in judge mode. */
#ifndef GRADER_VERIFY_H
#define GRADER_VERIFY_H

#include "workbook/workbook.h"

typedef struct {
    int color;   /* colour on stdout */
    int mutants; /* also every instructor mutant fails a test and every
                    variant passes them all (mutants.h) */
    int judge;   /* also in judge mode (judge.h): with two seeds, the
                    reference's observing build passes every test, the
                    starter's fails every test, and every test checks a
                    value that depends on its seed */
} verify_options;

/* Verifies the named exercises of v (all when n == 0). Returns 0 when
 * every one is proven, 1 when some is not, EXIT_INTERNAL on an internal
 * error. */
int verify_exercises(const graded_view *v, const char *const *ids, int n,
                     const verify_options *o);

#endif

/* mutants.h: the instructor's mutants and variants of a reference solution
 * (grader/README.md "Instructor mutants").
 *
 *     solutions-private/<id>/mutants/<name>.patch    one plausible student
 *                                                    mistake each
 *     solutions-private/<id>/variants/<name>.patch   a correct solution
 *                                                    written differently
 *
 * Each patch (a unified diff against the reference, paths relative to the
 * solution's folder, a first line "Mutant: ..." or "Variant: ...") is
 * applied to a copy of the reference (unidiff.h) and graded like a
 * student's files: a mutant must fail at least one test (the tests catch
 * that mistake), a variant must pass them all (the tests do not demand the
 * reference's incidental choices). */
#ifndef GRADER_MUTANTS_H
#define GRADER_MUTANTS_H

#include "base/strbuf.h"
#include "grade/judge.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

typedef struct {
    int mutants, killed;   /* mutants, and those a test caught */
    int variants, passing; /* variants, and those that pass every test */
    int judge_variants, judge_passing; /* the same in judge mode */
    int judge_mutants, judge_killed;   /* counter-graded exercises' mutants
                                          in judge mode */
} mutant_tally;

/* Grades every mutant and variant of ex; with judge (else NULL), every
 * variant also in judge mode, which must pass it exactly as local grading
 * does, and, for an exercise graded by the device's counters
 * (judge_counters), every mutant too, which judge mode must catch as local
 * grading does (a mutant that only costs more traffic is caught by the
 * device report's counts there). Lines for the instructor go to why (a
 * surviving mutant, a failing variant, a patch that does not apply). Returns 0
 * (t filled), or -1 on an internal error (err). */
int mutants_verify(const graded_view *v, const exercise *ex,
                   const judge_options *judge, mutant_tally *t, strbuf *why,
                   strbuf *err);

#endif

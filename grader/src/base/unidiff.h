/* unidiff.h: applying a unified diff (the output of `diff -u` or `git
 * diff`) to files in a folder, strictly: every hunk's old lines must be
 * found exactly (at the line the hunk names, or the nearest place where
 * they match), nothing is fuzzed. Text before the first "--- " line (a
 * description) is ignored. Used for the instructor's mutants and variants
 * of a reference solution, which must apply exactly or not at all. */
#ifndef GRADER_UNIDIFF_H
#define GRADER_UNIDIFF_H

#include <stddef.h>

#include "base/strbuf.h"

/* Applies diff (len bytes) to the files below dir, whose paths the diff
 * names after "--- a/" and "+++ b/" (one leading folder stripped, as
 * `patch -p1` does; "/dev/null" creates or deletes a file). Either every
 * hunk applies and the files are rewritten, or nothing is written and err
 * says which hunk did not apply. Returns 0 or -1. */
int unidiff_apply(const char *dir, const char *diff, size_t len, strbuf *err);

/* The description before the diff: the first line, with a leading
 * "Mutant: " or "Variant: " removed (a new string), or "" when none. */
char *unidiff_description(const char *diff, size_t len);

#endif

/* build.h: turning an exercise into its test programs.
 *
 * Each exercise has a build folder (folder.h): its inputs are staged in
 * tree/ and compiled there, as the run user and sandboxed, by the kind's
 * recipe (kind.h): <id>.test, and for some kinds <id>.race and <id>.gpu
 * beside it. */
#ifndef GRADER_BUILD_H
#define GRADER_BUILD_H

#include "base/strbuf.h"
#include "compile/inputs.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

/* Stages in into dir/tree and builds the kind's programs. Returns 0 when
 * the test program was built, 1 on a compile error (log holds the
 * compiler's words), -1 on an internal problem (err). The log may hold
 * warnings even on success. */
int build_run(const graded_view *v, const exercise *ex, const build_options *o,
              const build_inputs *in, const char *dir, strbuf *log,
              strbuf *err);

#endif

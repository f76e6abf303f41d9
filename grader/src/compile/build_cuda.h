/* build_cuda.h: building an exercise of a RECIPE_CUDASIM kind
 * (hardware/cudasim/README.md, "Building a CUDA exercise"): the simulator's
 * test program and, when the manifest asks for it, the race tier's
 * (ThreadSanitizer), both by hardware/cudasim/cudasim-cc; the nvcc compile
 * check where nvcc exists; and an nvcc build for a real GPU where the
 * probe finds one. All of it runs as one sandboxed shell script in the
 * staged tree. */
#ifndef GRADER_BUILD_CUDA_H
#define GRADER_BUILD_CUDA_H

#include "base/strbuf.h"
#include "compile/inputs.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

/* Called by build_run after staging: same contract (0 built, 1 the
 * student's build error in log, -1 internal problem in err). When nvcc
 * rejects the student's code the log starts with the line that
 * build_cuda_nvcc_message() recognises. */
int build_cuda(const graded_view *v, const exercise *ex, const build_options *o,
               const build_inputs *in, const char *dir, strbuf *log,
               strbuf *err);

/* Where the simulator's plain build left the object of unit (a staged
 * path, e.g. exercises/43_x/transpose.cu): what judge mode inspects
 * (tamper.h). Caller frees. */
char *build_cuda_kept_object(const char *dir, const char *unit);

/* When log says nvcc rejected the student's file: a one-line message with
 * nvcc's first error (caller frees); else NULL. */
char *build_cuda_nvcc_message(const char *log);

#endif

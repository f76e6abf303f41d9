/* tamper.h: rejecting student code that reaches beyond its own functions.
 *
 * The test program links the student's files with the tests, the harness
 * and Criterion, so a student file could otherwise replace Criterion's main,
 * register a Criterion ReportHook or test, run a constructor before the
 * harness, or define a function of the C library, Criterion, the sanitizer
 * runtime or the harness so that theirs is used instead. Before any test
 * runs, each edited .c file of a kind marked "inspected" (kind.h) is
 * compiled once more, without sanitizers but with the same preprocessor
 * view (compile.h: COMPILE_OBJECT, so no #ifdef can tell the two builds
 * apart), and the object is inspected:
 *
 *   - no constructor or destructor sections (.init_array, .ctors, ...),
 *     no Criterion sections (cr_tst, cr_sts, hook sections cr_pra...),
 *     no ifunc resolvers (code run by the dynamic loader);
 *   - no definition of main, of a Criterion/BoxFort or harness name, of a
 *     reserved name (__x, _X: the sanitizers' hooks are such names), or of
 *     any name the linked libraries define (unless the exercise's own
 *     protected header declares it: then the exercise asked for it);
 *   - no call of the harness's or Criterion's internals, of the sanitizer
 *     interfaces (__lsan_disable...) or of dlsym/dlopen (which would reach
 *     all of the above by name).
 *
 * A violation is a "tampered" verdict with a message naming file and
 * symbol. */
#ifndef GRADER_TAMPER_H
#define GRADER_TAMPER_H

#include "base/strbuf.h"
#include "compile/inputs.h"
#include "workbook/manifest.h"

/* Empties dir/inspect, where the inspected objects go, for the run user.
 * Returns 0, or -1 with err. */
int tamper_prepare(const char *dir, strbuf *err);
/* Where the object of input number `input` (of build_inputs) is inspected
 * from: the build may compile it there beforehand, several compilers at
 * once (build.c); one missing is compiled by tamper_check. */
char *tamper_object_path(const char *dir, size_t input);
/* Where the build may leave gcc's -print-search-dirs output (the folders
 * the libraries whose names tamper_check knows are read from), so no
 * compiler runs after the build for it. */
char *tamper_search_dirs_path(const char *dir);
/* Inspects the edited sources of in (staged in dir/tree by build_run).
 * Returns 0 when clean (or the kind is not inspected), 1 when rejected
 * (why: one paragraph for the student), -1 on an internal problem (err). */
int tamper_check(const exercise *ex, const build_options *o,
                 const build_inputs *in, const char *dir, strbuf *why,
                 strbuf *err);

/* Judge mode, kinds built by the CUDA simulator, whose kernels run in the
 * simulator's device process: the objects of ex's edited units (.cu, .c,
 * .cpp) in the plain build
 * (build_cuda_kept_object) may hold no constructor or destructor (code
 * that would run before the device process exists) except the one the
 * counting instrumentation adds (.init_array.00099, which starts the
 * simulator's hooks), and may not use the simulator's controls
 * (cudasim...), the harness (ll_..., llmlings_...) or dlsym & co.
 * Findings are appended to why as "\n  file: ..." (at most
 * SOURCE_RULES_MAX_SHOWN lines in all, counted in *shown). Returns how
 * many were found, or -1 when an object cannot be read (err). */
int tamper_check_device_objects(const exercise *ex, const char *dir,
                                strbuf *why, int *shown, strbuf *err);

#endif

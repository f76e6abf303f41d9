/* build.h: turning an exercise into a test binary.
 *
 * The inputs are staged into a private tree that mirrors the workbook
 * (exercises/<id>/..., exercises/common/...), so compiler messages name
 * the student's own paths, and protected files can come from anywhere
 * (the working tree today, pristine git objects with integrity checks). */
#ifndef GRADER_BUILD_H
#define GRADER_BUILD_H

#include <stddef.h>

#include "base/strbuf.h"
#include "sandbox/sandbox.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

typedef struct {
    const char *edit_base; /* where edited files come from, relative to the
                              root: "exercises" or "solutions-private" */
    int werror;            /* add -Werror (proving starters compile cleanly) */
} build_options;

typedef struct {
    char *src;  /* absolute path to read */
    char *dest; /* path in the staged tree, e.g. exercises/01_x/x.c */
    int edited; /* a student-edited file */
} build_input;

typedef struct {
    build_input *v;
    size_t n;
    char **include_dirs; /* exercise folders on the include path */
    size_t ninclude;
    char **sources; /* staged paths to compile */
    size_t nsources;
} build_inputs;

/* Collects every input of ex (and of the exercises it links). Returns 0, or
 * -1 with a one-line reason (e.g. a missing reference solution). */
int build_collect(const workbook *wb, const exercise *ex,
                  const build_options *o, build_inputs *in, strbuf *err);
void build_inputs_free(build_inputs *in);
/* The content hash of everything that decides the result. */
void build_hash(const workbook *wb, const exercise *ex, const build_options *o,
                const build_inputs *in, char hex[65]);
/* Stages and compiles into dir/<id>.test. Returns 0 when the binary was
 * built, 1 on a compile error (log holds the compiler's words), -1 on an
 * internal problem (err). The log may hold warnings even on success. */
int build_run(const workbook *wb, const exercise *ex, const build_options *o,
              const build_inputs *in, const char *dir, strbuf *log,
              strbuf *err);
/* Runs one build command (argv, from cwd) in the sandbox with the build
 * limits: limit_s of wall and CPU time, 4 GiB, 64 processes. Its stdout
 * and stderr go to log, then one line saying why when it stopped
 * abnormally ("<who> did not finish within N s", ran out of memory, was
 * killed, exited non-zero in silence). *res is the caller's to free.
 * Returns 0, or -1 when it could not run (err says why). */
int build_step(char **argv, const char *cwd, int limit_s, const char *who,
               strbuf *log, sandbox_result *res, strbuf *err);

/* The compiler's argv (NULL-terminated, caller frees each string and the
 * array) for ex, relative to the staged tree; NULL for a kind this grader
 * does not build with a C compiler. compile_commands.c reuses it. */
char **build_compile_argv(const char *cc, const exercise *ex,
                          const build_options *o, const build_inputs *in,
                          const char *binary);
/* The staged tree and binary of an exercise's build folder. */
char *build_tree_path(const char *dir);
char *build_binary_path(const char *dir, const exercise *ex);

#endif

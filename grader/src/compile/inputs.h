/* inputs.h: everything an exercise's build reads, and its content hash.
 *
 * The inputs are staged into a private tree that mirrors the workbook
 * (exercises/<id>/..., exercises/common/..., hardware/cudasim/... for the
 * kinds that stage it), so compiler messages name the student's own paths,
 * and protected files can come from anywhere (the graded tree of
 * integrity.h, with pristine copies). */
#ifndef GRADER_INPUTS_H
#define GRADER_INPUTS_H

#include <stddef.h>

#include "base/strbuf.h"
#include "base/strlist.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

/* Which build of an exercise: the student's (the default), the reference
 * solution's (verify), and others to come (a judge's builds with other
 * macros, a mutant of the solution from its own folder). */
typedef struct {
    const char *edit_base;      /* where the edited files come from: a folder
                                   of the workbook ("exercises",
                                   "solutions-private") or an absolute
                                   path holding <id>/<file> */
    int werror;                 /* -Werror on the edited files (proving
                                   that starters compile cleanly) */
    const char *const *defines; /* macros every compile defines ("NAME" or
                                   "NAME=VALUE", NULL-ended); NULL: none */
    const char *tag;            /* build folder suffix, so other builds
                                   never clobber the student's; NULL: none */
} build_options;

/* The student's build: edited files from exercises/, no extras. */
#define BUILD_STUDENT ((build_options){"exercises", 0, NULL, NULL})

typedef struct {
    char *src;  /* absolute path to read */
    char *dest; /* path in the staged tree, e.g. exercises/01_x/x.c */
    int edited; /* a student-edited file */
} build_input;

typedef struct {
    build_input *v;
    size_t n;
    strlist include_dirs; /* exercise folders on the include path */
    strlist sources;      /* staged C files the gcc recipe compiles */
} build_inputs;

/* Collects every input of ex (and of the exercises it links). Returns 0, or
 * -1 with a one-line reason (e.g. a missing reference solution). */
int build_collect(const graded_view *v, const exercise *ex,
                  const build_options *o, build_inputs *in, strbuf *err);
void build_inputs_free(build_inputs *in);
/* The content hash of everything that decides the result. */
void build_hash(const graded_view *v, const exercise *ex,
                const build_options *o, const build_inputs *in, char hex[65]);
/* Copies every input into tree (emptied first), readable by the run user.
 * Returns 0, or -1 with err. */
int build_stage(const build_inputs *in, const char *tree, strbuf *err);

#endif

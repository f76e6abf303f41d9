/* compile.h: every compiler command line of an exercise, built in one place.
 *
 * The kind's row (kind.h) and the manifest entry decide the flags; the
 * purpose decides what is compiled and what comes out:
 *
 *   COMPILE_PROGRAM  a test program: the student's sources, the tests and
 *                    the harness, linked. RECIPE_GCC: one gcc command.
 *                    RECIPE_CUDASIM: the hardware/cudasim/cudasim-cc
 *                    command, for the plain program or (PROGRAM_RACE) the
 *                    race tier's; it needs CUDASIM_BUILD in its
 *                    environment (build_cuda.c writes the script).
 *   COMPILE_UNIT     RECIPE_GCC: one source of the test program to an
 *                    object, with the program's flags (build.c compiles
 *                    each unit on its own, so the units the student
 *                    cannot change come from the object cache).
 *   COMPILE_LINK     RECIPE_GCC: the units' objects to the test program.
 *   COMPILE_OBJECT   one source to an object file, as the test program's
 *                    preprocessor sees it (a sanitizer's flags replaced by
 *                    the macro it defines, so no #ifdef can tell the two
 *                    builds apart), warnings off: tamper.c inspects it.
 *   COMPILE_EDITOR   one source for compile_commands.json: the program's
 *                    flags without output or linking (.cu files: clang's
 *                    CUDA mode over the simulator's headers).
 *
 * Paths are relative to the staged tree, which mirrors the workbook. */
#ifndef GRADER_COMPILE_H
#define GRADER_COMPILE_H

#include "base/strlist.h"
#include "compile/inputs.h"
#include "workbook/manifest.h"

typedef enum {
    COMPILE_PROGRAM,
    COMPILE_OBJECT,
    COMPILE_EDITOR,
    COMPILE_UNIT,
    COMPILE_LINK,
} compile_purpose;

typedef struct {
    compile_purpose purpose;
    program_id program;     /* PROGRAM: PROGRAM_TEST, or PROGRAM_RACE */
    const char *cc;         /* the C compiler: a path, or "gcc" */
    const char *source;     /* OBJECT, EDITOR, UNIT: the one source */
    const char *output;     /* PROGRAM, LINK: the program; OBJECT, UNIT: the
                               object */
    const strlist *objects; /* LINK: the objects, in order */
    const char *linker;     /* LINK: gcc's -fuse-ld= value; NULL: its
                               default linker */
    /* PROGRAM, RECIPE_CUDASIM (the object cache, build_cuda.c): a test
     * unit or the harness whose <file name>.o is in prebuilt_dir is linked
     * from there instead of compiled; every unit compiled leaves its
     * object in keep_dir. NULL: neither. */
    const char *prebuilt_dir;
    const char *keep_dir;
    const char *root; /* EDITOR: the workbook (absolute include paths) */
} compile_request;

/* Appends the command for r to argv. Returns 0, or -1 when the kind is not
 * built that way (e.g. no race tier for RECIPE_GCC): argv is unchanged. */
int compile_command(const exercise *ex, const build_options *o,
                    const build_inputs *in, const compile_request *r,
                    strlist *argv);

/* The files of ex that a RECIPE_CUDASIM build compiles (.cu, .c, .cpp),
 * staged paths: the student's to *student, the tests to *tests. */
void compile_cuda_units(const exercise *ex, strlist *student, strlist *tests);

#endif

/* compile.c: see compile.h. */
#include "compile/compile.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/text.h"

/* What -fsanitize=address,undefined adds to a build, and the macro the
 * preprocessor then sees (the inspection build defines it instead). */
static const char *const SANITIZER_FLAGS[] = {
    "-fsanitize=address,undefined", "-fno-sanitize-recover=all", NULL};
static const char *const SANITIZER_MACROS[] = {"-D__SANITIZE_ADDRESS__=1",
                                               NULL};
/* Warnings, and how compiler messages look, for every kind. */
static const char *const WARNINGS[] = {"-Wall", "-Wextra", NULL};
static const char *const MESSAGES[] = {"-fdiagnostics-color=never",
                                       "-fmax-errors=20", NULL};
static const char CUDASIM_CC[] = "hardware/cudasim/cudasim-cc";
static const char HARNESS[] = "exercises/common/llmlings_harness.c";
/* C files of a cuda exercise, for an editor: plain C17. */
static const char *const EDITOR_PLAIN_C[] = {"gcc", "-std=c17", "-Wall",
                                             "-Wextra", NULL};
/* .cu files for an editor: clang's CUDA mode, host side, with the
 * simulator's headers and the attributes clang needs
 * (grader/editor/clangd_cuda.h). */
static const char *const EDITOR_CUDA[] = {"clang++",
                                          "-x",
                                          "cuda",
                                          "-std=c++17",
                                          "--cuda-host-only",
                                          "-nocudainc",
                                          "-nocudalib",
                                          "-Wno-unknown-cuda-version",
                                          "-Ihardware/cudasim/include",
                                          NULL};

static void push_includes(strlist *argv, const build_inputs *in)
{
    for (size_t i = 0; i < in->include_dirs.n; i++)
        strlist_pushf(argv, "-I%s", in->include_dirs.v[i]);
}

static void push_defines(strlist *argv, const build_options *o)
{
    for (const char *const *d = o->defines; d && *d; d++)
        strlist_pushf(argv, "-D%s", *d);
}

/* Whether o builds the student's code for judge mode: its tests only
 * observe (LL_OBSERVE), and its kernels run in the device process, so
 * cudasim-cc hardens them (--judge). */
static int observing_build(const build_options *o)
{
    for (const char *const *d = o->defines; d && *d; d++)
        if (strcmp(*d, "LL_OBSERVE") == 0)
            return 1;
    return 0;
}

static void push_libs(strlist *argv, const exercise *ex)
{
    for (size_t i = 0; i < ex->libs.n; i++)
        strlist_pushf(argv, "-l%s", ex->libs.v[i]);
    for (const char *const *l = ex->kind->link; l && *l; l++)
        strlist_pushf(argv, "-l%s", *l);
}

/* What every gcc compile of the kind starts with: the compiler, its mode,
 * the sanitizers (or, for an object to inspect, the macro they define),
 * the diagnostics, the macros and flags of the build and the exercise,
 * and the include path. */
static void push_gcc_head(strlist *argv, const exercise *ex,
                          const build_options *o, const build_inputs *in,
                          const compile_request *r)
{
    const kind_spec *k = ex->kind;
    strlist_push(argv, r->cc);
    strlist_push_all(argv, k->cflags);
    const int object = r->purpose == COMPILE_OBJECT;
    if (k->sanitizers)
        strlist_push_all(argv, object ? SANITIZER_MACROS : SANITIZER_FLAGS);
    if (object) {
        strlist_push(argv, "-w");
        strlist_push(argv, "-fdiagnostics-color=never");
    } else {
        strlist_push_all(argv, WARNINGS);
        strlist_push_all(argv, MESSAGES);
        if (o->werror)
            strlist_push(argv, "-Werror");
    }
    push_defines(argv, o);
    strlist_push_all(argv, (const char *const *)ex->cflags.v);
    push_includes(argv, in);
}

/* The objects of the units to the test program, with the libraries. */
static void gcc_link(const exercise *ex, const compile_request *r,
                     strlist *argv)
{
    const kind_spec *k = ex->kind;
    strlist_push(argv, r->cc);
    strlist_push_all(argv, k->cflags);
    if (k->sanitizers)
        strlist_push_all(argv, SANITIZER_FLAGS);
    if (r->linker)
        strlist_pushf(argv, "-fuse-ld=%s", r->linker);
    for (size_t i = 0; i < r->objects->n; i++)
        strlist_push(argv, r->objects->v[i]);
    strlist_push(argv, "-o");
    strlist_push(argv, r->output);
    strlist_push(argv, "-lcriterion");
    push_libs(argv, ex);
    strlist_push(argv, "-lm");
}

static int gcc_command(const exercise *ex, const build_options *o,
                       const build_inputs *in, const compile_request *r,
                       strlist *argv)
{
    if (r->purpose == COMPILE_PROGRAM && r->program != PROGRAM_TEST)
        return -1; /* one program only */
    if (r->purpose == COMPILE_LINK) {
        gcc_link(ex, r, argv);
        return 0;
    }
    push_gcc_head(argv, ex, o, in, r);
    if (r->purpose != COMPILE_PROGRAM) {
        strlist_push(argv, "-c");
        strlist_push(argv, r->source);
        if (r->purpose == COMPILE_OBJECT || r->purpose == COMPILE_UNIT) {
            strlist_push(argv, "-o");
            strlist_push(argv, r->output);
        }
        return 0;
    }
    strlist_push_all(argv, (const char *const *)in->sources.v);
    strlist_push(argv, "-o");
    strlist_push(argv, r->output);
    strlist_push(argv, "-lcriterion");
    push_libs(argv, ex);
    strlist_push(argv, "-lm");
    return 0;
}

void compile_cuda_units(const exercise *ex, strlist *student, strlist *tests)
{
    const strlist *lists[] = {&ex->edit, &ex->tests};
    strlist *out[] = {student, tests};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < lists[k]->n; i++) {
            const char *f = lists[k]->v[i];
            if (ends_with(f, ".cu") || ends_with(f, ".c") ||
                ends_with(f, ".cpp"))
                strlist_pushf(out[k], "exercises/%s/%s", ex->id, f);
        }
}

/* A unit the student cannot change: its object from r->prebuilt_dir when
 * it is there, else the source (after `option` when not NULL). */
static void push_unit(strlist *argv, const compile_request *r,
                      const char *option, const char *source)
{
    if (r->prebuilt_dir) {
        const char *slash = strrchr(source, '/');
        char *object =
            xasprintf("%s/%s.o", r->prebuilt_dir, slash ? slash + 1 : source);
        if (file_exists(object)) {
            strlist_push(argv, "--object");
            strlist_take(argv, object);
            return;
        }
        free(object);
    }
    if (option)
        strlist_push(argv, option);
    strlist_push(argv, source);
}

/* cudasim-cc builds the simulator's program (or the race tier's) from the
 * exercise's own units and the harness. */
static int cudasim_program(const exercise *ex, const build_options *o,
                           const build_inputs *in, const compile_request *r,
                           strlist *argv)
{
    if (r->program == PROGRAM_RACE && !ex->kind->race_tier)
        return -1;
    if (r->program == PROGRAM_GPU)
        return -1; /* nvcc's: build_cuda.c */
    strlist student = {0}, tests = {0};
    compile_cuda_units(ex, &student, &tests);
    strlist_push(argv, "bash");
    strlist_push(argv, CUDASIM_CC);
    if (r->program == PROGRAM_RACE)
        strlist_push(argv, "--tsan");
    else if (observing_build(o))
        strlist_push(argv, "--judge");
    strlist_push(argv, "-o");
    strlist_push(argv, r->output);
    push_includes(argv, in);
    strlist_push_all(argv, MESSAGES); /* cudasim-cc has the warnings */
    push_defines(argv, o);
    strlist_push_all(argv, (const char *const *)ex->cflags.v);
    if (r->keep_dir) {
        strlist_push(argv, "--keep-objects");
        strlist_push(argv, r->keep_dir);
    }
    push_unit(argv, r, "--c", HARNESS);
    for (size_t i = 0; i < student.n; i++) {
        if (o->werror)
            strlist_push(argv, "--werror");
        strlist_push(argv, student.v[i]);
    }
    for (size_t i = 0; i < tests.n; i++)
        push_unit(argv, r, NULL, tests.v[i]);
    push_libs(argv, ex);
    strlist_free(&student);
    strlist_free(&tests);
    return 0;
}

/* An editor's view of a file no gcc command of the exercise compiles: a
 * .cu file as CUDA, a C file of a cuda exercise as plain C17. */
static int editor_only(const build_inputs *in, const compile_request *r,
                       strlist *argv)
{
    if (ends_with(r->source, ".cu")) {
        strlist_push_all(argv, EDITOR_CUDA);
        strlist_push(argv, "-include");
        strlist_pushf(argv, "%s/grader/editor/clangd_cuda.h", r->root);
    } else {
        strlist_push_all(argv, EDITOR_PLAIN_C);
    }
    push_includes(argv, in);
    strlist_push(argv, "-c");
    strlist_push(argv, r->source);
    return 0;
}

int compile_command(const exercise *ex, const build_options *o,
                    const build_inputs *in, const compile_request *r,
                    strlist *argv)
{
    if (r->purpose == COMPILE_EDITOR &&
        (ends_with(r->source, ".cu") || ex->kind->recipe != RECIPE_GCC))
        return editor_only(in, r, argv);
    switch (ex->kind->recipe) {
    case RECIPE_GCC: return gcc_command(ex, o, in, r, argv);
    case RECIPE_CUDASIM:
        if (r->purpose == COMPILE_PROGRAM)
            return cudasim_program(ex, o, in, r, argv);
        return -1; /* the simulator's objects are not inspected */
    }
    return -1;
}

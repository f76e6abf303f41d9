/* compile_commands.c: see compile_commands.h.
 *
 * One entry per C source of every exercise (the student's files, the tests,
 * the shared harness), with the grader's own compiler arguments
 * (build_compile_argv) minus what only linking needs (-o, -l, the other
 * sources) plus "-c FILE". The build stages a tree that mirrors the
 * workbook, so its relative -I paths hold from the workbook root, which is
 * each entry's "directory". CUDA files (.cu) get clang's CUDA mode with the
 * simulator's headers, enough for clangd to follow includes and types. */
#include "cli/compile_commands.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/files.h"
#include "build/build.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int is_listed(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

static int already(const cJSON *list, const char *root, const char *rel)
{
    char *file = path_join(root, rel);
    int seen = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "file");
        seen |= cJSON_IsString(f) && strcmp(f->valuestring, file) == 0;
    }
    free(file);
    return seen;
}

static cJSON *entry(const char *root, const char *rel, cJSON *args)
{
    char *file = path_join(root, rel);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "directory", root);
    cJSON_AddStringToObject(e, "file", file);
    cJSON_AddItemToObject(e, "arguments", args);
    free(file);
    return e;
}

/* The grader's compile command for one C source. */
static cJSON *c_args(char **argv, const build_inputs *in, const char *rel)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; argv[i]; i++) {
        if (strcmp(argv[i], "-o") == 0 && argv[i + 1]) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "-l", 2) == 0 ||
            is_listed(in->sources, in->nsources, argv[i]))
            continue;
        cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
    }
    cJSON_AddItemToArray(a, cJSON_CreateString("-c"));
    cJSON_AddItemToArray(a, cJSON_CreateString(rel));
    return a;
}

/* clang's CUDA mode, host side, with the simulator's headers and
 * grader/editor/clangd_cuda.h (the attributes clang needs). */
static cJSON *cuda_args(const char *root, const build_inputs *in,
                        const char *rel)
{
    static const char *const flags[] = {"clang++",
                                        "-x",
                                        "cuda",
                                        "-std=c++17",
                                        "--cuda-host-only",
                                        "-nocudainc",
                                        "-nocudalib",
                                        "-Wno-unknown-cuda-version",
                                        "-Ihardware/cudasim/include",
                                        NULL};
    cJSON *a = cJSON_CreateArray();
    for (const char *const *f = flags; *f; f++)
        cJSON_AddItemToArray(a, cJSON_CreateString(*f));
    char *shim = path_join(root, "grader/editor/clangd_cuda.h");
    cJSON_AddItemToArray(a, cJSON_CreateString("-include"));
    cJSON_AddItemToArray(a, cJSON_CreateString(shim));
    free(shim);
    for (size_t i = 0; i < in->ninclude; i++) {
        char inc[4096];
        snprintf(inc, sizeof inc, "-I%s", in->include_dirs[i]);
        cJSON_AddItemToArray(a, cJSON_CreateString(inc));
    }
    cJSON_AddItemToArray(a, cJSON_CreateString("-c"));
    cJSON_AddItemToArray(a, cJSON_CreateString(rel));
    return a;
}

/* Adds entries for ex's files not listed yet (the harness and linked
 * exercises' files come first with their own exercise); returns how many. */
static size_t add_exercise(const workbook *wb, const exercise *ex, cJSON *list)
{
    build_options o = {"exercises", 0};
    build_inputs in;
    strbuf err = {0};
    size_t added = 0;
    if (build_collect(wb, ex, &o, &in, &err) != 0) {
        fprintf(stderr, "grader: compile-commands: skipping %s: %s\n", ex->id,
                sb_str(&err));
        sb_free(&err);
        return 0;
    }
    sb_free(&err);
    char **argv = build_compile_argv("gcc", ex, &o, &in, "a.out");
    if (argv == NULL) { /* a kind built otherwise (CUDA, OpenCL): its C
                           files (tests, host code) as plain C17 */
        static const char *const plain[] = {"gcc", "-std=c17", "-Wall",
                                            "-Wextra"};
        argv = xcalloc(5 + in.ninclude, sizeof *argv);
        for (size_t i = 0; i < 4; i++)
            argv[i] = xstrdup(plain[i]);
        for (size_t i = 0; i < in.ninclude; i++) {
            strbuf inc = {0};
            sb_printf(&inc, "-I%s", in.include_dirs[i]);
            argv[4 + i] = sb_steal(&inc);
        }
    }
    for (size_t i = 0; i < in.nsources; i++)
        if (argv && ends_with(in.sources[i], ".c") &&
            !already(list, wb->root, in.sources[i])) {
            cJSON_AddItemToArray(list, entry(wb->root, in.sources[i],
                                             c_args(argv, &in, in.sources[i])));
            added++;
        }
    /* CUDA sources are not in the C compiler's list: take them from the
     * exercise's own files. */
    for (size_t i = 0; i < in.n; i++)
        if (ends_with(in.v[i].dest, ".cu") &&
            strncmp(in.v[i].dest, "exercises/", 10) == 0 &&
            !already(list, wb->root, in.v[i].dest)) {
            cJSON_AddItemToArray(list,
                                 entry(wb->root, in.v[i].dest,
                                       cuda_args(wb->root, &in, in.v[i].dest)));
            added++;
        }
    for (char **a = argv; a && *a; a++)
        free(*a);
    free(argv);
    build_inputs_free(&in);
    return added;
}

int compile_commands_main(const workbook *wb, int argc, char **argv)
{
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") != 0) {
            fprintf(stderr,
                    "grader: compile-commands takes only --quiet, got "
                    "\"%s\"\n",
                    argv[i]);
            return 2;
        }
        quiet = 1;
    }
    cJSON *list = cJSON_CreateArray();
    size_t n = 0;
    for (size_t i = 0; i < wb->m.n; i++)
        n += add_exercise(wb, &wb->m.ex[i], list);
    char *text = cJSON_Print(list);
    cJSON_Delete(list);
    if (text == NULL)
        return 3;
    char *path = path_join(wb->root, "compile_commands.json");
    int rc = file_write_atomic(path, text, strlen(text));
    if (rc != 0)
        fprintf(stderr, "grader: cannot write %s\n", path);
    else if (!quiet)
        printf("Wrote %s (%zu files) for clangd and other editors.\n", path, n);
    free(text);
    free(path);
    return rc == 0 ? 0 : 3;
}

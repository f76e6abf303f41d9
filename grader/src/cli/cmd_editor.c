/* cmd_editor.c: `grader compile-commands` (commands.h) writes
 * compile_commands.json at the workbook root, so clangd (and any editor
 * using it) sees each exercise's include paths and flags as the grader
 * compiles them. One entry per C source of every exercise (the student's files,
 * the tests, the shared harness) and per .cu file, with the grader's own
 * compiler arguments for an editor (compile.h: COMPILE_EDITOR). The build
 * stages a tree that mirrors the workbook, so its relative -I paths hold from
 * the workbook root, which is each entry's "directory". */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/exit_codes.h"
#include "base/files.h"
#include "base/text.h"
#include "cli/commands.h"
#include "compile/compile.h"
#include "compile/inputs.h"

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

/* Adds the entry of one file of ex unless an earlier exercise listed it
 * (the harness, a linked exercise's files). Returns 1 when added. */
static int add_file(const graded_view *v, const exercise *ex,
                    const build_inputs *in, const char *rel, cJSON *list)
{
    if (already(list, v->root, rel))
        return 0;
    const build_options o = BUILD_STUDENT;
    compile_request r = {
        .purpose = COMPILE_EDITOR, .cc = "gcc", .source = rel, .root = v->root};
    strlist argv = {0};
    if (compile_command(ex, &o, in, &r, &argv) != 0)
        return 0;
    cJSON *args = cJSON_CreateArray();
    for (size_t i = 0; i < argv.n; i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(argv.v[i]));
    strlist_free(&argv);
    char *file = path_join(v->root, rel);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "directory", v->root);
    cJSON_AddStringToObject(e, "file", file);
    cJSON_AddItemToObject(e, "arguments", args);
    cJSON_AddItemToArray(list, e);
    free(file);
    return 1;
}

/* Adds entries for ex's C sources (the student's, the tests, the harness)
 * and its .cu files; returns how many. */
static size_t add_exercise(const graded_view *v, const exercise *ex,
                           cJSON *list)
{
    const build_options o = BUILD_STUDENT;
    build_inputs in;
    strbuf err = {0};
    if (build_collect(v, ex, &o, &in, &err) != 0) {
        fprintf(stderr, "grader: compile-commands: skipping %s: %s\n", ex->id,
                sb_str(&err));
        sb_free(&err);
        return 0;
    }
    size_t added = 0;
    for (size_t i = 0; i < in.sources.n; i++)
        if (ends_with(in.sources.v[i], ".c"))
            added += add_file(v, ex, &in, in.sources.v[i], list);
    for (size_t i = 0; i < in.n; i++)
        if (ends_with(in.v[i].dest, ".cu") &&
            starts_with(in.v[i].dest, "exercises/"))
            added += add_file(v, ex, &in, in.v[i].dest, list);
    build_inputs_free(&in);
    return added;
}

int cmd_compile_commands(app *a, int argc, char **argv)
{
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") != 0)
            return usage_error(a, "takes only --quiet, got \"%s\"", argv[i]);
        quiet = 1;
    }
    const graded_view view = workbook_view(&a->s.wb);
    const graded_view *v = &view;
    cJSON *list = cJSON_CreateArray();
    size_t n = 0;
    for (size_t i = 0; i < v->m->n; i++)
        n += add_exercise(v, &v->m->ex[i], list);
    char *text = cJSON_Print(list);
    cJSON_Delete(list);
    if (text == NULL)
        return EXIT_INTERNAL;
    char *path = path_join(v->root, "compile_commands.json");
    int rc = file_write_atomic(path, text, strlen(text));
    if (rc != 0)
        fprintf(stderr, "grader: cannot write %s\n", path);
    else if (!quiet)
        printf("Wrote %s (%zu files) for clangd and other editors.\n", path, n);
    free(text);
    free(path);
    return rc == 0 ? EXIT_ALL_PASSED : EXIT_INTERNAL;
}

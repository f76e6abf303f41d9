/* build_cuda.c: see build_cuda.h.
 *
 * The recipe has several steps (the simulator's program and the race
 * tier's, each one hardware/cudasim/cudasim-cc command; the nvcc check;
 * the nvcc build for a GPU), so it is written out as a POSIX shell script
 * in the build folder and run as one sandboxed program, as the run user,
 * like the C compiler is for kind c. Its exit status says what happened:
 * 0 built, 1 a compile error (the compiler's words are its output), 3 the
 * script could not prepare its folder, 4 nvcc rejected the student's
 * file. */
#include "compile/build_cuda.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/text.h"
#include "compile/compile.h"
#include "compile/folder.h"
#include "compile/hardware.h"
#include "compile/object_cache.h"
#include "compile/shell.h"
#include "sandbox/sandbox.h"
#include "sandbox/trusted.h"

enum { EXIT_NVCC_REJECTED = 4, EXIT_CANNOT_PREPARE = 3 };
static const double CUDA_BUILD_LIMIT_S = 300;

#define NVCC_MARK "nvcc rejects "

/* ---- the object cache of the simulator's builds ---------------------------
 *
 * The units the student cannot change (the tests, the harness) of each
 * simulator program come from the object cache (object_cache.h) when it
 * has them: they go to <dir>/prebuilt-<program>/, cudasim-cc links them
 * from there and leaves what it compiled in <dir>/kept-<program>/, and
 * those are stored after the build. */

static char *unit_dir(const char *dir, const char *what, program_id p)
{
    return xasprintf("%s/%s-%s", dir, what,
                     p == PROGRAM_RACE ? "race" : "test");
}

static char *unit_object(const char *folder, const char *unit)
{
    const char *slash = strrchr(unit, '/');
    return xasprintf("%s/%s.o", folder, slash ? slash + 1 : unit);
}

char *build_cuda_kept_object(const char *dir, const char *unit)
{
    char *kept = unit_dir(dir, "kept", PROGRAM_TEST);
    char *object = unit_object(kept, unit);
    free(kept);
    return object;
}

/* The key of unit in program p: the program's whole cudasim-cc command,
 * the unit, and the simulator's build (its rewriter and libraries). */
static void sim_unit_key(const object_cache *c, const exercise *ex,
                         const build_options *o, const build_inputs *in,
                         const char *hw, program_id p, const char *unit,
                         char key[65])
{
    char *program = xasprintf("(program-%d)", (int)p);
    compile_request r = {
        .purpose = COMPILE_PROGRAM, .program = p, .output = program};
    strlist argv = {0};
    (void)compile_command(ex, o, in, &r, &argv);
    strlist_pushf(&argv, "(unit) %s", unit);
    static const char *const parts[] = {"cudasim-rewrite", "libcudasim.a",
                                        "libcudasim_tsan.a", NULL};
    for (const char *const *part = parts; *part; part++) {
        char *path = path_join(hw, *part);
        struct stat st;
        if (stat(path, &st) == 0)
            strlist_pushf(&argv, "%s %lld %lld", *part, (long long)st.st_size,
                          (long long)st.st_mtim.tv_sec);
        free(path);
    }
    object_cache_key(c, &argv, program, key);
    strlist_free(&argv);
    free(program);
}

/* The harness and the test units of ex (staged paths). */
static void trusted_units(const exercise *ex, strlist *units)
{
    strlist student = {0};
    strlist_push(units, "exercises/common/llmlings_harness.c");
    compile_cuda_units(ex, &student, units);
    strlist_free(&student);
}

/* Empties the folders of program p and fetches its cached units. */
static int fetch_units(const object_cache *c, const exercise *ex,
                       const build_options *o, const build_inputs *in,
                       const char *dir, const char *hw, program_id p,
                       int usable)
{
    char *from = unit_dir(dir, "prebuilt", p), *to = unit_dir(dir, "kept", p);
    int rc = remove_tree(from) == 0 && remove_tree(to) == 0 &&
                     mkdir_p(from, 0755) == 0 && mkdir_p(to, 0755) == 0 &&
                     (geteuid() != 0 ||
                      chown(to, sandbox_run_uid(), sandbox_run_gid()) == 0)
                 ? 0
                 : -1;
    strlist units = {0};
    trusted_units(ex, &units);
    for (size_t i = 0; rc == 0 && usable && i < units.n; i++) {
        char key[65];
        sim_unit_key(c, ex, o, in, hw, p, units.v[i], key);
        char *object = unit_object(from, units.v[i]);
        (void)object_cache_fetch(c, key, object);
        free(object);
    }
    strlist_free(&units);
    free(from);
    free(to);
    return rc;
}

/* Stores the units program p compiled now. */
static void store_units(const object_cache *c, const exercise *ex,
                        const build_options *o, const build_inputs *in,
                        const char *dir, const char *hw, program_id p)
{
    char *to = unit_dir(dir, "kept", p);
    strlist units = {0};
    trusted_units(ex, &units);
    for (size_t i = 0; i < units.n; i++) {
        char *object = unit_object(to, units.v[i]);
        if (file_exists(object)) {
            char key[65];
            sim_unit_key(c, ex, o, in, hw, p, units.v[i], key);
            object_cache_store(c, key, object, NULL);
        }
        free(object);
    }
    strlist_free(&units);
    free(to);
}

/* cudasim-cc builds a program of the simulator (compile.c). */
static void put_sim_build(strbuf *sb, const exercise *ex,
                          const build_options *o, const build_inputs *in,
                          program_id program, const char *path, const char *dir)
{
    char *from = unit_dir(dir, "prebuilt", program);
    char *to = unit_dir(dir, "kept", program);
    compile_request r = {.purpose = COMPILE_PROGRAM,
                         .program = program,
                         .output = path,
                         .prebuilt_dir = from,
                         .keep_dir = to};
    strlist argv = {0};
    if (compile_command(ex, o, in, &r, &argv) == 0)
        shell_put_command(sb, &argv, " || fail");
    strlist_free(&argv);
    free(from);
    free(to);
}

/* -I flags: the exercise, its links, exercises/common. */
static void put_includes(strbuf *sb, const build_inputs *in)
{
    for (size_t i = 0; i < in->include_dirs.n; i++) {
        sb_puts(sb, " -I");
        shell_put_quoted(sb, in->include_dirs.v[i]);
    }
}

/* nvcc on every student .cu: rejected code is not CUDA, whatever the
 * simulator accepts. The real headers, not the simulator's. */
static void put_nvcc_check(strbuf *sb, const build_inputs *in,
                           const strlist *student)
{
    for (size_t i = 0; i < student->n; i++) {
        const char *path = student->v[i];
        if (!ends_with(path, ".cu"))
            continue;
        sb_puts(sb, "if ! \"$NVCC\" -std=c++17 -c -x cu");
        put_includes(sb, in);
        sb_printf(sb,
                  " %s -o \"$O/nvcc_check.o\" >\"$O/nvcc.log\" 2>&1; "
                  "then\n",
                  path);
        sb_printf(sb, "  echo '" NVCC_MARK "%s' >\"$O/nvcc.rejected\"\n", path);
        sb_puts(sb, "  exit 0\nfi\n");
    }
}

/* The same sources built by nvcc for the GPU (as hardware/nvcc/run.sh). */
static void put_gpu_build(strbuf *sb, const exercise *ex,
                          const build_inputs *in, const strlist *units,
                          const char *program)
{
    sb_puts(sb, "gcc -std=c17 -g -O2 -Iexercises/common -c "
                "exercises/common/llmlings_harness.c -o \"$O/harness.o\" "
                "|| exit 1\n");
    for (size_t i = 0; i < units->n; i++) {
        sb_puts(sb, "\"$NVCC\" -std=c++17 -g -O2 -x cu");
        put_includes(sb, in);
        for (size_t k = 0; k < ex->cflags.n; k++) {
            sb_puts(sb, " ");
            shell_put_quoted(sb, ex->cflags.v[k]);
        }
        sb_printf(sb, " -c %s -o \"$O/%zu_gpu.o\" || exit 1\n", units->v[i], i);
    }
    sb_puts(sb, "\"$NVCC\" -o ");
    shell_put_quoted(sb, program);
    for (size_t i = 0; i < units->n; i++)
        sb_printf(sb, " \"$O/%zu_gpu.o\"", i);
    sb_puts(sb, " \"$O/harness.o\" -lcriterion");
    for (size_t i = 0; i < ex->libs.n; i++)
        sb_printf(sb, " -l%s", ex->libs.v[i]); /* validated names */
    sb_puts(sb, " -lm || exit 1\n");
}

static void put_prologue(strbuf *sb, const exercise *ex, const char *dir,
                         const char *hw, const char *nvcc)
{
    sb_printf(sb,
              "# %s: the cuda build (grader/src/compile/build_cuda.c)\n"
              "set -u\nH=",
              ex->id);
    shell_put_quoted(sb, hw);
    sb_puts(sb, "\nO=");
    shell_put_quoted(sb, dir);
    sb_puts(sb, "/obj\nNVCC=");
    shell_put_quoted(sb, nvcc ? nvcc : "");
    /* cudasim-cc finds the simulator in $CUDASIM_BUILD, and keeps its
     * intermediate files in $TMPDIR */
    sb_printf(sb,
              "\nexport CUDASIM_BUILD=\"$H\" TMPDIR=\"$O\"\n"
              "rm -rf \"$O\" && mkdir -p \"$O\" || exit %d\n",
              EXIT_CANNOT_PREPARE);
}

static char *script_text(const graded_view *v, const exercise *ex,
                         const build_options *o, const build_inputs *in,
                         const char *dir, const char *hw, const char *nvcc)
{
    strlist student = {0}, tests = {0}, units = {0};
    compile_cuda_units(ex, &student, &tests);
    strlist_push_all(&units, (const char *const *)student.v);
    strlist_push_all(&units, (const char *const *)tests.v);
    strbuf sb = {0};
    put_prologue(&sb, ex, dir, hw, nvcc);
    /* The nvcc check (seconds) runs beside the simulator builds: two
     * cores are busy instead of one. A compile error of the simulator
     * build comes first; then nvcc's verdict. */
    if (nvcc) {
        sb_puts(&sb, "(\n");
        put_nvcc_check(&sb, in, &student);
        sb_puts(&sb, ") &\nNVPID=$!\n");
    } else {
        sb_puts(&sb, "NVPID=\n");
    }
    sb_puts(&sb, "fail() { [ -z \"$NVPID\" ] || kill $NVPID 2>/dev/null; "
                 "exit 1; }\n");
    for (program_id p = PROGRAM_TEST; p <= PROGRAM_RACE; p++) {
        if (p == PROGRAM_RACE && !ex->race_tier)
            continue;
        char *path = build_program_path(dir, ex, p);
        put_sim_build(&sb, ex, o, in, p, path, dir);
        free(path);
    }
    if (nvcc) {
        sb_puts(&sb, "wait $NVPID\n");
        sb_printf(&sb,
                  "if [ -e \"$O/nvcc.rejected\" ]; then\n"
                  "  cat \"$O/nvcc.rejected\" \"$O/nvcc.log\"\n"
                  "  exit %d\nfi\n",
                  EXIT_NVCC_REJECTED);
        if (hw_gpu_usable(v)) {
            char *gpu = build_program_path(dir, ex, PROGRAM_GPU);
            put_gpu_build(&sb, ex, in, &units, gpu);
            free(gpu);
        }
    }
    sb_puts(&sb, "exit 0\n");
    strlist_free(&student);
    strlist_free(&tests);
    strlist_free(&units);
    return sb_steal(&sb);
}

static int nvcc_note_shown;

/* Runs the script; 0 built, 1 the student's build error, -1 internal. */
static int run_script(const char *script, const char *dir, const char *hw,
                      int have_nvcc, strbuf *log, strbuf *err)
{
    char *tree = build_tree_path(dir);
    char *argv[] = {"/bin/sh", (char *)script, NULL};
    const char *const reads[] = {hw, NULL}; /* the simulator's build */
    const trusted_spec t = {argv, tree, CUDA_BUILD_LIMIT_S, dir, reads};
    sandbox_result res;
    int rc = trusted_run(&t, &res, err);
    free(tree);
    if (rc != 0)
        return -1;
    trusted_log(&res, "the build", CUDA_BUILD_LIMIT_S, log);
    if (res.exited && res.exit_code == EXIT_CANNOT_PREPARE) {
        sb_printf(err, "the cuda build script could not prepare %s", dir);
        rc = -1;
    } else {
        rc = trusted_ok(&res) ? 0 : 1;
    }
    if (rc == 0 && !have_nvcc)
        sb_puts(log, "note: no nvcc on this machine: the nvcc compile check "
                     "was skipped (no penalty)\n");
    sandbox_result_free(&res);
    return rc;
}

int build_cuda(const graded_view *v, const exercise *ex, const build_options *o,
               const build_inputs *in, const char *dir, strbuf *log,
               strbuf *err)
{
    const char *hw = hw_build_dir(v, err);
    if (hw == NULL)
        return -1;
    char *nvcc = hw_find_nvcc();
    if (nvcc == NULL && !nvcc_note_shown) {
        nvcc_note_shown = 1;
        fprintf(stderr, "grader: note: no nvcc here, so CUDA exercises are "
                        "checked in the simulator only (no penalty)\n");
    }
    char *gxx = find_program("g++");
    object_cache cache;
    object_cache_open(&cache, v->wb->state_dir, in, gxx ? gxx : "g++");
    const int usable = !object_cache_includes_student(&cache);
    int rc = 0;
    for (program_id p = PROGRAM_TEST; rc == 0 && p <= PROGRAM_RACE; p++)
        rc = fetch_units(&cache, ex, o, in, dir, hw, p, usable);
    char *text = rc == 0 ? script_text(v, ex, o, in, dir, hw, nvcc) : NULL;
    char *script = path_join(dir, "build.sh");
    if (rc != 0)
        sb_printf(err, "cannot prepare the objects in %s: %s", dir,
                  strerror(errno));
    rc = -1;
    if (text && file_write_atomic(script, text, strlen(text)) != 0)
        sb_printf(err, "cannot write %s: %s", script, strerror(errno));
    else if (text)
        rc = run_script(script, dir, hw, nvcc != NULL, log, err);
    for (program_id p = PROGRAM_TEST; rc >= 0 && usable && p <= PROGRAM_RACE;
         p++)
        store_units(&cache, ex, o, in, dir, hw, p);
    object_cache_close(&cache);
    free(gxx);
    free(text);
    free(script);
    free(nvcc);
    return rc;
}

char *build_cuda_nvcc_message(const char *log)
{
    if (log == NULL || strncmp(log, NVCC_MARK, strlen(NVCC_MARK)) != 0)
        return NULL;
    const char *nl = strchr(log, '\n');
    size_t fn = nl ? (size_t)(nl - log) - strlen(NVCC_MARK) : 0;
    const char *first = nl ? strstr(nl, "error") : NULL;
    strbuf sb = {0};
    sb_printf(&sb,
              "nvcc rejects %.*s, which the simulator accepted: code only the "
              "simulator takes is not CUDA and would not build for a GPU",
              (int)fn, log + strlen(NVCC_MARK));
    if (first) {
        const char *start = first;
        while (start > log && start[-1] != '\n')
            start--;
        const char *end = strchr(first, '\n');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        sb_printf(&sb, "; nvcc's first error: %.*s",
                  (int)(len > 400 ? 400 : len), start);
    }
    return sb_steal(&sb);
}

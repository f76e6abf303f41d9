/* build_cuda.c: see build_cuda.h.
 *
 * The recipe has a dozen steps (rewrite each file, compile it as C++, link
 * the simulator; again under ThreadSanitizer; nvcc), so it is written out as
 * a POSIX shell script in the build folder and run as one sandboxed
 * program, as the run user, like the C compiler is for kind c. Its exit
 * status says what happened: 0 built, 1 a compile error (the compiler's
 * words are its output), 4 nvcc rejected the student's file. */
#include "build_cuda.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "gpu_checks.h"
#include "sandbox.h"

enum { CUDA_BUILD_LIMIT_S = 300, EXIT_NVCC_REJECTED = 4 };

#define NVCC_MARK "nvcc rejects "

static const char *const SIM_FLAGS =
    "-std=c++17 -g -O2 -fno-omit-frame-pointer";
static const char *const TSAN_FLAGS =
    "-std=c++17 -g -O1 -fno-omit-frame-pointer -fsanitize=thread";
static const char *const WARN_FLAGS =
    "-Wall -Wextra -fdiagnostics-color=never -fmax-errors=20";
/* .cu files of the simulator build: instrumented for the simulator's
 * memory-traffic counters (hardware/cudasim/README.md, "Memory-traffic
 * counters"), which the performance tests of chapter 6 read;
 * -fno-tree-sra keeps a float4 copy one 16-byte access, as on a GPU. */
static const char *const COUNT_FLAGS =
    " -fsanitize=thread --param=tsan-instrument-func-entry-exit=0"
    " -fsanitize-coverage=trace-pc -fno-tree-sra";

/* s in single quotes for sh. */
static void put_quoted(strbuf *sb, const char *s)
{
    sb_puts(sb, "'");
    for (; *s; s++) {
        if (*s == '\'')
            sb_puts(sb, "'\\''");
        else
            sb_append(sb, s, 1);
    }
    sb_puts(sb, "'");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A file that is compiled: the student's .cu/.c/.cpp and the tests. */
static int compiled(const char *name)
{
    return ends_with(name, ".cu") || ends_with(name, ".c") ||
           ends_with(name, ".cpp");
}

char *build_cuda_race_binary(const char *dir, const exercise *ex)
{
    strbuf sb = {0};
    sb_printf(&sb, "%s/%s.race", dir, ex->id);
    return sb_steal(&sb);
}

char *build_cuda_gpu_binary(const char *dir, const exercise *ex)
{
    strbuf sb = {0};
    sb_printf(&sb, "%s/%s.gpu", dir, ex->id);
    return sb_steal(&sb);
}

/* One source of the exercise: its staged path and the object stem. */
typedef struct {
    char *path; /* exercises/ID/x.cu */
    char stem[32];
    int edited;
} unit;

static unit *collect_units(const exercise *ex, size_t *n)
{
    unit *u = calloc(ex->edit.n + ex->tests.n + 1, sizeof *u);
    if (u == NULL)
        exit(3);
    *n = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        const strlist *l = pass == 0 ? &ex->edit : &ex->tests;
        for (size_t i = 0; i < l->n; i++) {
            if (!compiled(l->v[i]))
                continue;
            strbuf p = {0};
            sb_printf(&p, "exercises/%s/%s", ex->id, l->v[i]);
            u[*n].path = sb_steal(&p);
            snprintf(u[*n].stem, sizeof u[*n].stem, "%c%zu",
                     pass == 0 ? 'e' : 't', i);
            u[*n].edited = pass == 0;
            (*n)++;
        }
    }
    return u;
}

static void free_units(unit *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(u[i].path);
    free(u);
}

/* -I flags: the exercise, its links, exercises/common (as for kind c). */
static void put_includes(strbuf *sb, const build_inputs *in)
{
    for (size_t i = 0; i < in->ninclude; i++) {
        sb_puts(sb, " -I");
        put_quoted(sb, in->include_dirs[i]);
    }
}

static void put_cflags(strbuf *sb, const exercise *ex)
{
    for (size_t i = 0; i < ex->cflags.n; i++) {
        sb_puts(sb, " ");
        put_quoted(sb, ex->cflags.v[i]);
    }
}

static void put_libs(strbuf *sb, const exercise *ex)
{
    for (size_t i = 0; i < ex->libs.n; i++)
        sb_printf(sb, " -l%s", ex->libs.v[i]); /* validated names */
}

/* Rewrite + compile every unit into $O/<stem><suffix>.o, then link. */
static void put_sim_build(strbuf *sb, const exercise *ex,
                          const build_options *o, const build_inputs *in,
                          const unit *u, size_t n, int tsan, const char *binary)
{
    const char *sfx = tsan ? "_tsan" : "";
    for (size_t i = 0; i < n; i++) {
        if (!tsan)
            sb_printf(sb, "\"$H/cudasim-rewrite\" %s \"$O/%s.cpp\" || fail\n",
                      u[i].path, u[i].stem);
        sb_printf(sb, "g++ %s%s %s%s%s -Ihardware/cudasim/include",
                  tsan ? TSAN_FLAGS : SIM_FLAGS,
                  !tsan && ends_with(u[i].path, ".cu") ? COUNT_FLAGS : "",
                  WARN_FLAGS, u[i].edited && o->werror ? " -Werror" : "",
                  tsan ? " -Ihardware/cudasim/race" : "");
        put_includes(sb, in);
        put_cflags(sb, ex);
        sb_printf(sb, " -c \"$O/%s.cpp\" -o \"$O/%s%s.o\" || fail\n", u[i].stem,
                  u[i].stem, sfx);
    }
    sb_printf(sb,
              "gcc -std=c17 -g %s%s -Iexercises/common -c "
              "exercises/common/llmlings_harness.c -o \"$O/harness%s.o\" "
              "|| fail\n",
              tsan ? "-O1 -fsanitize=thread -Ihardware/cudasim/race" : "-O2",
              "", sfx);
    if (tsan)
        sb_puts(sb, "gcc -std=c17 -g -O1 -fsanitize=thread "
                    "-Ihardware/cudasim/race -c "
                    "hardware/cudasim/race/race_runner.c -o "
                    "\"$O/race_runner.o\" || fail\n");
    sb_printf(sb, "g++ %s-o ", tsan ? "-fsanitize=thread " : "");
    put_quoted(sb, binary);
    for (size_t i = 0; i < n; i++)
        sb_printf(sb, " \"$O/%s%s.o\"", u[i].stem, sfx);
    sb_printf(sb, " \"$O/harness%s.o\"%s -L\"$H\" %s", sfx,
              tsan ? " \"$O/race_runner.o\"" : "",
              tsan ? "-lcudasim_tsan" : "-lcudasim -lcriterion");
    put_libs(sb, ex);
    sb_puts(sb, " -lm -lpthread || fail\n");
}

/* nvcc on every student .cu: rejected code is not CUDA, whatever the
 * simulator accepts. The real headers, not the simulator's. */
static void put_nvcc_check(strbuf *sb, const build_inputs *in, const unit *u,
                           size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!u[i].edited || !ends_with(u[i].path, ".cu"))
            continue;
        sb_puts(sb, "if ! \"$NVCC\" -std=c++17 -c -x cu");
        put_includes(sb, in);
        sb_printf(sb,
                  " %s -o \"$O/nvcc_check.o\" >\"$O/nvcc.log\" 2>&1; "
                  "then\n",
                  u[i].path);
        sb_printf(sb, "  echo '" NVCC_MARK "%s' >\"$O/nvcc.rejected\"\n",
                  u[i].path);
        sb_puts(sb, "  exit 0\nfi\n");
    }
}

/* The same sources built by nvcc for the GPU (as hardware/nvcc/run.sh). */
static void put_gpu_build(strbuf *sb, const exercise *ex,
                          const build_inputs *in, const unit *u, size_t n,
                          const char *binary)
{
    for (size_t i = 0; i < n; i++) {
        sb_puts(sb, "\"$NVCC\" -std=c++17 -g -O2 -x cu");
        put_includes(sb, in);
        put_cflags(sb, ex);
        sb_printf(sb, " -c %s -o \"$O/%s_gpu.o\" || exit 1\n", u[i].path,
                  u[i].stem);
    }
    sb_puts(sb, "\"$NVCC\" -o ");
    put_quoted(sb, binary);
    for (size_t i = 0; i < n; i++)
        sb_printf(sb, " \"$O/%s_gpu.o\"", u[i].stem);
    sb_puts(sb, " \"$O/harness.o\" -lcriterion");
    put_libs(sb, ex);
    sb_puts(sb, " -lm || exit 1\n");
}

static char *script_text(const workbook *wb, const exercise *ex,
                         const build_options *o, const build_inputs *in,
                         const char *dir, const char *hw, const char *nvcc)
{
    size_t n;
    unit *u = collect_units(ex, &n);
    char *binary = build_binary_path(dir, ex);
    char *race = build_cuda_race_binary(dir, ex);
    char *gpu = build_cuda_gpu_binary(dir, ex);
    strbuf sb = {0};
    sb_printf(&sb, "# %s: the cuda build (grader/src/build_cuda.c)\nset -u\n",
              ex->id);
    sb_puts(&sb, "H=");
    put_quoted(&sb, hw);
    sb_puts(&sb, "\nO=");
    put_quoted(&sb, dir);
    sb_puts(&sb, "/obj\nNVCC=");
    put_quoted(&sb, nvcc ? nvcc : "");
    sb_puts(&sb, "\nrm -rf \"$O\" && mkdir -p \"$O\" || exit 3\n");
    /* The nvcc check (seconds) runs beside the simulator builds: two
     * cores are busy instead of one. A compile error of the simulator
     * build comes first; then nvcc's verdict. */
    if (nvcc) {
        sb_puts(&sb, "(\n");
        put_nvcc_check(&sb, in, u, n);
        sb_puts(&sb, ") &\nNVPID=$!\n");
    } else {
        sb_puts(&sb, "NVPID=\n");
    }
    sb_puts(&sb, "fail() { [ -z \"$NVPID\" ] || kill $NVPID 2>/dev/null; "
                 "exit 1; }\n");
    put_sim_build(&sb, ex, o, in, u, n, 0, binary);
    if (ex->race_tier)
        put_sim_build(&sb, ex, o, in, u, n, 1, race);
    if (nvcc) {
        sb_puts(&sb, "wait $NVPID\n");
        sb_printf(&sb,
                  "if [ -e \"$O/nvcc.rejected\" ]; then\n"
                  "  cat \"$O/nvcc.rejected\" \"$O/nvcc.log\"\n"
                  "  exit %d\nfi\n",
                  EXIT_NVCC_REJECTED);
        if (hw_gpu_usable(wb))
            put_gpu_build(&sb, ex, in, u, n, gpu);
    }
    sb_puts(&sb, "exit 0\n");
    free(binary);
    free(race);
    free(gpu);
    free_units(u, n);
    return sb_steal(&sb);
}

static int nvcc_note_shown;

int build_cuda_compile(const workbook *wb, const exercise *ex,
                       const build_options *o, const build_inputs *in,
                       const char *dir, strbuf *log, strbuf *err)
{
    const char *hw = hw_build_dir(wb, err);
    if (hw == NULL)
        return -1;
    char *nvcc = hw_find_nvcc();
    if (nvcc == NULL && !nvcc_note_shown) {
        nvcc_note_shown = 1;
        fprintf(stderr, "grader: note: no nvcc here, so CUDA exercises are "
                        "checked in the simulator only (no penalty)\n");
    }
    char *race = build_cuda_race_binary(dir, ex);
    char *gpu = build_cuda_gpu_binary(dir, ex);
    unlink(race);
    unlink(gpu);
    char *text = script_text(wb, ex, o, in, dir, hw, nvcc);
    char *script = path_join(dir, "build.sh");
    char *tree = build_tree_path(dir);
    int rc = -1;
    if (file_write_atomic(script, text, strlen(text)) != 0) {
        sb_printf(err, "cannot write %s: %s", script, strerror(errno));
    } else {
        char *argv[] = {"/bin/sh", script, NULL};
        sandbox_result res;
        if (build_step(argv, tree, CUDA_BUILD_LIMIT_S, "the build", log, &res,
                       err) == 0) {
            if (res.exited && res.exit_code == 3) {
                sb_printf(err, "the cuda build script could not prepare %s",
                          dir);
                rc = -1;
            } else {
                rc = res.exited && res.exit_code == 0 ? 0 : 1;
            }
            if (rc == 0 && nvcc == NULL)
                sb_puts(log, "note: no nvcc on this machine: the nvcc "
                             "compile check was skipped (no penalty)\n");
            sandbox_result_free(&res);
        }
    }
    free(text);
    free(script);
    free(tree);
    free(race);
    free(gpu);
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

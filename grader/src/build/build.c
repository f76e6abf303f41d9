/* build.c: see build.h. */
#include "build/build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "build/build_cuda.h"
#include "sandbox/sandbox.h"

enum { MAX_INPUT_BYTES = 64 << 20, COMPILE_TIME_LIMIT_S = 120 };

static const char *const FLAGS_C[] = {"-std=c17",
                                      "-g",
                                      "-O1",
                                      "-fno-omit-frame-pointer",
                                      "-fsanitize=address,undefined",
                                      "-fno-sanitize-recover=all",
                                      NULL};
static const char *const FLAGS_C_PERF[] = {"-std=c17",      "-g",       "-O3",
                                           "-march=native", "-pthread", NULL};
/* OpenCL host programs: no sanitizers (not tried with PoCL's JIT threads
 * and the ICD loader; oclgrind, the opencl race tier, checks kernels). */
static const char *const FLAGS_OPENCL[] = {"-std=c17", "-g", "-O1",
                                           "-fno-omit-frame-pointer", NULL};
static const char *const FLAGS_COMMON[] = {
    "-Wall", "-Wextra", "-fdiagnostics-color=never", "-fmax-errors=20", NULL};

static const char *const *kind_flags(const char *kind)
{
    if (strcmp(kind, "c") == 0)
        return FLAGS_C;
    if (strcmp(kind, "c_perf") == 0)
        return FLAGS_C_PERF;
    if (strcmp(kind, "opencl") == 0)
        return FLAGS_OPENCL;
    return NULL;
}

static void push_input(build_inputs *in, char *src, char *dest, int edited)
{
    in->v = xreallocarray(in->v, in->n + 1, sizeof *in->v);
    in->v[in->n++] = (build_input){src, dest, edited};
}

static void push_str(char ***v, size_t *n, const char *s)
{
    *v = xreallocarray(*v, *n + 1, sizeof **v);
    (*v)[(*n)++] = xstrdup(s);
}

/* Adds every file below root/rel (recursively, skipping hidden entries and
 * caches) except the edited ones, which come from elsewhere. */
static int add_protected_tree(const char *root, const char *rel,
                              const strlist *edited_here, const char *ex_dir,
                              build_inputs *in)
{
    char *dir = path_join(root, rel);
    strlist names = {0};
    if (list_dir(dir, 0, &names) != 0) {
        free(dir);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        if (names.v[i][0] == '.' || strcmp(names.v[i], "__pycache__") == 0)
            continue;
        char *child_rel = path_join(rel, names.v[i]);
        char *child = path_join(root, child_rel);
        if (dir_exists(child)) {
            rc = add_protected_tree(root, child_rel, edited_here, ex_dir, in);
            free(child);
            free(child_rel);
            continue;
        }
        /* Edited files are identified relative to their exercise folder. */
        const char *within = child_rel + strlen(ex_dir) + 1;
        if (edited_here && strlist_has(edited_here, within)) {
            free(child);
            free(child_rel);
            continue;
        }
        push_input(in, child, child_rel, 0);
    }
    strlist_free(&names);
    free(dir);
    return rc;
}

static int add_exercise(const workbook *wb, const exercise *ex,
                        const build_options *o, build_inputs *in, int compile,
                        strbuf *err)
{
    strbuf rel = {0};
    sb_printf(&rel, "exercises/%s", ex->id);
    if (add_protected_tree(wb->root, sb_str(&rel), &ex->edit, sb_str(&rel),
                           in) != 0) {
        sb_printf(err, "cannot read the folder %s", sb_str(&rel));
        sb_free(&rel);
        return -1;
    }
    push_str(&in->include_dirs, &in->ninclude, sb_str(&rel));
    for (size_t i = 0; i < ex->edit.n; i++) {
        strbuf src = {0}, dest = {0};
        sb_printf(&src, "%s/%s/%s/%s", wb->root, o->edit_base, ex->id,
                  ex->edit.v[i]);
        sb_printf(&dest, "%s/%s", sb_str(&rel), ex->edit.v[i]);
        if (!file_exists(sb_str(&src))) {
            sb_printf(err, "%s/%s/%s is missing", o->edit_base, ex->id,
                      ex->edit.v[i]);
            sb_free(&src);
            sb_free(&dest);
            sb_free(&rel);
            return -1;
        }
        const char *dot = strrchr(ex->edit.v[i], '.');
        if (dot && strcmp(dot, ".c") == 0)
            push_str(&in->sources, &in->nsources, sb_str(&dest));
        push_input(in, sb_steal(&src), sb_steal(&dest), 1);
    }
    if (compile)
        for (size_t i = 0; i < ex->tests.n; i++) {
            strbuf dest = {0};
            sb_printf(&dest, "%s/%s", sb_str(&rel), ex->tests.v[i]);
            push_str(&in->sources, &in->nsources, sb_str(&dest));
            sb_free(&dest);
        }
    sb_free(&rel);
    return 0;
}

/* Linked exercises in manifest order, each once, including links of links. */
static void collect_links(const workbook *wb, const exercise *ex, int *want)
{
    for (size_t i = 0; i < ex->links.n; i++) {
        const exercise *l = manifest_find(&wb->m, ex->links.v[i]);
        if (l == NULL || want[l - wb->m.ex])
            continue;
        want[l - wb->m.ex] = 1;
        collect_links(wb, l, want);
    }
}

int build_collect(const workbook *wb, const exercise *ex,
                  const build_options *o, build_inputs *in, strbuf *err)
{
    memset(in, 0, sizeof *in);
    if (add_exercise(wb, ex, o, in, 1, err) != 0)
        return -1;
    int *want = xcalloc(wb->m.n, sizeof *want);
    collect_links(wb, ex, want);
    for (size_t i = 0; i < wb->m.n; i++)
        if (want[i] && add_exercise(wb, &wb->m.ex[i], o, in, 0, err) != 0) {
            free(want);
            return -1;
        }
    free(want);
    if (add_protected_tree(wb->root, "exercises/common", NULL,
                           "exercises/common", in) != 0) {
        sb_puts(err, "cannot read exercises/common");
        return -1;
    }
    push_str(&in->include_dirs, &in->ninclude, "exercises/common");
    push_str(&in->sources, &in->nsources,
             "exercises/common/llmlings_harness.c");
    /* cuda: the simulator's headers and race-tier shim are staged (the run
     * user compiles against them) and, with its runtime, hashed. */
    static const char *const sim_parts[] = {"hardware/cudasim/include",
                                            "hardware/cudasim/race",
                                            "hardware/cudasim/src"};
    for (size_t i = 0; strcmp(ex->kind, "cuda") == 0 && i < 3; i++)
        if (add_protected_tree(wb->root, sim_parts[i], NULL, sim_parts[i],
                               in) != 0) {
            sb_printf(err, "cannot read %s", sim_parts[i]);
            return -1;
        }
    return 0;
}

void build_inputs_free(build_inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        free(in->v[i].src);
        free(in->v[i].dest);
    }
    free(in->v);
    for (size_t i = 0; i < in->ninclude; i++)
        free(in->include_dirs[i]);
    free(in->include_dirs);
    for (size_t i = 0; i < in->nsources; i++)
        free(in->sources[i]);
    free(in->sources);
    memset(in, 0, sizeof *in);
}

static int cmp_inputs(const void *a, const void *b)
{
    return strcmp(((const build_input *)a)->dest,
                  ((const build_input *)b)->dest);
}

void build_hash(const workbook *wb, const exercise *ex, const build_options *o,
                const build_inputs *in, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, wb->grader_id, 64);
    sha256_update(&c, ex->entry_json, strlen(ex->entry_json) + 1);
    sha256_update(&c, o->werror ? "W1" : "W0", 2);
    build_input *sorted = xcalloc(in->n, sizeof *sorted);
    memcpy(sorted, in->v, in->n * sizeof *sorted);
    qsort(sorted, in->n, sizeof *sorted, cmp_inputs);
    for (size_t i = 0; i < in->n; i++) {
        char *data = NULL;
        size_t len = 0;
        sha256_update(&c, sorted[i].dest, strlen(sorted[i].dest) + 1);
        if (file_read(sorted[i].src, &data, &len, MAX_INPUT_BYTES) == 0) {
            sha256_update(&c, &len, sizeof len);
            sha256_update(&c, data, len);
            free(data);
        } else {
            sha256_update(&c, "(unreadable)", 12);
        }
    }
    free(sorted);
    sha256_final_hex(&c, hex);
}

char *build_tree_path(const char *dir)
{
    return path_join(dir, "tree");
}

char *build_binary_path(const char *dir, const exercise *ex)
{
    strbuf sb = {0};
    sb_printf(&sb, "%s/%s.test", dir, ex->id);
    return sb_steal(&sb);
}

/* Copies every input into tree/, readable by the run user. */
static int stage(const build_inputs *in, const char *tree, strbuf *err)
{
    if (remove_tree(tree) != 0 || mkdir_p(tree, 0755) != 0) {
        sb_printf(err, "cannot prepare %s: %s", tree, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < in->n; i++) {
        char *data = NULL;
        size_t len = 0;
        char *dest = path_join(tree, in->v[i].dest);
        char *slash = strrchr(dest, '/');
        *slash = '\0';
        int ok = mkdir_p(dest, 0755) == 0;
        *slash = '/';
        ok = ok && file_read(in->v[i].src, &data, &len, MAX_INPUT_BYTES) == 0 &&
             file_write_atomic(dest, data, len) == 0;
        free(data);
        free(dest);
        if (!ok) {
            sb_printf(err, "cannot stage %s: %s", in->v[i].dest,
                      strerror(errno));
            return -1;
        }
    }
    return 0;
}

static void push_arg(char ***argv, size_t *n, const char *s)
{
    push_str(argv, n, s);
}

char **build_compile_argv(const char *cc, const exercise *ex,
                          const build_options *o, const build_inputs *in,
                          const char *binary)
{
    char **argv = NULL;
    size_t n = 0;
    if (kind_flags(ex->kind) == NULL)
        return NULL;
    push_arg(&argv, &n, cc);
    for (const char *const *f = kind_flags(ex->kind); *f; f++)
        push_arg(&argv, &n, *f);
    for (const char *const *f = FLAGS_COMMON; *f; f++)
        push_arg(&argv, &n, *f);
    if (o->werror)
        push_arg(&argv, &n, "-Werror");
    for (size_t i = 0; i < ex->cflags.n; i++)
        push_arg(&argv, &n, ex->cflags.v[i]);
    for (size_t i = 0; i < in->ninclude; i++) {
        strbuf inc = {0};
        sb_printf(&inc, "-I%s", in->include_dirs[i]);
        push_arg(&argv, &n, sb_str(&inc));
        sb_free(&inc);
    }
    for (size_t i = 0; i < in->nsources; i++)
        push_arg(&argv, &n, in->sources[i]);
    push_arg(&argv, &n, "-o");
    push_arg(&argv, &n, binary);
    push_arg(&argv, &n, "-lcriterion");
    for (size_t i = 0; i < ex->libs.n; i++) {
        strbuf lib = {0};
        sb_printf(&lib, "-l%s", ex->libs.v[i]);
        push_arg(&argv, &n, sb_str(&lib));
        sb_free(&lib);
    }
    if (strcmp(ex->kind, "opencl") == 0)
        push_arg(&argv, &n, "-lOpenCL");
    push_arg(&argv, &n, "-lm");
    char **end = xreallocarray(argv, n + 1, sizeof *argv);
    end[n] = NULL;
    return end;
}

static void free_argv(char **argv)
{
    for (char **a = argv; a && *a; a++)
        free(*a);
    free(argv);
}

int build_step(char **argv, const char *cwd, int limit_s, const char *who,
               strbuf *log, sandbox_result *res, strbuf *err)
{
    char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                          "LC_ALL=C.UTF-8", "TMPDIR=/tmp", NULL};
    sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = cwd,
        .wall_limit_s = limit_s,
        .cpu_limit_s = limit_s,
        .memory_limit_mb = 4096,
        .file_size_limit_mb = 512,
        .max_processes = 64,
        .output_cap = 64 * 1024,
    };
    if (sandbox_run(&spec, res, err) != 0)
        return -1;
    sb_append(log, res->out, res->out_len);
    sb_append(log, res->err, res->err_len);
    if (res->timed_out)
        sb_printf(log, "\n%s did not finish within %d s\n", who, limit_s);
    else if (res->memory_exceeded)
        sb_printf(log, "\n%s ran out of its memory limit\n", who);
    else if (res->signaled)
        sb_printf(log, "\n%s was killed by signal %d\n", who, res->term_signal);
    else if (res->exit_code != 0 && res->err_len + res->out_len == 0)
        sb_printf(log, "\n%s exited with status %d and said nothing\n", who,
                  res->exit_code);
    return 0;
}

int build_run(const workbook *wb, const exercise *ex, const build_options *o,
              const build_inputs *in, const char *dir, strbuf *log, strbuf *err)
{
    int cuda = strcmp(ex->kind, "cuda") == 0;
    if (!cuda && kind_flags(ex->kind) == NULL) {
        sb_printf(log, "this grader cannot build exercises of kind \"%s\" yet",
                  ex->kind);
        return 1;
    }
    char *cc = find_program("gcc");
    if (cc == NULL) {
        sb_puts(err, "gcc not found on PATH (run `make setup`)");
        return -1;
    }
    char *tree = build_tree_path(dir);
    char *binary = build_binary_path(dir, ex);
    unlink(binary);
    int rc = stage(in, tree, err);
    if (rc == 0 && geteuid() == 0 &&
        (chown(dir, sandbox_run_uid(), sandbox_run_gid()) != 0)) {
        sb_printf(err, "cannot hand %s to the run user: %s", dir,
                  strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        free(cc);
        free(tree);
        free(binary);
        return -1;
    }
    if (cuda) {
        rc = build_cuda_compile(wb, ex, o, in, dir, log, err);
        free(cc);
        free(tree);
        free(binary);
        return rc;
    }
    char **argv = build_compile_argv(cc, ex, o, in, binary);
    sandbox_result res;
    rc = build_step(argv, tree, COMPILE_TIME_LIMIT_S, "the compiler", log, &res,
                    err);
    if (rc == 0) {
        rc = (res.exited && res.exit_code == 0 && file_exists(binary)) ? 0 : 1;
        sandbox_result_free(&res);
    } else {
        rc = -1;
    }
    free_argv(argv);
    free(cc);
    free(tree);
    free(binary);
    return rc;
}

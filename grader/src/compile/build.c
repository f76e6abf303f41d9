/* build.c: see build.h. */
#include "compile/build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/text.h"
#include "compile/build_cuda.h"
#include "compile/compile.h"
#include "compile/folder.h"
#include "compile/object_cache.h"
#include "compile/shell.h"
#include "compile/tamper.h"
#include "sandbox/trusted.h"

static const double COMPILE_TIME_LIMIT_S = 120;
/* Compilers the build script runs at once (a batch waits for the last). */
enum { UNITS_AT_ONCE = 4 };

/* One unit of the gcc recipe: a source, its object, and whether the
 * object comes from the cache (hit) or is compiled now to be stored
 * (key set, trusted). */
typedef struct {
    const char *source;
    char *object;
    char *depfile;
    int trusted, hit;
    int inspection; /* the object tamper.c inspects, not one to link */
    char key[65];
} gcc_unit;

/* mkdir -p of the folder holding path, each new level handed to the run
 * user (the compilers write there). */
static int make_parent(const char *base, const char *path)
{
    char *dir = xstrdup(path);
    *strrchr(dir, '/') = '\0';
    int rc = mkdir_p(dir, 0755);
    for (char *p = dir + strlen(base); rc == 0 && *p;) {
        char *slash = strchr(p + 1, '/');
        if (slash)
            *slash = '\0';
        if (geteuid() == 0)
            rc = chown(dir, sandbox_run_uid(), sandbox_run_gid());
        if (slash == NULL)
            break;
        *slash = '/';
        p = slash;
    }
    free(dir);
    return rc;
}

/* The ld gcc links with: gold when it is there (several times faster than
 * ld.bfd on sanitizer builds), else gcc's default. */
static const char *fast_linker(void)
{
    static int known, gold;
    if (!known) {
        char *path = find_program("ld.gold");
        gold = path != NULL;
        free(path);
        known = 1;
    }
    return gold ? "gold" : NULL;
}

/* Appends the script's lines for one batch of units: each compiler in the
 * background with its words in <object>.log, then, in order, each one
 * waited for and its words printed (so messages never interleave). */
static void put_batch(strbuf *sb, const exercise *ex, const build_options *o,
                      const build_inputs *in, const char *cc, gcc_unit *u,
                      size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (u[i].hit)
            continue;
        compile_request r = {.purpose = u[i].inspection ? COMPILE_OBJECT
                                                        : COMPILE_UNIT,
                             .cc = cc,
                             .source = u[i].source,
                             .output = u[i].object};
        strlist argv = {0};
        (void)compile_command(ex, o, in, &r, &argv);
        if (u[i].trusted) {
            strlist_push(&argv, "-MMD");
            strlist_push(&argv, "-MF");
            strlist_push(&argv, u[i].depfile);
        }
        strbuf redirect = {0};
        sb_puts(&redirect, " >");
        shell_put_quoted(&redirect, u[i].depfile);
        sb_puts(&redirect, ".log 2>&1 &");
        shell_put_command(sb, &argv, sb_str(&redirect));
        sb_printf(sb, "p%zu=$!\n", i);
        sb_free(&redirect);
        strlist_free(&argv);
    }
    for (size_t i = 0; i < n; i++) {
        if (u[i].hit)
            continue;
        if (u[i].inspection) { /* tamper.c compiles again and says why */
            sb_printf(sb, "wait \"$p%zu\"\n", i);
            continue;
        }
        sb_printf(sb, "wait \"$p%zu\" || fail=1\ncat ", i);
        shell_put_quoted(sb, u[i].depfile);
        sb_puts(sb, ".log\n");
    }
}

/* The build script: every unit not in the cache compiled (UNITS_AT_ONCE
 * at a time), then, when all compiled, the link. Exit 0 built, 1 a
 * compile or link error. */
static void put_script(strbuf *sb, const exercise *ex, const build_options *o,
                       const build_inputs *in, const char *cc, gcc_unit *u,
                       size_t n, const char *dir, const char *program)
{
    sb_puts(sb, "fail=0\n");
    if (ex->kind->inspected) { /* for tamper.c, beside the compilers */
        char *dirs = tamper_search_dirs_path(dir);
        strlist argv = {0};
        strlist_push(&argv, cc);
        strlist_push(&argv, "-print-search-dirs");
        strbuf redirect = {0};
        sb_puts(&redirect, " >");
        shell_put_quoted(&redirect, dirs);
        sb_puts(&redirect, " 2>/dev/null"); /* a few milliseconds */
        shell_put_command(sb, &argv, sb_str(&redirect));
        sb_free(&redirect);
        strlist_free(&argv);
        free(dirs);
    }
    for (size_t at = 0; at < n; at += UNITS_AT_ONCE)
        put_batch(sb, ex, o, in, cc, u + at,
                  n - at < UNITS_AT_ONCE ? n - at : UNITS_AT_ONCE);
    sb_puts(sb, "[ \"$fail\" = 0 ] || exit 1\n");
    strlist objects = {0};
    for (size_t i = 0; i < n; i++)
        if (!u[i].inspection)
            strlist_push(&objects, u[i].object);
    compile_request link = {.purpose = COMPILE_LINK,
                            .cc = cc,
                            .output = program,
                            .objects = &objects,
                            .linker = fast_linker()};
    strlist argv = {0};
    (void)compile_command(ex, o, in, &link, &argv);
    shell_put_command(sb, &argv, " 2>&1 || exit 1");
    strlist_free(&argv);
    strlist_free(&objects);
}

/* The inspection objects of the student's C files, compiled with the
 * units (several at once) where tamper.c looks for them
 * (tamper_object_path). Returns how many were added from u[at] on. */
static size_t plan_inspection(const exercise *ex, const build_inputs *in,
                              const char *dir, gcc_unit *u, size_t at)
{
    size_t added = 0;
    if (!ex->kind->inspected)
        return 0;
    for (size_t i = 0; i < in->n; i++) {
        if (!in->v[i].edited || !ends_with(in->v[i].dest, ".c"))
            continue;
        gcc_unit *x = &u[at + added++];
        x->source = in->v[i].dest;
        x->object = tamper_object_path(dir, i);
        x->depfile = xasprintf("%s.d", x->object);
        x->inspection = 1;
    }
    return added;
}

/* Names each unit's object below objdir, fetches the cached ones. */
static int plan_units(const build_inputs *in, const object_cache *cache,
                      const exercise *ex, const build_options *o,
                      const char *cc, const char *objdir, gcc_unit *u,
                      strbuf *err)
{
    for (size_t i = 0; i < in->sources.n; i++) {
        u[i].source = in->sources.v[i];
        u[i].object = xasprintf("%s/%.*s.o", objdir,
                                (int)(strrchr(u[i].source, '.') - u[i].source),
                                u[i].source);
        u[i].depfile = xasprintf("%s.d", u[i].object);
        if (make_parent(objdir, u[i].object) != 0) {
            sb_printf(err, "cannot prepare %s: %s", objdir, strerror(errno));
            return -1;
        }
        u[i].trusted = object_cache_trusted(cache, u[i].source);
        if (!u[i].trusted)
            continue;
        compile_request r = {.purpose = COMPILE_UNIT,
                             .cc = cc,
                             .source = u[i].source,
                             .output = u[i].object};
        strlist argv = {0};
        (void)compile_command(ex, o, in, &r, &argv);
        object_cache_key(cache, &argv, u[i].object, u[i].key);
        strlist_free(&argv);
        u[i].hit = object_cache_fetch(cache, u[i].key, u[i].object);
    }
    return 0;
}

/* Keeps the objects of the protected units compiled now. */
static void store_units(const object_cache *cache, const gcc_unit *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!u[i].trusted || u[i].hit || !file_exists(u[i].object))
            continue;
        char *log = xasprintf("%s.log", u[i].depfile);
        char *words = NULL;
        /* a unit that said nothing compiled cleanly: one that warned
         * keeps being compiled, so its warnings are never lost */
        if (file_read(log, &words, NULL, 1 << 20) == 0 && words[0] == '\0')
            object_cache_store(cache, u[i].key, u[i].object, u[i].depfile);
        free(words);
        free(log);
    }
}

/* The gcc recipe, as the run user in the staged tree: each unit compiled
 * on its own (those the student cannot change come from the object cache
 * when they are there), several at once, then linked. One sandboxed shell
 * script runs it all. */
static int build_with_gcc(const graded_view *v, const exercise *ex,
                          const build_options *o, const build_inputs *in,
                          const char *dir, strbuf *log, strbuf *err)
{
    char *cc = find_program("gcc");
    char *sh = find_program("sh");
    if (cc == NULL || sh == NULL) {
        sb_puts(err, cc ? "sh not found on PATH"
                        : "gcc not found on PATH (run `make setup`)");
        free(cc);
        free(sh);
        return -1;
    }
    char *tree = build_tree_path(dir);
    char *program = build_program_path(dir, ex, PROGRAM_TEST);
    char *objdir = path_join(dir, "obj");
    char *script_path = path_join(dir, "build.sh");
    object_cache cache;
    object_cache_open(&cache, v->wb->state_dir, in, cc);
    gcc_unit *u = xcalloc(in->sources.n + in->n + 1, sizeof *u);
    strbuf script = {0};
    int rc = remove_tree(objdir) == 0 && mkdir_p(objdir, 0755) == 0 &&
                     (geteuid() != 0 || chown(objdir, sandbox_run_uid(),
                                              sandbox_run_gid()) == 0) &&
                     tamper_prepare(dir, err) == 0
                 ? plan_units(in, &cache, ex, o, cc, objdir, u, err)
                 : -1;
    const size_t n =
        in->sources.n + plan_inspection(ex, in, dir, u, in->sources.n);
    if (rc == 0) {
        put_script(&script, ex, o, in, cc, u, n, dir, program);
        rc = file_write_atomic(script_path, script.data, script.len);
    }
    if (rc != 0 && err->len == 0)
        sb_printf(err, "cannot prepare %s: %s", objdir, strerror(errno));
    if (rc == 0) {
        char *argv[] = {sh, script_path, NULL};
        sandbox_result res;
        const trusted_spec t = {argv, tree, COMPILE_TIME_LIMIT_S, dir,
                                TRUSTED_READS_NOTHING};
        rc = trusted_run(&t, &res, err);
        if (rc == 0) {
            size_t from = log->len;
            trusted_log(&res, "the compiler", COMPILE_TIME_LIMIT_S, log);
            /* objects are named as their sources are (linker messages) */
            char *prefix = xasprintf("%s/", objdir);
            if (log->data && log->len > from)
                remove_all(log->data + from, prefix);
            log->len = log->data ? strlen(log->data) : 0;
            free(prefix);
            rc = trusted_ok(&res) && file_exists(program) ? 0 : 1;
            sandbox_result_free(&res);
            store_units(&cache, u, n);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(u[i].object);
        free(u[i].depfile);
    }
    free(u);
    sb_free(&script);
    object_cache_close(&cache);
    free(script_path);
    free(objdir);
    free(cc);
    free(sh);
    free(tree);
    free(program);
    return rc;
}

int build_run(const graded_view *v, const exercise *ex, const build_options *o,
              const build_inputs *in, const char *dir, strbuf *log, strbuf *err)
{
    char *tree = build_tree_path(dir);
    for (program_id p = PROGRAM_TEST; p <= PROGRAM_GPU; p++) {
        char *program = build_program_path(dir, ex, p);
        unlink(program);
        free(program);
    }
    int rc = build_stage(in, tree, err);
    free(tree);
    if (rc == 0 && geteuid() == 0 &&
        chown(dir, sandbox_run_uid(), sandbox_run_gid()) != 0) {
        sb_printf(err, "cannot hand %s to the run user: %s", dir,
                  strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        return -1;
    switch (ex->kind->recipe) {
    case RECIPE_GCC: return build_with_gcc(v, ex, o, in, dir, log, err);
    case RECIPE_CUDASIM: return build_cuda(v, ex, o, in, dir, log, err);
    }
    return -1;
}

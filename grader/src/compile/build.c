/* build.c: see build.h. */
#include "compile/build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "compile/build_cuda.h"
#include "compile/compile.h"
#include "compile/folder.h"
#include "sandbox/trusted.h"

static const double COMPILE_TIME_LIMIT_S = 120;

/* One gcc command, as the run user, in the staged tree. */
static int build_with_gcc(const exercise *ex, const build_options *o,
                          const build_inputs *in, const char *dir, strbuf *log,
                          strbuf *err)
{
    char *cc = find_program("gcc");
    if (cc == NULL) {
        sb_puts(err, "gcc not found on PATH (run `make setup`)");
        return -1;
    }
    char *tree = build_tree_path(dir);
    char *program = build_program_path(dir, ex, PROGRAM_TEST);
    compile_request r = {.purpose = COMPILE_PROGRAM,
                         .program = PROGRAM_TEST,
                         .cc = cc,
                         .output = program};
    strlist argv = {0};
    (void)compile_command(ex, o, in, &r, &argv);
    sandbox_result res;
    const trusted_spec t = {argv.v, tree, COMPILE_TIME_LIMIT_S, dir,
                            TRUSTED_READS_NOTHING};
    int rc = trusted_run(&t, &res, err);
    if (rc == 0) {
        trusted_log(&res, "the compiler", COMPILE_TIME_LIMIT_S, log);
        rc = trusted_ok(&res) && file_exists(program) ? 0 : 1;
        sandbox_result_free(&res);
    }
    strlist_free(&argv);
    free(cc);
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
    case RECIPE_GCC: return build_with_gcc(ex, o, in, dir, log, err);
    case RECIPE_CUDASIM: return build_cuda(v, ex, o, in, dir, log, err);
    }
    return -1;
}

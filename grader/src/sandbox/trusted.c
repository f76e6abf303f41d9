/* trusted.c: see trusted.h. */
#include "sandbox/trusted.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    TOOL_MEMORY_MB = 4096,
    TOOL_FILE_SIZE_MB = 512,
    TOOL_PROCESSES = 64,
    TOOL_OUTPUT_CAP = 64 * 1024,
};

const char *const TRUSTED_READS_NOTHING[] = {NULL};

int trusted_run(const trusted_spec *t, sandbox_result *res, strbuf *err)
{
    /* compilers write temporary files: in the tool's own folder */
    char tmpdir[4200] = "TMPDIR=/tmp";
    if (t->writable) {
        snprintf(tmpdir, sizeof tmpdir, "TMPDIR=%s/.tmp", t->writable);
        (void)mkdir(tmpdir + 7, 0700);
        if (geteuid() == 0)
            (void)!chown(tmpdir + 7, sandbox_run_uid(), sandbox_run_gid());
    }
    char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                          "LC_ALL=C.UTF-8", tmpdir, NULL};
    const sandbox_spec spec = {
        .argv = t->argv,
        .envp = envp,
        .cwd = t->cwd,
        .wall_limit_s = t->limit_s,
        .cpu_limit_s = 2 * t->limit_s,
        .memory_limit_mb = TOOL_MEMORY_MB,
        .file_size_limit_mb = TOOL_FILE_SIZE_MB,
        .max_processes = TOOL_PROCESSES,
        .output_cap = TOOL_OUTPUT_CAP,
        .writable_dir = t->writable,
        .readable = t->readable,
    };
    return sandbox_run(&spec, res, err);
}

int trusted_ok(const sandbox_result *res)
{
    return res->exited && res->exit_code == 0;
}

void trusted_log(const sandbox_result *res, const char *who, double limit_s,
                 strbuf *log)
{
    sb_append(log, res->out, res->out_len);
    sb_append(log, res->err, res->err_len);
    if (res->timed_out)
        sb_printf(log, "\n%s did not finish within %g s\n", who, limit_s);
    else if (res->memory_exceeded)
        sb_printf(log, "\n%s ran out of its memory limit\n", who);
    else if (res->signaled)
        sb_printf(log, "\n%s was killed by signal %d\n", who, res->term_signal);
    else if (res->exit_code != 0 && res->err_len + res->out_len == 0)
        sb_printf(log, "\n%s exited with status %d and said nothing\n", who,
                  res->exit_code);
}

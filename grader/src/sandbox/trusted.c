/* trusted.c: see trusted.h. */
#include "sandbox/trusted.h"

enum {
    TOOL_MEMORY_MB = 4096,
    TOOL_FILE_SIZE_MB = 512,
    TOOL_PROCESSES = 64,
    TOOL_OUTPUT_CAP = 64 * 1024,
};

int trusted_run(char *const *argv, const char *cwd, double limit_s,
                sandbox_result *res, strbuf *err)
{
    char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                          "LC_ALL=C.UTF-8", "TMPDIR=/tmp", NULL};
    const sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = cwd,
        .wall_limit_s = limit_s,
        .cpu_limit_s = 2 * limit_s,
        .memory_limit_mb = TOOL_MEMORY_MB,
        .file_size_limit_mb = TOOL_FILE_SIZE_MB,
        .max_processes = TOOL_PROCESSES,
        .output_cap = TOOL_OUTPUT_CAP,
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

/* Unit tests for the sandbox's pid path (sandbox_spec.pid_path_fmt): a
 * stale file named after the program's pid is removed before the start,
 * and one that cannot be removed makes the run start over under a new pid
 * (Criterion aborted when /tmp/criterion_PID.sock belonged to another
 * user). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "sandbox/sandbox.h"

enum {
    AHEAD = 4
}; /* process ids occupied ahead of the run (the sandbox tries 8) */

static char dir[64];

static void setup(void)
{
    strbuf err = {0};
    cr_assert_eq(sandbox_init(&err), 0, "sandbox_init: %s", sb_str(&err));
    sb_free(&err);
    strcpy(dir, "/tmp/llmlings-sandbox-test.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* The last process id the kernel handed out. */
static int last_pid(void)
{
    FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "r");
    cr_assert_not_null(f, "cannot read /proc/sys/kernel/ns_last_pid");
    int pid = 0;
    cr_assert_eq(fscanf(f, "%d", &pid), 1);
    fclose(f);
    return pid;
}

static void pid_path(char *out, size_t cap, int pid)
{
    snprintf(out, cap, "%s/p_%d", dir, pid);
}

/* Puts a directory (unlink() cannot remove one, not even as root) or a
 * regular file at the paths of the next AHEAD process ids. */
static void occupy_next_pids(int as_directory)
{
    const int from = last_pid() + 1;
    for (int pid = from; pid < from + AHEAD; pid++) {
        char path[128];
        pid_path(path, sizeof path, pid);
        if (as_directory) {
            cr_assert_eq(mkdir(path, 0700), 0);
        } else {
            FILE *f = fopen(path, "w");
            cr_assert_not_null(f);
            fclose(f);
        }
    }
}

static void run_true(sandbox_result *res)
{
    char fmt[96];
    snprintf(fmt, sizeof fmt, "%s/p_%%d", dir);
    char *argv[] = {"/bin/true", NULL};
    char *envp[] = {"PATH=/usr/bin:/bin", NULL};
    const sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = dir,
        .wall_limit_s = 10,
        .cpu_limit_s = 10,
        .output_cap = 4096,
        .pid_path_fmt = fmt,
    };
    strbuf err = {0};
    cr_assert_eq(sandbox_run(&spec, res, &err), 0, "sandbox_run: %s",
                 sb_str(&err));
    sb_free(&err);
}

Test(sandbox, taken_pid_path_means_a_new_pid, .init = setup, .fini = teardown)
{
    occupy_next_pids(1);
    sandbox_result res;
    run_true(&res);
    cr_expect(res.exited && res.exit_code == 0,
              "expected /bin/true to run and exit 0, got exited=%d code=%d "
              "stderr '%s'",
              res.exited, res.exit_code, res.err ? res.err : "");
    char path[128];
    struct stat st;
    pid_path(path, sizeof path, (int)res.pid);
    cr_expect(stat(path, &st) != 0,
              "the program ran as pid %d, whose path %s was taken",
              (int)res.pid, path);
    sandbox_result_free(&res);
}

Test(sandbox, stale_pid_file_is_removed, .init = setup, .fini = teardown)
{
    occupy_next_pids(0);
    sandbox_result res;
    run_true(&res);
    cr_expect(res.exited && res.exit_code == 0,
              "expected /bin/true to run and exit 0, got exited=%d code=%d",
              res.exited, res.exit_code);
    char path[128];
    struct stat st;
    pid_path(path, sizeof path, (int)res.pid);
    cr_expect(stat(path, &st) != 0,
              "the stale file %s of the program's pid is still there", path);
    sandbox_result_free(&res);
}

/* Limit arithmetic (issue 30): 2^31 MB and more once shifted a negative
 * int left (and the limit silently stopped applying); 1e300 s and NaN
 * overflowed the conversion to rlim_t. */
Test(sandbox_limits, arithmetic_never_overflows)
{
    cr_assert_eq(sandbox_mb_bytes(1), 1ull << 20);
    cr_assert_eq(sandbox_mb_bytes(65536), 65536ull << 20);
    cr_assert_eq(sandbox_mb_bytes(2147483648L),
                 (unsigned long long)SANDBOX_MAX_MB << 20);
    cr_assert_eq(sandbox_mb_bytes(-5), 0);
    cr_assert_eq(sandbox_mb_bytes(0), 0);
    cr_assert_float_eq(sandbox_seconds(2.5), 2.5, 1e-12);
    cr_assert_float_eq(sandbox_seconds(1e300), SANDBOX_MAX_SECONDS, 1e-9);
    cr_assert_float_eq(sandbox_seconds(0.0 / 0.0), SANDBOX_MAX_SECONDS, 1e-9);
    cr_assert_float_eq(sandbox_seconds(-3), 0, 1e-12);
}

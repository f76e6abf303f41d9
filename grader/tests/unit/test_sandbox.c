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

/* ---- the report channel (sandbox_spec.report_fd) ------------------------- */

/* Runs `sh -c script` with a report channel at descriptor 3. */
static void run_reporting(const char *script, double wait_s,
                          sandbox_result *res)
{
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    char *envp[] = {"PATH=/usr/bin:/bin", NULL};
    const sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = dir,
        .wall_limit_s = 10,
        .cpu_limit_s = 10,
        .output_cap = 4096,
        .max_processes = 8,
        .report_fd = 3,
        .report_cap = 64,
        .report_wait_s = wait_s,
    };
    strbuf err = {0};
    cr_assert_eq(sandbox_run(&spec, res, &err), 0, "sandbox_run: %s",
                 sb_str(&err));
    sb_free(&err);
}

/* A helper that reports after the program is gone (as the CUDA
 * simulator's device process does) is waited for, and is no leftover. */
Test(sandbox_report, a_writer_outliving_the_program_is_read, .init = setup,
     .fini = teardown)
{
    sandbox_result res;
    run_reporting("(sleep 0.3; echo '{\"report\": 1}' >&3) & exec 3>&-", 3,
                  &res);
    cr_assert(res.exited && res.exit_code == 0, "stderr: %s", res.err);
    cr_assert_str_eq(res.report, "{\"report\": 1}\n");
    cr_assert_eq(res.report_total, 14);
    cr_assert(res.report_closed);
    cr_assert_eq(res.leftovers, 0);
    sandbox_result_free(&res);
}

/* Only descriptors 0-3 reach the program: nothing else of the grader's. */
Test(sandbox_report, only_the_channel_is_passed, .init = setup,
     .fini = teardown)
{
    sandbox_result res;
    run_reporting("cd /proc/self/fd && echo * >&3", 1, &res);
    /* the shell's glob opens the folder itself (one more descriptor) */
    cr_assert(strncmp(res.report, "0 1 2 3", 7) == 0, "descriptors: %s",
              res.report);
    cr_assert(strlen(res.report) <= strlen("0 1 2 3 4\n"), "descriptors: %s",
              res.report);
    sandbox_result_free(&res);
}

/* A writer that never closes the channel is waited for report_wait_s,
 * then killed with the tree; what it wrote is cut at report_cap. */
Test(sandbox_report, a_writer_that_never_ends_is_killed, .init = setup,
     .fini = teardown)
{
    sandbox_result res;
    run_reporting("(head -c 100 /dev/zero | tr '\\\\0' x >&3; sleep 30) & "
                  "exec 3>&-",
                  0.3, &res);
    cr_assert(!res.report_closed);
    cr_assert_eq(res.report_len, 64);
    cr_assert_eq(res.report_total, 100);
    cr_assert_geq(res.leftovers, 1);
    cr_assert_lt(res.wall_s, 5);
    sandbox_result_free(&res);
}

Test(sandbox_report, runs_without_a_channel_have_no_report, .init = setup,
     .fini = teardown)
{
    sandbox_result res;
    run_true(&res);
    cr_assert_eq(res.report_total, 0);
    cr_assert_str_eq(res.report, "");
    sandbox_result_free(&res);
}

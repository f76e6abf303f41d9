/* Unit tests for the sandbox: its pid path (sandbox_spec.pid_path_fmt: a
 * stale file named after the program's pid is removed before the start,
 * and one that cannot be removed makes the run start over under a new pid;
 * Criterion aborted when /tmp/criterion_PID.sock belonged to another
 * user), a run dying with its grader, and what a run of an ordinary user
 * (suite sandbox_user; as root the test process first becomes one) can
 * reach: its user's files in the real /tmp, /dev/shm, the hidden paths,
 * and a way back out of its private mounts. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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

/* ---- a run dies with its grader ------------------------------------------ */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Reaps pid when it is a zombie child of ours; whether it still runs. */
static int still_running(pid_t pid)
{
    int status;
    (void)waitpid(pid, &status, WNOHANG);
    return kill(pid, 0) == 0 || errno != ESRCH;
}

/* In a child that plays the grader: runs a program that writes its pid
 * to dir/pid and sleeps for a minute. */
static _Noreturn void fake_grader(void)
{
    strbuf err = {0};
    if (sandbox_init(&err) != 0)
        _exit(1);
    char script[200];
    snprintf(script, sizeof script, "echo $$ > %s/pid; exec sleep 60", dir);
    char *argv[] = {"/bin/sh", "-c", script, NULL};
    char *envp[] = {"PATH=/usr/bin:/bin", NULL};
    const sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = dir,
        .wall_limit_s = 90,
        .cpu_limit_s = 90,
        .output_cap = 4096,
        .writable_dir = dir,
        .max_processes = 8,
    };
    sandbox_result res;
    (void)sandbox_run(&spec, &res, &err);
    _exit(0);
}

/* The grader is killed while its run sleeps: the run must go too (as
 * root the kernel cleared the parent-death signal when the run became
 * nobody, and the run slept on). */
static void check_run_dies_with_grader(void)
{
    cr_assert_eq(chown(dir, sandbox_run_uid(), sandbox_run_gid()), 0);
    const pid_t grader = fork();
    cr_assert_geq(grader, 0, "fork: %s", strerror(errno));
    if (grader == 0)
        fake_grader();
    char path[128];
    snprintf(path, sizeof path, "%s/pid", dir);
    int run = 0;
    for (int i = 0; i < 200 && run <= 0; i++) {
        sleep_ms(50);
        FILE *f = fopen(path, "r");
        if (f && fscanf(f, "%d", &run) != 1)
            run = 0;
        if (f)
            fclose(f);
    }
    cr_assert_gt(run, 0, "the sandboxed program never wrote %s", path);
    kill(grader, SIGKILL);
    waitpid(grader, NULL, 0);
    int alive = 1;
    for (int i = 0; i < 100 && alive; i++) {
        alive = still_running(run);
        if (alive)
            sleep_ms(20);
    }
    if (alive)
        kill(run, SIGKILL);
    cr_expect(!alive,
              "expected the run (pid %d) to die with its grader, got it "
              "still running 2 s after the grader was killed",
              run);
}

Test(sandbox, run_dies_with_its_grader, .init = setup, .fini = teardown)
{
    check_run_dies_with_grader();
}

/* ---- as an ordinary user ---------------------------------------------------
 * As root the test process becomes a uid of its own (no other process has
 * it, so the run's process limit counts only the run), then starts the
 * sandbox as that user: the grader of an organizer without root. */

enum { ORDINARY_UID = 64999 };

static void setup_user(void)
{
    if (geteuid() == 0) {
        cr_assert(setgroups(0, NULL) == 0 && setgid(ORDINARY_UID) == 0 &&
                      setuid(ORDINARY_UID) == 0,
                  "cannot become uid %d: %s", ORDINARY_UID, strerror(errno));
        /* LeakSanitizer traces its own process: it must stay dumpable */
        prctl(PR_SET_DUMPABLE, 1);
    }
    setup();
}

static void require_private_tmp(void)
{
    if (!sandbox_private_tmp())
        cr_skip_test("runs of an ordinary user get no private /tmp here "
                     "(user namespaces refused, or LLMLINGS_NO_USERNS=1)");
}

/* A file of the test's user in the real /tmp (or /dev/shm): its path. */
static void make_user_file(char *path, size_t cap, const char *where)
{
    snprintf(path, cap, "%s/llmlings-sandbox-victim.XXXXXX", where);
    const int fd = mkstemp(path);
    cr_assert_geq(fd, 0, "mkstemp %s: %s", path, strerror(errno));
    cr_assert_eq(write(fd, "victim\n", 7), 7);
    close(fd);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Runs /bin/sh -c script in the sandbox, Landlock on (writes only in dir,
 * reads only the system's folders and dir) or off. */
static void run_script(const char *script, int landlock, int max_processes,
                       sandbox_result *res)
{
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    char *envp[] = {"PATH=/usr/bin:/bin", NULL};
    const char *const reads[] = {dir, NULL};
    const sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = dir,
        .wall_limit_s = 20,
        .cpu_limit_s = 20,
        .output_cap = 4096,
        .max_processes = max_processes,
        .writable_dir = landlock ? dir : NULL,
        .readable = landlock ? reads : NULL,
    };
    strbuf err = {0};
    cr_assert_eq(sandbox_run(&spec, res, &err), 0, "sandbox_run: %s",
                 sb_str(&err));
    sb_free(&err);
}

Test(sandbox_user, cannot_remove_the_users_files_in_tmp, .init = setup_user,
     .fini = teardown)
{
    require_private_tmp();
    char victim[128], script[512];
    make_user_file(victim, sizeof victim, "/tmp");
    snprintf(script, sizeof script,
             "rm -f %s; test -e %s && echo seen; echo ok > mine; echo done",
             victim, victim);
    sandbox_result res;
    run_script(script, 1, 8, &res);
    const int survived = exists(victim);
    (void)unlink(victim);
    cr_expect(survived,
              "expected %s (the same user's, in the real /tmp) to survive "
              "the run, got it removed",
              victim);
    cr_expect_str_eq(res.out, "done\n",
                     "expected the run to see no %s and to write in its own "
                     "folder; stderr: %s",
                     victim, res.err);
    sandbox_result_free(&res);
}

Test(sandbox_user, leaves_nothing_in_dev_shm, .init = setup_user,
     .fini = teardown)
{
    char leftover[128], script[256];
    snprintf(leftover, sizeof leftover, "/dev/shm/llmlings-sandbox-left-%d",
             (int)getpid());
    snprintf(script, sizeof script, "echo x > %s && echo written", leftover);
    sandbox_result res;
    run_script(script, 1, 8, &res);
    const int left = exists(leftover);
    (void)unlink(leftover);
    cr_expect_str_eq(res.out, "written\n",
                     "expected the run to write %s, got stdout '%s' "
                     "stderr '%s'",
                     leftover, res.out, res.err);
    cr_expect(!left, "expected %s gone after the run, got it left behind",
              leftover);
    sandbox_result_free(&res);
}

Test(sandbox_user, sees_a_fresh_dev_shm, .init = setup_user, .fini = teardown)
{
    require_private_tmp();
    char marker[128], script[256];
    make_user_file(marker, sizeof marker, "/dev/shm");
    snprintf(script, sizeof script, "test -e %s && echo seen; echo done",
             marker);
    sandbox_result res;
    run_script(script, 1, 8, &res);
    (void)unlink(marker);
    cr_expect_str_eq(res.out, "done\n",
                     "expected the run not to see %s of the real /dev/shm; "
                     "stderr: %s",
                     marker, res.err);
    sandbox_result_free(&res);
}

Test(sandbox_user, hidden_paths_are_covered, .init = setup_user,
     .fini = teardown)
{
    require_private_tmp();
    char secret_dir[128], secret[160], script[256];
    snprintf(secret_dir, sizeof secret_dir, "%s/solutions-private", dir);
    snprintf(secret, sizeof secret, "%s/ref.c", secret_dir);
    cr_assert_eq(mkdir(secret_dir, 0755), 0);
    FILE *f = fopen(secret, "w");
    cr_assert_not_null(f);
    fputs("ORGANIZER-SECRET\n", f);
    fclose(f);
    const char *const hidden[] = {secret_dir, NULL};
    sandbox_hide(hidden);
    snprintf(script, sizeof script, "cat %s; echo done", secret);
    sandbox_result res;
    run_script(script, 0, 8, &res); /* no Landlock: the mounts alone */
    sandbox_hide(NULL);
    cr_expect_str_eq(res.out, "done\n",
                     "expected %s covered (no Landlock), got stdout '%s'",
                     secret, res.out);
    sandbox_result_free(&res);
}

/* Without Landlock (which refuses mount and umount anyway), the run has no
 * capability left to undo its mounts, and no nested user namespace to get
 * one from. */
Test(sandbox_user, cannot_undo_its_mounts, .init = setup_user, .fini = teardown)
{
    require_private_tmp();
    char victim[128], script[768];
    make_user_file(victim, sizeof victim, "/tmp");
    snprintf(script, sizeof script,
             "grep CapEff /proc/self/status; "
             "umount -l /tmp 2>/dev/null; cat %s 2>/dev/null; "
             "unshare -Urm sh -c 'umount -l /tmp; cat %s' 2>/dev/null; "
             "echo done",
             victim, victim);
    sandbox_result res;
    run_script(script, 0, 8, &res);
    (void)unlink(victim);
    cr_expect_str_eq(res.out, "CapEff:\t0000000000000000\ndone\n",
                     "expected no capabilities and %s out of reach, got "
                     "stdout '%s'",
                     victim, res.out);
    sandbox_result_free(&res);
}

/* The process limit still binds inside the user namespace: 20 background
 * sleeps do not all start under a limit of 8, and do under 64. */
Test(sandbox_user, process_limit_binds, .init = setup_user, .fini = teardown)
{
    const char *script = "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
                         "17 18 19 20; do sleep 5 & done; echo started";
    sandbox_result res;
    run_script(script, 1, 64, &res);
    cr_expect_str_eq(res.out, "started\n",
                     "expected 20 processes to start under a limit of 64, "
                     "got stdout '%s' stderr '%s'",
                     res.out, res.err);
    sandbox_result_free(&res);
    run_script(script, 1, 8, &res);
    cr_expect_str_neq(res.out, "started\n",
                      "expected the 9th process refused under a limit of 8, "
                      "got all 20 started");
    sandbox_result_free(&res);
}

Test(sandbox_user, run_dies_with_its_grader, .init = setup_user,
     .fini = teardown)
{
    check_run_dies_with_grader();
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

/* sandbox.h: running untrusted programs (student test binaries).
 *
 * Every run gets: a wall-clock deadline, a CPU limit, a memory limit on the
 * whole process tree (resident set, polled, so it works with sanitizer
 * builds that reserve terabytes of address space), a process-count limit,
 * no core files, a file-size limit, capped stdout/stderr (the head is kept,
 * the rest drained and counted), a scrubbed environment (only what the
 * caller passes) and, at the end, the whole process tree killed. The grader
 * is a child subreaper, so a descendant that escapes with setsid or a
 * double fork is re-parented to it and cannot outlive the run. When the
 * grader runs as root, the program runs as an unprivileged user.
 *
 * Files. Where the kernel offers Landlock (Linux 5.13+; a graceful no-op
 * where it does not), a run with a writable_dir may create, change or
 * delete files only below that folder (so results, caches, the test binary
 * and CI files are out of its reach even for the grader's own user), and a
 * run with a `readable` list may read only the system's folders (/usr,
 * /lib*, /bin, /sbin, /etc, /proc, /sys, /dev, /opt), those paths and its
 * writable_dir: nothing of the organizer's (the workbook, its
 * solutions-private/ and .git, the grader's state) can be opened or
 * #included. It may not use TCP (ABI 4+), and may not signal or reach by
 * abstract socket any process outside the run (ABI 6+: it cannot kill the
 * grader).
 *
 * Mounts (private_mounts.h). As root, and as an ordinary user where the
 * kernel allows unprivileged user namespaces, a run gets a mount namespace
 * of its own with a fresh /tmp and /dev/shm (the paths it needs below /tmp
 * bound back in, read-only unless it may write them) and the hidden paths
 * (sandbox_hide) covered, so it sees nothing another run left there,
 * removes nothing of the user's or of other runs', and leaves nothing
 * behind. Where neither applies, what it creates in /dev/shm is removed
 * after it, and with Landlock it may remove its user's files in /tmp
 * (Criterion's socket). The grader dying kills the run (parent-death
 * signal, set after every change of credentials). */
#ifndef GRADER_SANDBOX_H
#define GRADER_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

#include "base/strbuf.h"

typedef struct {
    char *const *argv; /* argv[0] is the program path */
    char *const *envp; /* the complete environment */
    const char *cwd;   /* working directory */
    double wall_limit_s;
    double cpu_limit_s;
    long memory_limit_mb;    /* resident memory of the whole tree; 0: none */
    int limit_address_space; /* also RLIMIT_AS (not for sanitizer builds) */
    long file_size_limit_mb;
    int max_processes;           /* processes the run may create */
    size_t output_cap;           /* bytes kept of each of stdout and stderr */
    const char *writable_dir;    /* with Landlock: the only folder it may
                                    write (and /tmp, /dev/shm); NULL: writes
                                    are not restricted */
    const char *const *readable; /* with Landlock: the only paths it may
                                    read besides the system's folders and
                                    writable_dir (NULL-ended); NULL: reads
                                    are not restricted */
    /* A file the program creates under a name made of its process id (%d),
     * e.g. Criterion's "/tmp/criterion_%d.sock", or NULL. A stale one left
     * by an earlier program that had the same id is removed before the
     * start; when it cannot be (another user's file), the run starts over
     * under a new process id instead of failing for no fault of its own. */
    const char *pid_path_fmt;
    /* Performance runs (judge mode): the program stops itself (SIGSTOP)
     * at its stop points; at each the sandbox reads the wall clock and the
     * program's CPU time while it is stopped, notes whether any other
     * process of the run exists, and lets it go on (SIGCONT). The run is
     * watched every millisecond instead of every POLL_MS. */
    int perf_stops;
    /* A report channel (0: none): the program gets the write end of a pipe
     * as descriptor report_fd (> 2; it stays open across exec, and no
     * other descriptor of the grader's reaches the program), and the
     * sandbox keeps the first report_cap bytes written to it. A writer may
     * outlive the program (the CUDA simulator's device process reports
     * once the test process is gone): after the program ends, the run
     * waits up to report_wait_s for the channel's end of file before the
     * rest of the tree is killed. */
    int report_fd;
    size_t report_cap;
    double report_wait_s;
} sandbox_spec;

/* What the sandbox read at one stop point of a performance run. */
typedef struct {
    double wall_s; /* monotonic clock when the program was let go on (the
                      first stop) or when its stop was seen (later ones) */
    double cpu_s;  /* the program's CPU time (all its threads, and the
                      children it waited for), user + system */
    int others;    /* processes of the run besides the program */
} sandbox_stop;

enum { SANDBOX_STOPS_KEPT = 2 };

typedef struct {
    int exited, exit_code;     /* normal exit and its status */
    int signaled, term_signal; /* killed by a signal */
    int timed_out;             /* the wall-clock deadline was reached */
    int memory_exceeded;       /* the memory limit was reached */
    double wall_s;
    char *out, *err; /* the kept heads, NUL-terminated */
    size_t out_len, err_len;
    size_t out_total, err_total; /* bytes written in all */
    int leftovers;               /* processes still alive at the end, killed */
    pid_t pid;                   /* the program's process id (gone now) */
    /* perf_stops: how many stops the program made, the first ones read,
     * and its CPU time at the end (from the kernel's accounting when it
     * was reaped; 0 when it had to be killed). */
    int stops;
    sandbox_stop stop[SANDBOX_STOPS_KEPT];
    double end_cpu_s;
    /* report_fd: the kept head of what was written to the channel, how
     * much was written in all, and whether its end of file was seen (every
     * writer closed it before the tree was killed). */
    char *report;
    size_t report_len, report_total;
    int report_closed;
} sandbox_result;

/* Once per grader process, before any run. Returns 0, or -1 with a reason. */
int sandbox_init(strbuf *err);
/* Paths no run may see (the workbook's solutions-private/ and .git): as
 * root they are covered in each run's mount namespace; with Landlock they
 * are outside what a run may read anyway. The list is copied; a later call
 * replaces it. */
void sandbox_hide(const char *const *paths);
/* Whether runs cannot read the grader's user's files: Landlock restricts
 * their reads, or they run as another user with the hidden paths covered
 * (root's grader runs them as nobody in a mount namespace). */
int sandbox_isolates_reads(void);
/* Whether runs get a private /tmp and /dev/shm, with the hidden paths
 * covered: as root, or in a user namespace (probed by sandbox_init;
 * LLMLINGS_NO_USERNS=1 in the grader's environment says no, to test the
 * fallback). And how: "root", "user_namespace" or "none". */
int sandbox_private_tmp(void);
const char *sandbox_private_tmp_kind(void);
/* The uid untrusted code runs as (the grader's own uid unless root). */
uid_t sandbox_run_uid(void);
gid_t sandbox_run_gid(void);
/* Runs spec; returns 0 (res filled, caller frees with sandbox_result_free)
 * or -1 when the program could not be started at all (reason in err). */
int sandbox_run(const sandbox_spec *spec, sandbox_result *res, strbuf *err);
void sandbox_result_free(sandbox_result *res);
/* Limit arithmetic that never overflows, whatever a spec holds: bytes of
 * mb mebibytes (0 for mb <= 0, at most SANDBOX_MAX_MB's), and a time
 * limit in 0..SANDBOX_MAX_SECONDS (NaN counts as the largest). */
#define SANDBOX_MAX_MB (1L << 30)
#define SANDBOX_MAX_SECONDS 86400
unsigned long long sandbox_mb_bytes(long mb);
double sandbox_seconds(double s);
/* Stops, kills and reaps every process below this one (a run's leftovers,
 * or a child doing grading work that is cancelled: the grader is their
 * subreaper, so nothing below it escapes). Returns how many were alive. */
int sandbox_kill_descendants(void);
/* The Landlock ABI version the kernel offers (0: none). */
int sandbox_landlock_abi(void);

#endif

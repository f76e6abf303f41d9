/* sandbox.c: see sandbox.h for what a run guarantees. */
#include "sandbox/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "sandbox/private_mounts.h"

enum {
    POLL_MS = 20,          /* how often deadlines and memory are checked */
    PERF_POLL_MS = 1,      /* ... in a performance run (its stop points) */
    MEMORY_CHECK_MS = 40,  /* how often the tree's resident set is summed */
    DRAIN_LIMIT_MS = 2000, /* reading leftovers after the tree is dead */
    MAX_PIDS = 32768,
    NSTREAMS = 3, /* stdout, stderr, the report channel (report_fd) */
};

static uid_t run_uid;
static gid_t run_gid;
static int landlock_abi;
static char **hidden_paths; /* sandbox_hide: NULL-ended, or NULL */
static mounts_kind mounts;  /* how runs get a private /tmp, if at all */

int sandbox_init(strbuf *err)
{
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        sb_printf(err, "cannot become a child subreaper: %s", strerror(errno));
        return -1;
    }
    run_uid = getuid();
    run_gid = getgid();
    /* LLMLINGS_NO_LANDLOCK=1 tests the fallback a kernel without Landlock
     * gets (the grader's own environment: student code cannot set it). */
    const char *no = getenv("LLMLINGS_NO_LANDLOCK");
    landlock_abi = no && no[0] == '1' ? 0 : sandbox_landlock_abi();
    if (geteuid() == 0) {
        /* Root must not run student code: nobody owns nothing we care for,
         * and RLIMIT_NPROC only binds an unprivileged user. */
        const struct passwd *pw = getpwnam("nobody");
        run_uid = pw ? pw->pw_uid : 65534;
        run_gid = pw ? pw->pw_gid : 65534;
    }
    /* once per process tree: a worker forked after this knows already */
    static int probed;
    if (!probed)
        mounts = mounts_probe();
    probed = 1;
    return 0;
}

void sandbox_hide(const char *const *paths)
{
    for (char **p = hidden_paths; p && *p; p++)
        free(*p);
    free(hidden_paths);
    size_t n = 0;
    while (paths && paths[n])
        n++;
    hidden_paths = calloc(n + 1, sizeof *hidden_paths);
    for (size_t i = 0; hidden_paths && i < n; i++)
        hidden_paths[i] = strdup(paths[i]);
}

int sandbox_isolates_reads(void)
{
    return landlock_abi > 0 || mounts == MOUNTS_AS_ROOT;
}

int sandbox_private_tmp(void)
{
    return mounts != MOUNTS_SHARED;
}

const char *sandbox_private_tmp_kind(void)
{
    return mounts_kind_name(mounts);
}

uid_t sandbox_run_uid(void)
{
    return run_uid;
}
gid_t sandbox_run_gid(void)
{
    return run_gid;
}

/* ---- Landlock ------------------------------------------------------------
 * The constants and structures are the kernel's stable ABI, spelled out
 * here because the installed <linux/landlock.h> may predate ABI 4-6 (named
 * apart from that header's, which may be included one day). */

#define SYS_LANDLOCK_CREATE_RULESET 444
#define SYS_LANDLOCK_ADD_RULE 445
#define SYS_LANDLOCK_RESTRICT_SELF 446
#define LANDLOCK_ASK_VERSION (1U << 0)
#define LANDLOCK_PATH_RULE 1
#define LANDLOCK_FS_EXECUTE (1ULL << 0)
#define LANDLOCK_FS_WRITE_FILE (1ULL << 1)
#define LANDLOCK_FS_READ_FILE (1ULL << 2)
#define LANDLOCK_FS_READ_DIR (1ULL << 3)
#define LANDLOCK_FS_REMOVE_DIR (1ULL << 4)
#define LANDLOCK_FS_REMOVE_FILE (1ULL << 5)
#define LANDLOCK_FS_MAKE_CHAR (1ULL << 6)
#define LANDLOCK_FS_MAKE_DIR (1ULL << 7)
#define LANDLOCK_FS_MAKE_REG (1ULL << 8)
#define LANDLOCK_FS_MAKE_SOCK (1ULL << 9)
#define LANDLOCK_FS_MAKE_FIFO (1ULL << 10)
#define LANDLOCK_FS_MAKE_BLOCK (1ULL << 11)
#define LANDLOCK_FS_MAKE_SYM (1ULL << 12)
#define LANDLOCK_FS_REFER (1ULL << 13)    /* ABI 2 */
#define LANDLOCK_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#define LANDLOCK_NET_BIND_TCP (1ULL << 0) /* ABI 4 */
#define LANDLOCK_NET_CONNECT_TCP (1ULL << 1)
#define LANDLOCK_SCOPED_UNIX_SOCKETS (1ULL << 0) /* ABI 6 */
#define LANDLOCK_SCOPED_SIGNALS (1ULL << 1)

typedef struct {
    unsigned long long handled_access_fs;
    unsigned long long handled_access_net; /* ABI 4 */
    unsigned long long scoped;             /* ABI 6 */
} ruleset_attr;

typedef struct __attribute__((packed)) {
    unsigned long long allowed_access;
    int parent_fd;
} path_beneath_attr;

int sandbox_landlock_abi(void)
{
    long abi =
        syscall(SYS_LANDLOCK_CREATE_RULESET, NULL, 0, LANDLOCK_ASK_VERSION);
    return abi > 0 ? (int)abi : 0;
}

static void allow_beneath(int ruleset, const char *path,
                          unsigned long long access)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return;
    path_beneath_attr rule = {access, fd};
    (void)syscall(SYS_LANDLOCK_ADD_RULE, ruleset, LANDLOCK_PATH_RULE, &rule, 0);
    close(fd);
}

/* The folders every run may read (and execute from) when its reads are
 * restricted: the system's, never a workbook's. */
static const char *const SYSTEM_DIRS[] = {
    "/usr", "/lib",  "/lib32", "/lib64", "/libx32", "/bin", "/sbin",
    "/etc", "/proc", "/sys",   "/dev",   "/opt",    NULL};

/* Read rights on path: a folder's, or a file's (READ_DIR is not allowed
 * on a file rule). */
static void allow_reading(int ruleset, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    unsigned long long rights = LANDLOCK_FS_READ_FILE | LANDLOCK_FS_EXECUTE;
    if (S_ISDIR(st.st_mode))
        rights |= LANDLOCK_FS_READ_DIR;
    allow_beneath(ruleset, path, rights);
}

/* In the child, after dropping privileges: from here on, files may only be
 * created, written or removed below the writable folder (and /dev/null &
 * co. written), and, when the run has a `readable` list, read only below
 * the system's folders, those paths and the writable folder; no TCP, no
 * signals or abstract sockets beyond the run's own processes. Two holes
 * for Criterion 2.4.1, whose paths are fixed: it binds its message socket
 * at /tmp/criterion_<pid>.sock and aborts when it cannot remove it again
 * (so sockets may be created in /tmp and files removed there, but no file
 * written; in a private /tmp, where the run's paths bound back in are
 * read-only unless writable, removal reaches nothing but what the run may
 * change anyway), and keeps a shared-memory arena in /dev/shm. Does
 * nothing where the kernel has no Landlock; a failure leaves the other
 * layers in place. */
static void restrict_files(const sandbox_spec *s)
{
    if (landlock_abi <= 0 || (s->writable_dir == NULL && s->readable == NULL))
        return;
    const int reads = s->readable != NULL;
    const unsigned long long read_rights =
        reads
            ? LANDLOCK_FS_READ_FILE | LANDLOCK_FS_READ_DIR | LANDLOCK_FS_EXECUTE
            : 0;
    unsigned long long file_rights = LANDLOCK_FS_WRITE_FILE;
    unsigned long long dir_rights =
        LANDLOCK_FS_WRITE_FILE | LANDLOCK_FS_REMOVE_DIR |
        LANDLOCK_FS_REMOVE_FILE | LANDLOCK_FS_MAKE_CHAR | LANDLOCK_FS_MAKE_DIR |
        LANDLOCK_FS_MAKE_REG | LANDLOCK_FS_MAKE_SOCK | LANDLOCK_FS_MAKE_FIFO |
        LANDLOCK_FS_MAKE_BLOCK | LANDLOCK_FS_MAKE_SYM;
    if (landlock_abi >= 2)
        dir_rights |= LANDLOCK_FS_REFER;
    if (landlock_abi >= 3) {
        dir_rights |= LANDLOCK_FS_TRUNCATE;
        file_rights |= LANDLOCK_FS_TRUNCATE;
    }
    ruleset_attr attr = {.handled_access_fs = dir_rights | read_rights};
    size_t size = sizeof attr.handled_access_fs;
    if (landlock_abi >= 4) {
        attr.handled_access_net =
            LANDLOCK_NET_BIND_TCP | LANDLOCK_NET_CONNECT_TCP;
        size = 2 * sizeof attr.handled_access_fs;
    }
    if (landlock_abi >= 6) {
        attr.scoped = LANDLOCK_SCOPED_UNIX_SOCKETS | LANDLOCK_SCOPED_SIGNALS;
        size = sizeof attr;
    }
    int ruleset = (int)syscall(SYS_LANDLOCK_CREATE_RULESET, &attr, size, 0);
    if (ruleset < 0)
        return;
    for (const char *const *d = SYSTEM_DIRS; reads && *d; d++)
        allow_reading(ruleset, *d);
    for (const char *const *p = s->readable; p && *p; p++)
        allow_reading(ruleset, *p);
    if (s->writable_dir)
        allow_beneath(ruleset, s->writable_dir, dir_rights | read_rights);
    allow_beneath(ruleset, "/tmp",
                  LANDLOCK_FS_MAKE_SOCK | LANDLOCK_FS_REMOVE_FILE);
    allow_beneath(ruleset, "/dev/shm",
                  LANDLOCK_FS_MAKE_REG | LANDLOCK_FS_WRITE_FILE |
                      LANDLOCK_FS_REMOVE_FILE | read_rights |
                      (landlock_abi >= 3 ? LANDLOCK_FS_TRUNCATE : 0));
    static const char *const devices[] = {"/dev/null", "/dev/zero",
                                          "/dev/full"};
    for (size_t i = 0; i < sizeof devices / sizeof *devices; i++)
        allow_beneath(ruleset, devices[i],
                      file_rights | (reads ? LANDLOCK_FS_READ_FILE : 0));
    (void)syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0);
    close(ruleset);
}

/* ---- the process tree ---------------------------------------------------- */

typedef struct {
    pid_t pid, ppid;
} proc_link;

/* Reads /proc/PID/NAME (a small file) into buf, NUL-terminated; returns
 * its length, or -1 when the process is gone or the file unreadable. */
static ssize_t read_proc(long pid, const char *name, char *buf, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/%s", pid, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t len = read(fd, buf, cap - 1);
    close(fd);
    if (len < 0)
        return -1;
    buf[len] = '\0';
    return len;
}

/* Reads pid and ppid of every process; returns how many. */
static size_t read_proc_table(proc_link *t, size_t cap)
{
    DIR *d = opendir("/proc");
    if (d == NULL)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while (n < cap && (e = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        char buf[512];
        if (read_proc(pid, "stat", buf, sizeof buf) <= 0)
            continue;
        /* "pid (comm) state ppid ...": comm may hold spaces and ')'. */
        const char *rp = strrchr(buf, ')');
        long ppid;
        char state;
        if (rp == NULL || sscanf(rp + 1, " %c %ld", &state, &ppid) != 2)
            continue;
        t[n].pid = (pid_t)pid;
        t[n].ppid = (pid_t)ppid;
        n++;
    }
    closedir(d);
    return n;
}

/* Fills out with every process below the grader; returns the count. */
static size_t list_descendants(pid_t *out, size_t cap)
{
    static proc_link table[MAX_PIDS];
    size_t n = read_proc_table(table, MAX_PIDS);
    size_t found = 0;
    pid_t self = getpid();
    /* Repeated passes: a process is ours if its parent is us or ours. */
    int grew = 1;
    while (grew) {
        grew = 0;
        for (size_t i = 0; i < n && found < cap; i++) {
            if (table[i].pid == 0)
                continue;
            int ours = table[i].ppid == self;
            for (size_t j = 0; !ours && j < found; j++)
                ours = table[i].ppid == out[j];
            if (ours) {
                out[found++] = table[i].pid;
                table[i].pid = 0;
                grew = 1;
            }
        }
    }
    return found;
}

/* Resident memory of every process below the grader, in bytes. */
static long long tree_rss_bytes(void)
{
    static pid_t pids[MAX_PIDS];
    size_t n = list_descendants(pids, MAX_PIDS);
    long long total = 0;
    long page = sysconf(_SC_PAGESIZE);
    for (size_t i = 0; i < n; i++) {
        char buf[128];
        if (read_proc(pids[i], "statm", buf, sizeof buf) <= 0)
            continue;
        long long size, resident;
        if (sscanf(buf, "%lld %lld", &size, &resident) == 2)
            total += resident * page;
    }
    return total;
}

/* Stops and kills everything below the grader and reaps it. The main
 * child's status is stored when it is reaped here. Returns how many
 * processes were found alive. */
static int kill_tree(pid_t main_child, int *main_status, int *main_reaped)
{
    static pid_t pids[MAX_PIDS];
    int killed = 0;
    for (int round = 0; round < 200; round++) {
        size_t n = list_descendants(pids, MAX_PIDS);
        /* SIGSTOP first so a fork bomb stops multiplying while we work. */
        for (size_t i = 0; i < n; i++)
            kill(pids[i], SIGSTOP);
        for (size_t i = 0; i < n; i++)
            kill(pids[i], SIGKILL);
        int status;
        pid_t r;
        while ((r = waitpid(-1, &status, WNOHANG)) > 0)
            if (r == main_child && !*main_reaped) {
                *main_status = status;
                *main_reaped = 1;
            }
        if (n == 0)
            break;
        if (round == 0)
            killed = (int)n;
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return killed;
}

int sandbox_kill_descendants(void)
{
    int status = 0, reaped = 0;
    return kill_tree(-1, &status, &reaped);
}

/* ---- the child side ------------------------------------------------------ */

static void set_limit(int resource, rlim_t value)
{
    struct rlimit rl = {value, value};
    (void)setrlimit(resource, &rl);
}

static _Noreturn void child_fail(const char *what)
{
    char msg[256];
    int n =
        snprintf(msg, sizeof msg, "sandbox: %s: %s\n", what, strerror(errno));
    (void)!write(2, msg, n > 0 ? (size_t)n : 0);
    _exit(127);
}

/* Threads in process `pid` (entries of /proc/PID/task); 1 if unreadable. */
static int count_threads(const char *pid)
{
    char path[300];
    snprintf(path, sizeof path, "/proc/%s/task", pid);
    DIR *d = opendir(path);
    if (d == NULL)
        return 1;
    int n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n > 0 ? n : 1;
}

/* Tasks the run's user already has. RLIMIT_NPROC counts every thread of
 * every process of the user, not processes: a multi-threaded program of
 * the same user (another grader, a compiler) must not eat the allowance
 * of the run, whose limit is set above what the user already has. */
static int count_user_tasks(uid_t uid)
{
    DIR *d = opendir("/proc");
    if (d == NULL)
        return 0;
    int n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300];
        struct stat st;
        snprintf(path, sizeof path, "/proc/%s", e->d_name);
        if (stat(path, &st) == 0 && st.st_uid == uid)
            n += count_threads(e->d_name);
    }
    closedir(d);
    return n;
}

/* Exit status and stderr line of a child that found its pid path taken. */
enum { PID_PATH_BUSY = 75 };
static const char PID_PATH_BUSY_MSG[] = "sandbox: pid path taken, new pid\n";

/* In the child, still with the grader's privileges: removes a stale file
 * named after this pid; exits PID_PATH_BUSY when that is not possible. */
static void clear_pid_path(const char *fmt)
{
    char path[256];
    snprintf(path, sizeof path, fmt, (int)getpid());
    struct stat st;
    if (lstat(path, &st) != 0 || unlink(path) == 0)
        return;
    (void)!write(2, PID_PATH_BUSY_MSG, sizeof PID_PATH_BUSY_MSG - 1);
    _exit(PID_PATH_BUSY);
}

/* Puts the report channel's write end at descriptor `at`, open across
 * exec (dup2 onto itself would keep its close-on-exec flag). */
static int place_report_fd(int report_w, int at)
{
    if (report_w == at)
        return fcntl(at, F_SETFD, 0);
    return dup2(report_w, at) < 0 ? -1 : 0;
}

/* The run user's identity: root's child becomes nobody (which also drops
 * its capabilities); an ordinary user's child already is the run user. */
static void become_run_user(void)
{
    if (geteuid() != 0)
        return;
    if (setgroups(0, NULL) != 0 || setgid(run_gid) != 0 || setuid(run_uid) != 0)
        child_fail("dropping privileges");
}

/* The parent-death signal, set again last: the kernel clears it whenever
 * the credentials change (setuid, and the like), and the grader may have
 * died before it was set, in which case the run must not start. */
static void die_with_grader(pid_t grader)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != grader)
        _exit(127);
}

static _Noreturn void run_child(const sandbox_spec *s, pid_t grader, int out_w,
                                int err_w, int report_w, int nproc_limit)
{
    setsid();
    die_with_grader(grader); /* already while the run is being set up */
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 ||
        dup2(err_w, 2) < 0)
        child_fail("redirecting output");
    int keep = 3; /* the first descriptor closed */
    if (report_w >= 0) {
        if (place_report_fd(report_w, s->report_fd) != 0)
            child_fail("passing the report channel");
        keep = s->report_fd + 1;
        if (s->report_fd > 3)
            close_range(3, (unsigned)s->report_fd - 1, 0);
    }
    close_range((unsigned)keep, ~0U, 0);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_CPU, (rlim_t)(sandbox_seconds(s->cpu_limit_s) + 1.0));
    if (s->file_size_limit_mb > 0)
        set_limit(RLIMIT_FSIZE, sandbox_mb_bytes(s->file_size_limit_mb));
    if (s->limit_address_space && s->memory_limit_mb > 0)
        set_limit(RLIMIT_AS,
                  sandbox_mb_bytes(s->memory_limit_mb) + sandbox_mb_bytes(64));
    set_limit(RLIMIT_NOFILE, 256);
    /* An ordinary user's limit is set before its user namespace exists:
     * the kernel then holds the user's processes outside the namespace
     * to it as well (inside, it counts the run's processes only). */
    if (nproc_limit > 0 && geteuid() != 0)
        set_limit(RLIMIT_NPROC, (rlim_t)nproc_limit);

    if (s->pid_path_fmt)
        clear_pid_path(s->pid_path_fmt);
    const mount_plan plan = {s->cwd, s->writable_dir, s->argv[0], s->readable,
                             hidden_paths};
    if (mounts_enter(mounts, &plan) != 0)
        child_fail("making the run's private /tmp");
    if (chdir(s->cwd) != 0)
        child_fail("entering the working directory");
    become_run_user();
    if (nproc_limit > 0)
        set_limit(RLIMIT_NPROC, (rlim_t)nproc_limit);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); /* also required by Landlock */
    restrict_files(s);
    die_with_grader(grader);
    execve(s->argv[0], s->argv, s->envp);
    child_fail("starting the program");
}

/* ---- the parent side ----------------------------------------------------- */

typedef struct {
    int fd;
    strbuf kept;
    size_t total;
    size_t cap;
    int eof; /* every writer closed it */
} stream;

/* Reads what is available; returns 0 at EOF, 1 otherwise. */
static int pump(stream *s)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(s->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return 1; /* EAGAIN: nothing more for now */
        if (n == 0) {
            s->eof = 1;
            return 0;
        }
        s->total += (size_t)n;
        if (s->kept.len < s->cap) {
            size_t room = s->cap - s->kept.len;
            sb_append(&s->kept, buf, (size_t)n < room ? (size_t)n : room);
        }
    }
}

static void close_stream(stream *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

static int make_pipe(int p[2])
{
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    return 0;
}

/* Reads what each open stream has; closes the ones at EOF. */
static void pump_all(stream st[NSTREAMS])
{
    for (int i = 0; i < NSTREAMS; i++)
        if (st[i].fd >= 0 && pump(&st[i]) == 0)
            close_stream(&st[i]);
}

/* Waits up to ms milliseconds for output (or just sleeps when both
 * streams are closed). */
static void wait_a_moment(const stream st[NSTREAMS], int ms)
{
    struct pollfd pf[NSTREAMS];
    int np = 0;
    for (int i = 0; i < NSTREAMS; i++)
        if (st[i].fd >= 0)
            pf[np++] = (struct pollfd){st[i].fd, POLLIN, 0};
    if (np > 0) {
        poll(pf, (nfds_t)np, ms);
    } else {
        struct timespec ts = {0, ms * 1000L * 1000};
        nanosleep(&ts, NULL);
    }
}

/* The child and what the parent knows of it so far. */
typedef struct {
    pid_t pid;
    double start;
    int status, reaped;
    stream st[NSTREAMS]; /* stdout, stderr, the report channel (fd -1:
                            none) */
    struct rusage usage; /* the program's, when reaped in supervise */
} running;

static void close_pipe(int p[2])
{
    if (p[0] >= 0)
        close(p[0]);
    if (p[1] >= 0)
        close(p[1]);
}

/* Starts the child with its output on two pipes (three with a report
 * channel). Returns 0, or -1 (err). */
static int spawn(const sandbox_spec *spec, running *r, strbuf *err)
{
    int outp[2] = {-1, -1}, errp[2] = {-1, -1}, repp[2] = {-1, -1};
    if (make_pipe(outp) != 0 || make_pipe(errp) != 0 ||
        (spec->report_fd > 2 && make_pipe(repp) != 0)) {
        sb_printf(err, "pipe: %s", strerror(errno));
        close_pipe(outp);
        close_pipe(errp);
        close_pipe(repp);
        return -1;
    }
    int nproc_limit = 0;
    if (spec->max_processes > 0)
        nproc_limit = count_user_tasks(run_uid) + spec->max_processes;
    const pid_t grader = getpid();
    r->start = monotonic_seconds();
    r->pid = fork();
    if (r->pid < 0) {
        sb_printf(err, "fork: %s", strerror(errno));
        close_pipe(outp);
        close_pipe(errp);
        close_pipe(repp);
        return -1;
    }
    if (r->pid == 0)
        run_child(spec, grader, outp[1], errp[1], repp[1], nproc_limit);
    close(outp[1]);
    close(errp[1]);
    if (repp[1] >= 0)
        close(repp[1]);
    r->st[0] = (stream){outp[0], {0}, 0, spec->output_cap, 0};
    r->st[1] = (stream){errp[0], {0}, 0, spec->output_cap, 0};
    r->st[2] = (stream){repp[0], {0}, 0, spec->report_cap, 0};
    return 0;
}

unsigned long long sandbox_mb_bytes(long mb)
{
    if (mb <= 0)
        return 0;
    if (mb > SANDBOX_MAX_MB)
        mb = SANDBOX_MAX_MB;
    return (unsigned long long)mb << 20;
}

double sandbox_seconds(double s)
{
    if (!(s < SANDBOX_MAX_SECONDS)) /* also NaN */
        return SANDBOX_MAX_SECONDS;
    return s > 0 ? s : 0;
}

/* The CPU time of process pid in seconds: its own (every thread, from
 * its CPU-time clock, to the nanosecond) and that of the children it
 * waited for (/proc's cutime + cstime, in clock ticks). -1 if unreadable. */
static double process_cpu_s(pid_t pid)
{
    clockid_t clock;
    struct timespec ts;
    if (clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &ts) != 0)
        return -1;
    double cpu = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    char buf[1024];
    if (read_proc(pid, "stat", buf, sizeof buf) <= 0)
        return -1;
    /* after "pid (comm)": state ppid pgrp session tty tpgid flags minflt
     * cminflt majflt cmajflt utime stime cutime cstime */
    const char *rp = strrchr(buf, ')');
    unsigned long long cutime, cstime;
    if (rp == NULL || sscanf(rp + 1,
                             " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                             "%*u %*u %llu %llu",
                             &cutime, &cstime) != 2)
        return -1;
    return cpu + (double)(cutime + cstime) / (double)sysconf(_SC_CLK_TCK);
}

/* A stop point of a performance run: the program is stopped; read it and
 * let it go on. */
static void take_stop(running *r, sandbox_result *res)
{
    const double seen = monotonic_seconds();
    if (res->stops < SANDBOX_STOPS_KEPT) {
        static pid_t pids[MAX_PIDS];
        sandbox_stop *s = &res->stop[res->stops];
        s->cpu_s = process_cpu_s(r->pid);
        s->others = (int)list_descendants(pids, MAX_PIDS) - 1;
        s->wall_s = seen;
    }
    res->stops++;
    /* the first stop's clock starts when the program runs again */
    if (res->stops == 1)
        res->stop[0].wall_s = monotonic_seconds();
    kill(r->pid, SIGCONT);
}

/* Reads the child's output until it ends, its deadline passes or its tree
 * uses too much memory (res says which). */
static void supervise(const sandbox_spec *spec, running *r, sandbox_result *res)
{
    double deadline = r->start + sandbox_seconds(spec->wall_limit_s);
    double next_mem = r->start;
    long long mem_limit = (long long)sandbox_mb_bytes(spec->memory_limit_mb);
    const int poll_ms = spec->perf_stops ? PERF_POLL_MS : POLL_MS;
    const int options = WNOHANG | (spec->perf_stops ? WUNTRACED : 0);
    for (;;) {
        wait_a_moment(r->st, poll_ms);
        pump_all(r->st);
        const pid_t w = wait4(r->pid, &r->status, options, &r->usage);
        if (w == r->pid && WIFSTOPPED(r->status)) {
            take_stop(r, res);
            continue;
        }
        if (w == r->pid) {
            r->reaped = 1;
            res->end_cpu_s =
                (double)(r->usage.ru_utime.tv_sec + r->usage.ru_stime.tv_sec) +
                1e-6 * (double)(r->usage.ru_utime.tv_usec +
                                r->usage.ru_stime.tv_usec);
            return;
        }
        double t = monotonic_seconds();
        if (t >= deadline) {
            res->timed_out = 1;
            return;
        }
        if (mem_limit > 0 && t >= next_mem) {
            next_mem = t + MEMORY_CHECK_MS / 1000.0;
            if (tree_rss_bytes() > mem_limit) {
                res->memory_exceeded = 1;
                return;
            }
        }
    }
}

/* Every writer is dead, so the pipes reach EOF; the bound only guards
 * against a bug, never against the student. */
static int any_open(const stream st[NSTREAMS])
{
    for (int i = 0; i < NSTREAMS; i++)
        if (st[i].fd >= 0)
            return 1;
    return 0;
}

static void drain(stream st[NSTREAMS])
{
    double drain_end = monotonic_seconds() + DRAIN_LIMIT_MS / 1000.0;
    while (any_open(st) && monotonic_seconds() < drain_end) {
        pump_all(st);
        if (any_open(st)) {
            struct timespec ts = {0, 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    for (int i = 0; i < NSTREAMS; i++)
        close_stream(&st[i]);
}

/* Reaps the processes below the grader that have ended; returns how many
 * are still alive (or not reaped yet). */
static size_t reap_ended(void)
{
    static pid_t pids[MAX_PIDS];
    int status;
    while (waitpid(-1, &status, WNOHANG) > 0)
        ;
    return list_descendants(pids, MAX_PIDS);
}

/* After the program ended: the report channel's writers (a helper process
 * that reports once the program is gone) get up to report_wait_s to
 * finish (the channel's end of file, and the writer's exit) before the
 * tree is killed. Sets res->report_closed. */
static void await_report(const sandbox_spec *spec, running *r,
                         sandbox_result *res)
{
    if (r->st[2].fd < 0 && !r->st[2].eof)
        return;
    const double end =
        monotonic_seconds() + sandbox_seconds(spec->report_wait_s);
    while (r->reaped && r->st[2].fd >= 0 && monotonic_seconds() < end) {
        wait_a_moment(r->st, POLL_MS);
        pump_all(r->st);
    }
    res->report_closed = r->st[2].eof;
    while (r->reaped && res->report_closed && reap_ended() > 0 &&
           monotonic_seconds() < end) {
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static void collect(running *r, sandbox_result *res)
{
    if (r->reaped && WIFEXITED(r->status)) {
        res->exited = 1;
        res->exit_code = WEXITSTATUS(r->status);
    } else if (r->reaped && WIFSIGNALED(r->status)) {
        res->signaled = 1;
        res->term_signal = WTERMSIG(r->status);
    }
    res->out_len = r->st[0].kept.len;
    res->err_len = r->st[1].kept.len;
    res->out = sb_steal(&r->st[0].kept);
    res->err = sb_steal(&r->st[1].kept);
    res->out_total = r->st[0].total;
    res->err_total = r->st[1].total;
    res->report_len = r->st[2].kept.len;
    res->report = sb_steal(&r->st[2].kept);
    res->report_total = r->st[2].total;
}

/* ---- /dev/shm without a private one -------------------------------------- */

enum { SHM_NAMES_MAX = 4096 };

typedef struct {
    char **v;
    size_t n;
} name_set;

/* The names in /dev/shm now. */
static void shm_names(name_set *out)
{
    out->v = NULL;
    out->n = 0;
    DIR *d = opendir("/dev/shm");
    if (d == NULL)
        return;
    out->v = calloc(SHM_NAMES_MAX, sizeof *out->v);
    const struct dirent *e;
    while (out->v && out->n < SHM_NAMES_MAX && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            out->v[out->n++] = strdup(e->d_name);
    closedir(d);
}

static int shm_had(const name_set *before, const char *name)
{
    for (size_t i = 0; i < before->n; i++)
        if (before->v[i] && strcmp(before->v[i], name) == 0)
            return 1;
    return 0;
}

/* Removes what the run's user created in /dev/shm since `before` (a
 * shared-memory file outlives its process otherwise). */
static void shm_sweep(name_set *before)
{
    DIR *d = opendir("/dev/shm");
    if (d != NULL) {
        const struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            struct stat st;
            if (e->d_name[0] == '.' || shm_had(before, e->d_name) ||
                fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                st.st_uid != run_uid)
                continue;
            (void)unlinkat(dirfd(d), e->d_name,
                           S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
        }
        closedir(d);
    }
    for (size_t i = 0; i < before->n; i++)
        free(before->v[i]);
    free(before->v);
}

static int run_once(const sandbox_spec *spec, sandbox_result *res, strbuf *err)
{
    memset(res, 0, sizeof *res);
    running r = {0};
    name_set shm = {0};
    const int sweep = mounts == MOUNTS_SHARED; /* else runs have their own */
    if (sweep)
        shm_names(&shm);
    if (spawn(spec, &r, err) != 0) {
        if (sweep)
            shm_sweep(&shm);
        return -1;
    }
    supervise(spec, &r, res);
    await_report(spec, &r, res);
    res->pid = r.pid;
    res->leftovers = kill_tree(r.pid, &r.status, &r.reaped);
    if (!r.reaped && waitpid(r.pid, &r.status, 0) == r.pid)
        r.reaped = 1;
    res->wall_s = monotonic_seconds() - r.start;
    drain(r.st);
    collect(&r, res);
    if (sweep)
        shm_sweep(&shm);
    return 0;
}

/* Did the child stop before the program because its pid path was taken? */
static int pid_path_was_busy(const sandbox_result *res)
{
    return res->exited && res->exit_code == PID_PATH_BUSY && res->err &&
           strcmp(res->err, PID_PATH_BUSY_MSG) == 0;
}

int sandbox_run(const sandbox_spec *spec, sandbox_result *res, strbuf *err)
{
    for (int attempt = 0;; attempt++) {
        const int status = run_once(spec, res, err);
        if (status != 0 || attempt == 7 || !pid_path_was_busy(res))
            return status;
        sandbox_result_free(res);
    }
}

void sandbox_result_free(sandbox_result *res)
{
    free(res->out);
    free(res->err);
    free(res->report);
    res->out = res->err = res->report = NULL;
}

/* private_mounts.c: see private_mounts.h. */
#include "sandbox/private_mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_BOUND = 32 };

/* The private /dev/shm's size: Criterion's arena and a test's own shared
 * memory; tmpfs pages are not in the run's resident set, so this bounds
 * what a run can hold there beyond its memory limit. */
#define SHM_SIZE "64m"

/* mount_setattr(2) (Linux 5.12), spelled out here because the installed
 * headers may predate it (named apart from <linux/mount.h>'s). */
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#define SETATTR_RECURSIVE 0x8000 /* AT_RECURSIVE */
#define SETATTR_RDONLY 0x1ULL    /* MOUNT_ATTR_RDONLY */
typedef struct {
    unsigned long long attr_set, attr_clr, propagation, userns_fd;
} mount_attributes;

const char *mounts_kind_name(mounts_kind kind)
{
    switch (kind) {
    case MOUNTS_AS_ROOT: return "root";
    case MOUNTS_USER_NS: return "user_namespace";
    case MOUNTS_SHARED: break;
    }
    return "none";
}

/* ---- the user namespace -------------------------------------------------- */

static int write_text(const char *path, const char *text)
{
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    const size_t len = strlen(text);
    const ssize_t n = write(fd, text, len);
    const int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)len ? 0 : -1;
}

/* A user namespace (with a mount namespace) in which the caller is still
 * itself: its uid and gid map to themselves, nothing else is mapped, and
 * setgroups is denied (the kernel's condition for an unprivileged gid
 * map). Returns 1 when refused (nothing changed), 0 in it, -1 when the
 * namespace was made but the maps could not be written (the caller is
 * then nobody it can use). */
static int enter_user_namespace(void)
{
    const uid_t uid = geteuid();
    const gid_t gid = getegid();
    /* A process that changed its uid itself (a grader started by root's
     * setuid) is not dumpable, and its /proc/self files belong to root;
     * the program's execve decides again anyway. */
    prctl(PR_SET_DUMPABLE, 1);
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
        return 1;
    char map[64];
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
    if (write_text("/proc/self/uid_map", map) != 0)
        return -1;
    if (write_text("/proc/self/setgroups", "deny") != 0)
        return -1;
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
    return write_text("/proc/self/gid_map", map) != 0 ? -1 : 0;
}

/* Inside the run's user namespace, while it still has its capabilities:
 * no process of the run may create another user namespace (the one way
 * to get capabilities back), then every capability goes. */
static int give_up_capabilities(void)
{
    (void)write_text("/proc/sys/user/max_user_namespaces", "0");
    struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct none[2];
    memset(none, 0, sizeof none);
    return syscall(SYS_capset, &head, none) == 0 ? 0 : -1;
}

/* ---- the mounts -----------------------------------------------------------
 */

typedef struct {
    const char *path;
    int fd;       /* O_PATH of the real one, opened before /tmp is replaced */
    int writable; /* bound read-write (else read-only) */
} bound_path;

static int below_tmp(const char *p)
{
    return p &&
           (strncmp(p, "/tmp/", 5) == 0 || strncmp(p, "/dev/shm/", 9) == 0);
}

/* Whether the run may write below path: everywhere when its writes are
 * not restricted, else only in its writable folder. */
static int may_write(const mount_plan *plan, const char *path)
{
    const char *w = plan->writable_dir;
    if (w == NULL)
        return 1;
    const size_t n = strlen(w);
    return strncmp(path, w, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void keep_path(const mount_plan *plan, bound_path *b, size_t *n,
                      const char *p)
{
    if (!below_tmp(p) || *n == MAX_BOUND)
        return;
    const int fd = open(p, O_PATH | O_CLOEXEC);
    if (fd >= 0)
        b[(*n)++] = (bound_path){p, fd, may_write(plan, p)};
}

/* mkdir -p of path (its parent only when it names a file). */
static void make_mount_point(const char *path, int is_dir)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            (void)mkdir(buf, 0755);
            *p = '/';
        }
    if (is_dir)
        (void)mkdir(buf, 0755);
    else
        close(open(buf, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
}

/* Makes the mount at path, and every mount below it, read-only. */
static void make_read_only(const char *path)
{
    mount_attributes attr = {.attr_set = SETATTR_RDONLY};
    if (syscall(SYS_mount_setattr, AT_FDCWD, path, SETATTR_RECURSIVE, &attr,
                sizeof attr) == 0)
        return;
    /* before Linux 5.12: the top mount only, keeping the flags a user
     * namespace may not clear */
    static const struct {
        unsigned long st, ms;
    } keep[] = {
        {ST_NOSUID, MS_NOSUID},         {ST_NODEV, MS_NODEV},
        {ST_NOEXEC, MS_NOEXEC},         {ST_NOATIME, MS_NOATIME},
        {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
    };
    struct statvfs sv;
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
    if (statvfs(path, &sv) == 0)
        for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
            if (sv.f_flag & keep[i].st)
                flags |= keep[i].ms;
    (void)mount(NULL, path, NULL, flags, NULL);
}

static void bind_back(const bound_path *b)
{
    struct stat st;
    char from[64];
    snprintf(from, sizeof from, "/proc/self/fd/%d", b->fd);
    if (fstat(b->fd, &st) == 0) {
        make_mount_point(b->path, S_ISDIR(st.st_mode));
        if (mount(from, b->path, NULL, MS_BIND | MS_REC, NULL) == 0 &&
            !b->writable)
            make_read_only(b->path);
    }
    close(b->fd);
}

static void hide(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode))
        (void)mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
                    "size=4k,mode=0555");
    else
        (void)mount("/dev/null", path, NULL, MS_BIND, NULL);
}

/* In a fresh mount namespace: the new /tmp and /dev/shm, the run's paths
 * below them bound back (read-only ones first, so that a writable folder
 * inside a read-only one is bound over it), the hidden paths covered. The
 * paths to keep are opened inside the new namespace, before /tmp is
 * covered: a bind mount takes its source from the caller's own namespace
 * only. Returns 0, or -1 with errno. */
static int make_mounts(const mount_plan *plan)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return -1;
    bound_path keep[MAX_BOUND];
    size_t n = 0;
    keep_path(plan, keep, &n, plan->cwd);
    keep_path(plan, keep, &n, plan->writable_dir);
    keep_path(plan, keep, &n, plan->program);
    for (const char *const *p = plan->readable; p && *p; p++)
        keep_path(plan, keep, &n, *p);
    if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
              "mode=1777,size=8m") != 0 ||
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
              "mode=1777,size=" SHM_SIZE) != 0) {
        const int saved = errno;
        for (size_t i = 0; i < n; i++)
            close(keep[i].fd);
        errno = saved;
        return -1;
    }
    for (int writable = 0; writable <= 1; writable++)
        for (size_t i = 0; i < n; i++)
            if (keep[i].writable == writable)
                bind_back(&keep[i]);
    for (char *const *p = plan->hidden; p && *p; p++)
        hide(*p);
    return 0;
}

int mounts_enter(mounts_kind kind, const mount_plan *plan)
{
    switch (kind) {
    case MOUNTS_SHARED: return 0;
    case MOUNTS_AS_ROOT:
        return unshare(CLONE_NEWNS) == 0 ? make_mounts(plan) : -1;
    case MOUNTS_USER_NS:
        if (enter_user_namespace() != 0 || make_mounts(plan) != 0)
            return -1;
        return give_up_capabilities();
    }
    return -1;
}

/* ---- the probe ------------------------------------------------------------
 */

mounts_kind mounts_probe(void)
{
    const mounts_kind want = geteuid() == 0 ? MOUNTS_AS_ROOT : MOUNTS_USER_NS;
    const char *no = getenv("LLMLINGS_NO_USERNS");
    if (want == MOUNTS_USER_NS && no && no[0] == '1')
        return MOUNTS_SHARED;
    const pid_t pid = fork();
    if (pid < 0)
        return MOUNTS_SHARED;
    if (pid == 0) {
        const mount_plan nothing = {0};
        _exit(mounts_enter(want, &nothing) == 0 ? 0 : 1);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return MOUNTS_SHARED;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? want : MOUNTS_SHARED;
}

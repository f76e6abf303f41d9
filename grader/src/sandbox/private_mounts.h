/* private_mounts.h: a run's own view of the file system, made in the
 * run's child process before the program starts (sandbox.c).
 *
 * The child enters a mount namespace of its own: as root directly; as an
 * ordinary user inside a user namespace that maps the user (and its group)
 * to itself, where the kernel lets unprivileged users create one. There
 * /tmp and /dev/shm are fresh tmpfs (the run sees nothing another run left
 * there, removes nothing of theirs, and what it leaves dies with it), the
 * run's own paths below them are bound back in (read-only unless the run
 * may write them), and the hidden paths are covered by an empty read-only
 * folder (or /dev/null for a file).
 *
 * What the user namespace gives the child: every capability inside it,
 * over mounts of its own namespace only. mounts_enter drops them all
 * before it returns, and forbids further user namespaces inside this one
 * (so no process of the run can get capabilities back); the program then
 * runs as the user, without capabilities, under PR_SET_NO_NEW_PRIVS and
 * Landlock (which also refuses mount and umount). A namespace made inside
 * anyway could not reveal what is covered: mounts that come from a more
 * privileged namespace are locked together there. */
#ifndef GRADER_PRIVATE_MOUNTS_H
#define GRADER_PRIVATE_MOUNTS_H

/* How runs get their own /tmp, /dev/shm and hidden paths. */
typedef enum {
    MOUNTS_SHARED = 0, /* not at all: the user namespace was refused */
    MOUNTS_AS_ROOT,    /* the grader is root: a mount namespace */
    MOUNTS_USER_NS,    /* an ordinary user: a user and mount namespace */
} mounts_kind;

/* What one run needs to see. */
typedef struct {
    const char *cwd;
    const char *writable_dir;    /* the folder it may write; NULL: any */
    const char *program;         /* argv[0] */
    const char *const *readable; /* NULL-ended, or NULL */
    char *const *hidden;         /* paths to cover, NULL-ended, or NULL */
} mount_plan;

/* Which kind this process's runs can get. As an ordinary user this tries
 * a user namespace in a short-lived child (once per grader process);
 * LLMLINGS_NO_USERNS=1 in the grader's environment answers MOUNTS_SHARED,
 * which tests the fallback of kernels that refuse user namespaces. */
mounts_kind mounts_probe(void);

/* A word for the kind, for messages and the results document. */
const char *mounts_kind_name(mounts_kind kind);

/* In the run's child, before it becomes the run user (as root) or starts
 * the program: makes the private view of the given kind. Returns 0 when
 * it is in place (or kind is MOUNTS_SHARED), -1 with errno when it could
 * not be made: the child must not run the program then. */
int mounts_enter(mounts_kind kind, const mount_plan *plan);

#endif

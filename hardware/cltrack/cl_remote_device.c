/* cl_remote_device.c: the device process (cl_remote_device.h): accepting
 * host processes, one process each, and the report at the end. The
 * requests themselves are served by cl_remote_serve (cl_remote_serve.c). */
#define _GNU_SOURCE
#include "cl_remote_device.h"

#include "cl_remote_protocol.h"
#include "device_report.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* After the runner ends, clients still connected get this long to finish
 * (Criterion's runner waits for its workers, so an honest run has none). */
#define GRACE_MS 5000

static pid_t g_runner;
static pid_t *g_clients; /* the processes serving a host process now */
static size_t g_nclients, g_cap_clients;

static void client_started(pid_t pid)
{
    if (g_nclients == g_cap_clients) {
        size_t cap = g_cap_clients ? 2 * g_cap_clients : 16;
        pid_t *p = realloc(g_clients, cap * sizeof *p);
        if (p == NULL) {
            kill(pid, SIGKILL); /* cannot be waited for: not served */
            return;
        }
        g_clients = p;
        g_cap_clients = cap;
    }
    g_clients[g_nclients++] = pid;
}

static void client_ended(pid_t pid)
{
    for (size_t i = 0; i < g_nclients; i++)
        if (g_clients[i] == pid) {
            g_clients[i] = g_clients[--g_nclients];
            return;
        }
}

/* The parent of pid, from /proc (0 when unknown). */
static pid_t parent_of(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')');
    int ppid = 0;
    char state;
    if (close_paren == NULL ||
        sscanf(close_paren + 1, " %c %d", &state, &ppid) != 2)
        return 0;
    return (pid_t)ppid;
}

/* Only the program that started the device and its descendants (the
 * Criterion workers) may use it; where /proc does not show the client's
 * parent at all, a client of the same user is served. */
static int client_allowed(int fd)
{
    struct ucred cr = {0};
    socklen_t len = sizeof cr;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0 ||
        cr.uid != getuid())
        return 0;
    pid_t p = cr.pid;
    for (int depth = 0; depth < 64 && p > 1; depth++) {
        if (p == g_runner)
            return 1;
        pid_t parent = parent_of(p);
        if (parent == 0 && depth == 0)
            return 1; /* no /proc to ask */
        p = parent;
    }
    fprintf(stderr,
            "cltrack: judge mode: the OpenCL device process refused a "
            "connection from process %d, which the test program did not "
            "start\n",
            (int)cr.pid);
    fflush(stderr);
    return 0;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Reaps ended clients; a client's device process killed by a signal (a
 * kernel that crashed it) is the report's fault. */
static void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        client_ended(pid);
        if (WIFSIGNALED(status)) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "the OpenCL device process of a test was killed by "
                     "signal %d (%s): a kernel crashed it, or it ran out of "
                     "time",
                     WTERMSIG(status), strsignal(WTERMSIG(status)));
            report_fault(msg);
        }
    }
}

static void serve_new_client(int listen_fd, int runner_fd, int report_fd)
{
    int c = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return;
    if (!client_allowed(c)) {
        close(c);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        /* Only the device itself writes the report. */
        close(listen_fd);
        close(report_fd);
        if (runner_fd >= 0)
            close(runner_fd);
        cl_remote_serve(c);
    }
    close(c);
    if (pid > 0)
        client_started(pid);
}

void cl_remote_device_main(int report_fd, int listen_fd, pid_t runner)
{
    g_runner = runner;
    prctl(PR_SET_DUMPABLE, 0);
    /* Programs the device runs (PoCL's linker, when it builds a kernel)
     * must neither start a device of their own nor write a report. */
    unsetenv(CL_REMOTE_REPORT_VAR);
    fcntl(report_fd, F_SETFD, FD_CLOEXEC);
    signal(SIGPIPE, SIG_IGN);
    if (report_init() != 0)
        _exit(3);
    /* Readable when the runner has ended (a pidfd: the program cannot close
     * the device's descriptors); -1 where the kernel has none. */
    int runner_fd = (int)syscall(SYS_pidfd_open, runner, 0);
    int runner_alive = 1;
    long long deadline = 0;
    for (;;) {
        reap();
        if (!runner_alive && g_nclients == 0) {
            struct pollfd p = {listen_fd, POLLIN, 0};
            if (poll(&p, 1, 0) <= 0)
                break; /* nobody waiting either */
        }
        if (!runner_alive && now_ms() > deadline) {
            for (size_t i = 0; i < g_nclients; i++)
                kill(g_clients[i], SIGKILL); /* outlived their runner */
            report_fault("the OpenCL device process of a test was still "
                         "serving it 5 s after the program ended (a kernel "
                         "that never finishes?) and was killed");
            break;
        }
        struct pollfd p[2] = {{listen_fd, POLLIN, 0}, {runner_fd, POLLIN, 0}};
        int watch = runner_alive && runner_fd >= 0;
        int wait_ms =
            g_nclients > 0 || !runner_alive || runner_fd < 0 ? 50 : -1;
        if (poll(p, watch ? 2 : 1, wait_ms) < 0 && errno == EINTR)
            continue;
        if (p[0].revents & POLLIN)
            serve_new_client(listen_fd, runner_fd, report_fd);
        if (runner_alive && (watch ? (p[1].revents & POLLIN) != 0
                                   : kill(runner, 0) != 0 && errno == ESRCH)) {
            runner_alive = 0;
            deadline = now_ms() + GRACE_MS;
        }
    }
    report_write(report_fd);
    _exit(0);
}

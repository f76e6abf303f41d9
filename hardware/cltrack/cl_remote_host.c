/* cl_remote_host.c: judge mode's host side (cl_remote.h): starting or
 * joining the device process, and the channel every request travels on
 * (cl_remote_client.h). The served entry points are in cl_remote_objects.c
 * and cl_remote_commands.c, the refused ones in cl_remote_refused.c. */
#define _GNU_SOURCE
#include "cl_remote_client.h"
#include "cl_remote_device.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int g_active;
static char g_socket_name[96];
static int g_chan = -1;
static pid_t g_chan_pid;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int cltrack_remote_active(void)
{
    return g_active;
}

/* ---- the channel ---------------------------------------------------------
 */

void remote_fail(const char *what)
{
    fprintf(stderr,
            "cltrack: judge mode: %s (OpenCL runs in a separate device "
            "process; did it die?)\n",
            what);
    fflush(stderr);
    abort();
}

static int channel(void)
{
    if (g_chan >= 0 && g_chan_pid == getpid())
        return g_chan;
    if (g_chan >= 0)
        close(g_chan); /* a fork's copy: this process gets its own device */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    size_t name_len = strlen(g_socket_name);
    memcpy(a.sun_path + 1, g_socket_name, name_len);
    socklen_t len =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + name_len);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, len) != 0)
        remote_fail("cannot connect to the device process");
    g_chan = fd;
    g_chan_pid = getpid();
    return fd;
}

void reply_done(reply *r)
{
    free(r->data);
    r->data = NULL;
}

cl_int remote_call(enum cl_remote_op op, wire_out *args, reply *r)
{
    if (args->failed)
        remote_fail("out of memory for a request");
    pthread_mutex_lock(&g_lock);
    fflush(stdout); /* host output before the kernel's, in order */
    fflush(stderr);
    int fd = channel();
    wire_header h;
    unsigned char *data;
    if (wire_send(fd, op, 0, args) != 0 || wire_recv(fd, &h, &data) != 0)
        remote_fail("no reply from the device process");
    pthread_mutex_unlock(&g_lock);
    out_free(args);
    r->data = data;
    r->in = (wire_in){data, data + h.len, 0};
    return h.status;
}

cl_int remote_call_status(enum cl_remote_op op, wire_out *args)
{
    reply r;
    cl_int e = remote_call(op, args, &r);
    reply_done(&r);
    return e;
}

void out_wait_list(wire_out *o, cl_uint n, const cl_event *events)
{
    out_u64(o, events ? n : 0);
    out_u64(o, n > 0 && events == NULL); /* the device says it is invalid */
    for (cl_uint i = 0; events != NULL && i < n; i++)
        out_u64(o, id_of(events[i]));
}

void *object_reply(cl_int e, reply *r, cl_int *errcode_ret)
{
    uint64_t id = in_u64(&r->in);
    reply_done(r);
    if (errcode_ret != NULL)
        *errcode_ret = e;
    return e == CL_SUCCESS ? handle_of(id) : NULL;
}

void event_reply(cl_int e, reply *r, cl_event *event)
{
    uint64_t id = in_u64(&r->in);
    if (e == CL_SUCCESS && event != NULL)
        *event = handle_of(id);
}

void *remote_grow(void *p, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return p;
    size_t c = *cap ? 2 * *cap : 32;
    void *q = realloc(p, c * elem);
    if (q == NULL)
        remote_fail("out of memory");
    *cap = c;
    return q;
}

void cl_remote_gpu_origin(unsigned long long *kernel_bytes,
                          unsigned long long *host_bytes)
{
    wire_out o = {0};
    reply r;
    remote_call(OP_GPU_ORIGIN, &o, &r);
    *kernel_bytes = in_u64(&r.in);
    *host_bytes = in_u64(&r.in);
    reply_done(&r);
}

/* ---- starting or joining the device process ------------------------------
 */

__attribute__((noreturn)) static void start_fail(const char *what)
{
    fprintf(stderr, "cltrack: judge mode: %s\n", what);
    fflush(stderr);
    _exit(2);
}

/* The id range: reserved, never mapped, so no id is a host address. */
static void reserve_ids(void)
{
    void *m =
        mmap((void *)(uintptr_t)CL_REMOTE_ID_BASE, CL_REMOTE_ID_SPAN, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (m != (void *)(uintptr_t)CL_REMOTE_ID_BASE)
        start_fail("cannot reserve the address range of OpenCL handles");
}

static void start_device(const char *fd_text)
{
    char *end = NULL;
    long report_fd = strtol(fd_text, &end, 10);
    if (end == fd_text || *end || report_fd < 0 || report_fd > 65535 ||
        fcntl((int)report_fd, F_GETFD) < 0) {
        fprintf(stderr,
                "cltrack: judge mode: %s=%s is not an open file descriptor\n",
                CL_REMOTE_REPORT_VAR, fd_text);
        _exit(2);
    }
    reserve_ids();
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        start_fail("getrandom failed");
    char name[80];
    int len =
        snprintf(name, sizeof name, "llmlings-cltrack-%d-", (int)getpid());
    for (size_t i = 0; i < sizeof rnd; i++)
        len += snprintf(name + len, sizeof name - (size_t)len, "%02x", rnd[i]);
    int listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    memcpy(a.sun_path + 1, name, (size_t)len);
    socklen_t alen =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)len);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a, alen) != 0 ||
        listen(listen_fd, 64) != 0)
        start_fail("cannot open the device socket");
    fflush(stdout);
    fflush(stderr);
    pid_t runner = getpid();
    /* Forked twice, so that the device is not a child of the program:
     * Criterion's runner reaps every child it has, and host code cannot
     * wait for it. */
    pid_t pid = fork();
    if (pid < 0)
        start_fail("cannot fork the device process");
    if (pid == 0) {
        pid_t device = fork();
        if (device == 0)
            cl_remote_device_main((int)report_fd, listen_fd, runner);
        _exit(device < 0 ? 2 : 0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        start_fail("the fork of the device process failed");
    close(listen_fd);
    close((int)report_fd);
    unsetenv(CL_REMOTE_REPORT_VAR);
    setenv(CL_REMOTE_SOCKET_VAR, name, 1);
    snprintf(g_socket_name, sizeof g_socket_name, "%s", name);
    g_active = 1;
}

static void join_device(const char *name)
{
    if (strlen(name) >= sizeof g_socket_name)
        start_fail(CL_REMOTE_SOCKET_VAR " is not a device name");
    reserve_ids();
    snprintf(g_socket_name, sizeof g_socket_name, "%s", name);
    g_active = 1;
}

/* Before the program's own initialisers and main: no code of the test or
 * of the student has run yet. */
__attribute__((constructor(101))) static void judge_mode_start(void)
{
    const char *fd = getenv(CL_REMOTE_REPORT_VAR);
    const char *name = getenv(CL_REMOTE_SOCKET_VAR);
    if (fd != NULL)
        start_device(fd);
    else if (name != NULL)
        join_device(name);
}

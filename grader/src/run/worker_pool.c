/* worker_pool.c: see worker_pool.h.
 *
 * Each worker has a pipe (the parent reads, the worker writes) and a
 * place in an array of `width`; the parent polls the pipes of the running
 * workers, keeps what they write, and on end of file reaps the worker and
 * hands its result on. Reading while the workers still write lets a
 * result be larger than a pipe holds.
 *
 * The interrupt signals stay blocked while a pool runs but for its wait
 * (ppoll), so one that comes just before the wait cuts it short instead
 * of being noted only once a worker ends. */
#include "run/worker_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "sandbox/sandbox.h"

/* ---- interrupts --------------------------------------------------------- */

static volatile sig_atomic_t interrupted;  /* the signal, or 0 */
static volatile sig_atomic_t pool_running; /* a pool runs in this process */

static void on_interrupt(int sig)
{
    if (!pool_running) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    interrupted = sig;
}

void worker_pool_catch_interrupts(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal the caller ignores (nohup, a background job) stays so */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

static void interrupt_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

/* ---- the workers -------------------------------------------------------- */

typedef struct {
    pid_t pid; /* 0: the place is free */
    int fd;    /* the read end of its pipe */
    size_t job;
    strbuf data; /* what it wrote so far */
} worker;

/* One run of a pool. */
typedef struct {
    const worker_pool *p;
    worker *w; /* the places */
    size_t nw;
    sigset_t mask; /* the signal mask outside the pool */
} pool_run;

/* The worker's side: does the job, writes its result, exits 0 (1 when
 * the result could not be written whole). */
static _Noreturn void worker_main(const pool_run *r, size_t job, int slot,
                                  pid_t parent, int fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* the parent died before the line above */
        _exit(1);
    signal(SIGINT, SIG_DFL); /* the parent cleans up (die_interrupted) */
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigprocmask(SIG_SETMASK, &r->mask, NULL);
    strbuf out = {0};
    r->p->work(job, slot, &out, r->p->ctx);
    _exit(fd_write_all(fd, sb_str(&out), out.len) == 0 ? 0 : 1);
}

pid_t worker_fork(int *fd, strbuf *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        sb_printf(err, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    const pid_t pid = fork();
    if (pid < 0) {
        sb_printf(err, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    close(fds[pid == 0 ? 0 : 1]);
    *fd = fds[pid == 0 ? 1 : 0];
    return pid;
}

static int start_worker(const pool_run *r, size_t job, int slot, strbuf *err)
{
    const pid_t parent = getpid();
    int fd = -1;
    const pid_t pid = worker_fork(&fd, err);
    if (pid < 0)
        return -1;
    if (pid == 0)
        worker_main(r, job, slot, parent, fd);
    r->w[slot] = (worker){.pid = pid, .fd = fd, .job = job};
    return 0;
}

/* Reaps worker w (after the end of its pipe), hands its result to
 * on_result and frees its place. Returns on_result's answer. */
static int finish_worker(const worker_pool *p, worker *w, strbuf *err)
{
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    close(w->fd);
    const worker_result r = {
        .data = sb_str(&w->data),
        .len = w->data.len,
        .status = status,
        .complete = WIFEXITED(status) && WEXITSTATUS(status) == 0,
    };
    const int rc = p->on_result(w->job, &r, p->ctx, err);
    sb_free(&w->data);
    *w = (worker){0};
    return rc;
}

/* Tells on_change which jobs run now. */
static void report_change(const pool_run *r)
{
    if (r->p->on_change == NULL)
        return;
    size_t *running = xcalloc(r->nw, sizeof *running), n = 0;
    for (size_t k = 0; k < r->nw; k++)
        if (r->w[k].pid)
            running[n++] = r->w[k].job;
    r->p->on_change(running, n, r->p->ctx);
    free(running);
}

/* Reads what worker w wrote; 1 when its pipe has ended (or failed: the
 * worker is then killed, as its result can no longer be read), else 0. */
static int read_worker(worker *w)
{
    char buf[8192];
    const ssize_t got = read(w->fd, buf, sizeof buf);
    if (got > 0) {
        sb_append(&w->data, buf, (size_t)got);
        return 0;
    }
    if (got < 0 && errno == EINTR)
        return 0;
    if (got < 0)
        kill(w->pid, SIGKILL);
    return 1;
}

/* Waits for the running workers to write or end; finishes those ended.
 * Returns 0, or -1 when a finish said so or the pipes cannot be polled
 * (then every worker is killed and finished). */
static int collect_workers(const pool_run *r, strbuf *err)
{
    struct pollfd *fds = xcalloc(r->nw, sizeof *fds);
    size_t *at = xcalloc(r->nw, sizeof *at), n = 0;
    for (size_t k = 0; k < r->nw; k++)
        if (r->w[k].pid) {
            fds[n] = (struct pollfd){r->w[k].fd, POLLIN, 0};
            at[n++] = k;
        }
    int rc = 0;
    const int polled = ppoll(fds, n, NULL, &r->mask);
    const int broken = polled < 0 && errno != EINTR;
    if (broken) {
        sb_printf(err, "poll: %s", strerror(errno));
        rc = -1;
    }
    for (size_t i = 0; i < n && (polled > 0 || broken); i++) {
        worker *x = &r->w[at[i]];
        if (broken) /* the pipes cannot be waited on: end every worker */
            kill(x->pid, SIGKILL);
        else if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)) ||
                 !read_worker(x))
            continue;
        if (finish_worker(r->p, x, err) != 0)
            rc = -1;
        report_change(r);
    }
    free(at);
    free(fds);
    return rc;
}

/* Kills the workers and everything below the grader, then dies of the
 * signal. */
static _Noreturn void die_interrupted(const pool_run *r)
{
    for (size_t k = 0; k < r->nw; k++)
        if (r->w[k].pid)
            kill(r->w[k].pid, SIGKILL);
    (void)sandbox_kill_descendants();
    const int sig = interrupted;
    signal(sig, SIG_DFL);
    sigset_t set;
    interrupt_signals(&set);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);
}

/* The first free place, or nw when every place is taken. */
static size_t free_place(const pool_run *r)
{
    for (size_t k = 0; k < r->nw; k++)
        if (r->w[k].pid == 0)
            return k;
    return r->nw;
}

static size_t count_running(const pool_run *r)
{
    size_t n = 0;
    for (size_t k = 0; k < r->nw; k++)
        n += r->w[k].pid != 0;
    return n;
}

int worker_pool_run(const worker_pool *p, strbuf *err)
{
    const size_t width = p->width < 1 ? 1 : (size_t)p->width;
    pool_run r = {.p = p, .nw = width < p->njobs ? width : p->njobs};
    if (r.nw == 0)
        return 0;
    r.w = xcalloc(r.nw, sizeof *r.w);
    sigset_t interrupts;
    interrupt_signals(&interrupts);
    sigprocmask(SIG_BLOCK, &interrupts, &r.mask);
    const sig_atomic_t was_running = pool_running;
    size_t next = 0;
    int rc = 0, stopped = 0;
    pool_running = 1;
    for (;;) {
        if (interrupted)
            die_interrupted(&r);
        const size_t place = free_place(&r);
        if (rc == 0 && !stopped && next < p->njobs && place < r.nw) {
            const size_t job = next;
            const job_start what =
                p->before_start ? p->before_start(job, p->ctx) : JOB_START;
            if (what == JOB_STOP) {
                stopped = 1;
                continue;
            }
            next++;
            if (what == JOB_SKIP)
                continue;
            if (start_worker(&r, job, (int)place, err) != 0)
                rc = -1;
            else
                report_change(&r);
            continue;
        }
        if (count_running(&r) == 0)
            break;
        if (collect_workers(&r, err) != 0)
            rc = -1;
    }
    pool_running = was_running;
    sigprocmask(SIG_SETMASK, &r.mask, NULL);
    free(r.w);
    return rc;
}

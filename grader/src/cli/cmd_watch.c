/* cmd_watch.c: `grader watch` (commands.h), the student's main loop:
 * re-check the current exercise on every save, show the verdict, move on
 * when it passes.
 *
 * One loop waits with poll(2) on two things: inotify events for the
 * folders holding the files the student edits (the exercise's and those of
 * the exercises it links), and single keys on stdin. Watching folders, not
 * files, sees every way an editor saves: in place (IN_CLOSE_WRITE) or by
 * writing a new file and renaming it over the old one (IN_MOVED_TO).
 *
 * Where inotify misses saves (WSL's /mnt/c, network mounts) Enter always
 * re-checks, and --poll SECONDS (or LLMLINGS_WATCH_POLL) compares the
 * files' mtimes and sizes every few seconds. Polling turns itself on when
 * inotify is unavailable and on WSL's Windows drives;
 * LLMLINGS_WATCH_NO_INOTIFY=1 forces polling alone.
 *
 * Keys: h hint, l list, r reset (asks y/n, then runs `grader reset EX
 * --yes`), n next (once it passes), s skip, q quit, Enter re-check. A
 * check runs in a child process (checker.h): a save or Enter starts it
 * over; q, Ctrl-C, n, s and a reset cancel it, killing its tests. When
 * stdin is not a terminal the same bytes work as keys, so scripts and
 * tests can drive it (they wait for each verdict); end of input quits. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/exit_codes.h"
#include "base/files.h"
#include "base/i18n.h"
#include "base/term.h"
#include "cli/checker.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "cli/standing.h"
#include "grade/grading.h"
#include "integrity/integrity.h"
#include "report/table.h"
#include "workbook/hints.h"
#include "workbook/progress.h"

enum { MAX_WATCHED = 64, DEBOUNCE_MS = 40, DEBOUNCE_MAX_MS = 400 };

typedef struct {
    const workbook *wb;
    graded_view view; /* the workbook's own view: what navigation reads */
    result_cache *cache;
    int color;
    progress p;
    const exercise *cur;
    exercise_verdict last; /* verdict of the last check of cur */
    int checked;           /* cur has been checked at least once */
    int ifd;               /* inotify, or -1 */
    int wd[MAX_WATCHED];
    const exercise *wd_ex[MAX_WATCHED];
    size_t nwd;
    double poll_s; /* 0: no polling */
    uint64_t sig;  /* mtimes and sizes of the edited files, for polling */
    int keys;      /* stdin is a terminal in single-key mode */
    int input_open;
    checker chk;              /* the check running, if any */
    const exercise *checking; /* the exercise it checks */
    exercise_result shown;    /* the verdict on screen (of cur)... */
    char *shown_notice;       /* ...and its integrity line */
    int have_shown;
    size_t hints_shown; /* hints of cur on screen under the verdict */
    int asking_reset;   /* r was pressed: the next key answers y or n */
    char *flash;        /* one line for the top of the next screen */
} watch;

/* Ctrl-C, SIGTERM, SIGHUP: a byte on this pipe, so the loop cancels the
 * check (killing its tests) and leaves in order. */
static int signal_pipe[2] = {-1, -1};

static void on_quit_signal(int sig)
{
    (void)sig;
    const char byte = 'q';
    (void)!write(signal_pipe[1], &byte, 1);
}

static void catch_quit_signals(void)
{
    if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* ---- what is watched ----------------------------------------------------- */

/* cur and everything it links, each once. */
static size_t watched_exercises(const watch *w, const exercise **out,
                                size_t cap)
{
    size_t n = 0;
    out[n++] = w->cur;
    for (size_t i = 0; i < n && n < cap; i++)
        for (size_t k = 0; k < out[i]->links.n && n < cap; k++) {
            const exercise *l = manifest_find(&w->wb->m, out[i]->links.v[k]);
            int seen = l == NULL;
            for (size_t j = 0; j < n && !seen; j++)
                seen = out[j] == l;
            if (!seen)
                out[n++] = l;
        }
    return n;
}

static char *exercise_dir(const watch *w, const exercise *ex)
{
    strbuf sb = {0};
    sb_printf(&sb, "%s/exercises/%s", w->wb->root, ex->id);
    return sb_steal(&sb);
}

/* FNV-1a over (path, mtime, size, inode) of every edited file. */
static uint64_t signature(const watch *w)
{
    const exercise *exs[MAX_WATCHED];
    size_t n = watched_exercises(w, exs, MAX_WATCHED);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < exs[i]->edit.n; k++) {
            char *dir = exercise_dir(w, exs[i]);
            char *path = path_join(dir, exs[i]->edit.v[k]);
            struct stat st;
            int64_t v[4] = {0, 0, 0, 0};
            if (stat(path, &st) == 0) {
                v[0] = (int64_t)st.st_mtim.tv_sec;
                v[1] = (int64_t)st.st_mtim.tv_nsec;
                v[2] = (int64_t)st.st_size;
                v[3] = (int64_t)st.st_ino;
            }
            const unsigned char *b = (const unsigned char *)v;
            for (size_t j = 0; j < sizeof v; j++)
                h = (h ^ b[j]) * 1099511628211ull;
            free(path);
            free(dir);
        }
    return h;
}

static void unwatch_all(watch *w)
{
    for (size_t i = 0; i < w->nwd; i++)
        inotify_rm_watch(w->ifd, w->wd[i]);
    w->nwd = 0;
}

static void watch_current(watch *w)
{
    w->sig = signature(w);
    if (w->ifd < 0)
        return;
    unwatch_all(w);
    const exercise *exs[MAX_WATCHED];
    size_t n = watched_exercises(w, exs, MAX_WATCHED);
    for (size_t i = 0; i < n; i++) {
        char *dir = exercise_dir(w, exs[i]);
        int wd = inotify_add_watch(w->ifd, dir,
                                   IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
                                       IN_DELETE_SELF | IN_MOVE_SELF);
        if (wd >= 0) {
            w->wd[w->nwd] = wd;
            w->wd_ex[w->nwd++] = exs[i];
        } else {
            fprintf(stderr, _("grader: cannot watch %s: %s\n"), dir,
                    strerror(errno));
        }
        free(dir);
    }
}

/* Does this event touch a file the student edits? */
static int relevant(const watch *w, const struct inotify_event *e)
{
    if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_Q_OVERFLOW))
        return 1;
    if (e->len == 0)
        return 0;
    for (size_t i = 0; i < w->nwd; i++) {
        if (w->wd[i] != e->wd)
            continue;
        const exercise *ex = w->wd_ex[i];
        for (size_t k = 0; k < ex->edit.n; k++)
            if (strcmp(ex->edit.v[k], e->name) == 0)
                return 1;
    }
    return 0;
}

/* Reads what is queued; returns 1 when any event matters. */
static int drain_events(const watch *w)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    int hit = 0;
    for (;;) {
        ssize_t len = read(w->ifd, buf, sizeof buf);
        if (len <= 0)
            return hit;
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            hit |= relevant(w, e);
            p += sizeof *e + e->len;
        }
    }
}

/* An editor's save is often several events (write, rename, chmod): wait
 * until the folder is quiet for a moment, then check once. */
static void debounce(const watch *w)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct pollfd pf = {w->ifd, POLLIN, 0};
        if (poll(&pf, 1, DEBOUNCE_MS) <= 0)
            return;
        drain_events(w);
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >
            DEBOUNCE_MAX_MS)
            return;
    }
}

/* ---- checking ------------------------------------------------------------ */

static void print_keys(const watch *w)
{
    fprintf(stdout,
            _("\n%skeys: h hint · l list · r reset · n next · s skip · "
              "q quit · Enter re-check%s\n"),
            paint(w->color, DIM), paint(w->color, RESET));
    if (w->poll_s > 0)
        fprintf(stdout, _("%s(checking the files for changes every %g s)%s\n"),
                paint(w->color, DIM), w->poll_s, paint(w->color, RESET));
    fflush(stdout);
}

/* The hints revealed so far, once each, under the verdict. */
static void print_hint_block(const watch *w)
{
    const exercise *ex = w->cur;
    if (w->hints_shown == 0)
        return;
    fprintf(stdout, _("\n%sHint %zu of %zu%s\n"), paint(w->color, BOLD),
            w->hints_shown, ex->hints.n, paint(w->color, RESET));
    hints_print(stdout, ex, w->hints_shown, "  ");
    if (w->hints_shown < ex->hints.n)
        fprintf(stdout, _("  (h again: the next one)\n"));
    else
        fprintf(stdout, _("  (that is every hint)\n"));
    if (ex->lecture)
        fprintf(stdout, _("  Lecture: %s\n"), ex->lecture);
}

static void print_footer(const watch *w)
{
    const exercise *ex = w->cur;
    if (w->last == EV_PASSED) {
        const exercise *next = standing_next_unfinished(
            &w->view, w->cache, &w->p, (size_t)(ex - w->wb->m.ex) + 1);
        fprintf(stdout, _("\n%s%s passes!%s "), paint(w->color, GREEN), ex->id,
                paint(w->color, RESET));
        if (next && next != ex)
            fprintf(stdout, _("Press n for the next exercise (%s).\n"),
                    next->id);
        else
            fprintf(stdout, _("That was the last one: every exercise passes. "
                              "Run `make grade` for the table.\n"));
    } else if (w->last == EV_BUILD_ERROR) {
        fprintf(stdout,
                _("\nFix the first error above (the file and line are yours) "
                  "and save: watch re-checks on every save.\n"));
    } else if (w->last == EV_SKIPPED) {
        fprintf(stdout,
                _("\nThis machine cannot run %s; press s to skip it.\n"),
                ex->id);
    } else {
        fprintf(stdout,
                _("\nWhat to do: fix exercises/%s/%s and save; watch re-checks "
                  "it.\nThe task is in exercises/%s/README.md. Stuck? Press h "
                  "for a hint.\n"),
                ex->id, ex->edit.v[0], ex->id);
    }
    print_hint_block(w);
    print_keys(w);
}

/* Starts checking the current exercise in the background (checker.h),
 * cancelling the check under way. Returns 0, or -1 when it could not
 * start (said on stderr). */
static int check(watch *w)
{
    strbuf err = {0};
    int rc = checker_start(&w->chk, w->wb->root, w->cur->id, w->cache,
                           isatty(STDERR_FILENO), &err);
    if (rc != 0)
        fprintf(stderr, _("grader: internal error: %s\n"), sb_str(&err));
    sb_free(&err);
    w->checking = rc == 0 ? w->cur : NULL;
    return rc;
}

/* Stops the check under way, if any, with every test it started. */
static void cancel_check(watch *w)
{
    const int running = checker_running(&w->chk);
    checker_cancel(&w->chk);
    w->checking = NULL;
    if (running && isatty(STDERR_FILENO))
        term_status_clear(stderr);
}

/* The screen: the verdict on screen, its advice, the hints shown, keys. */
static void render(const watch *w)
{
    const exercise *ex = w->cur;
    const exercise_result *r = &w->shown;
    const char *notice = w->shown_notice;
    term_clear_screen(stdout);
    if (w->flash)
        fprintf(stdout, "%s%s%s\n", paint(w->color, GREEN), w->flash,
                paint(w->color, RESET));
    /* exercises are named by their id everywhere (no position) */
    fprintf(stdout, _("%sllmlings watch%s · %s · %zu of %zu exercises pass"),
            paint(w->color, BOLD), paint(w->color, RESET), ex->id, w->p.done.n,
            w->wb->m.n);
    table_print_check_body(stdout, ex, r, w->color);
    if (notice && notice[0])
        fputs(notice, stdout);
    print_footer(w);
}

static void forget_shown(watch *w)
{
    if (w->have_shown)
        exercise_result_free(&w->shown);
    free(w->shown_notice);
    w->shown_notice = NULL;
    w->have_shown = 0;
}

/* A finished check of w->cur: recorded, then on screen (r and notice are
 * the watch's now). */
static void show_result(watch *w, exercise_result *r, char *notice)
{
    const exercise *ex = w->cur;
    w->last = r->verdict;
    w->checked = 1;
    result_cache_put(w->cache, r);
    standing_record(&w->p, ex->id, r->verdict);
    progress_set_current(&w->p, ex->id);
    (void)progress_save(&w->view, &w->p);
    forget_shown(w);
    w->shown = *r;
    w->shown_notice = notice;
    w->have_shown = 1;
    if (!isatty(STDOUT_FILENO)) /* a log's separator between checks */
        fprintf(stdout, _("\n---- watch: checked %s ----\n"), ex->id);
    render(w);
    free(w->flash); /* said once */
    w->flash = NULL;
}

/* The check's pipe is readable. Returns 0, or -1 when the first check of
 * the session failed (the watch cannot work). */
static int on_checker(watch *w)
{
    exercise_result r;
    char *notice = NULL;
    strbuf err = {0};
    int rc = checker_read(&w->chk, &r, &notice, &err);
    if (rc == 0) {
        sb_free(&err);
        return 0;
    }
    const exercise *checked = w->checking;
    w->checking = NULL;
    if (rc < 0) {
        fprintf(stderr, "grader: %s\n", sb_str(&err));
        sb_free(&err);
        return w->checked ? 0 : -1;
    }
    sb_free(&err);
    if (checked == w->cur) {
        show_result(w, &r, notice);
        return 0;
    }
    exercise_result_free(&r);
    free(notice);
    return 0;
}

/* ---- keys ---------------------------------------------------------------- */

/* The next hint, one more each time (hints.h: shared with `grader hint`),
 * in the hint block under the verdict: the screen is drawn again, so
 * hints never pile up and the verdict stays in view. */
static void show_hint(watch *w)
{
    w->hints_shown = hints_reveal(w->wb, w->cur, 0);
    if (w->have_shown) {
        render(w);
        return;
    }
    print_hint_block(w); /* no verdict yet: the first check still runs */
    print_keys(w);
}

/* r: one question, answered by the next key (on_key). */
static void ask_reset(watch *w)
{
    w->asking_reset = 1;
    fprintf(stdout,
            _("\n%sReset exercises/%s to its starter?%s Your changes to its "
              "files are lost (commit them first to keep them). y/n "),
            paint(w->color, BOLD), w->cur->id, paint(w->color, RESET));
    fflush(stdout);
}

/* Runs `grader reset EX --yes` (its words on stderr only when it fails),
 * then checks the starter, the screen headed by what happened. */
static void run_reset(watch *w)
{
    cancel_check(w);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execl("/proc/self/exe", "grader", "--root", w->wb->root, "reset",
              w->cur->id, "--yes", (char *)NULL);
        fprintf(stderr, _("grader: cannot run `grader reset`: %s\n"),
                strerror(errno));
        _exit(EXIT_INTERNAL);
    }
    int status = 0;
    if (pid > 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stdout, _("\nNot reset: your files are unchanged.\n"));
        print_keys(w);
        return;
    }
    free(w->flash);
    w->flash =
        xasprintf(_("Reset: exercises/%s is back to its starter."), w->cur->id);
    fprintf(stdout, _("\n%s Checking it...\n"), w->flash);
    fflush(stdout);
    check(w);
}

static void move_to(watch *w, const exercise *ex)
{
    cancel_check(w);
    forget_shown(w);
    w->hints_shown = 0;
    w->cur = ex;
    w->checked = 0;
    progress_set_current(&w->p, ex->id);
    (void)progress_save(&w->view, &w->p);
    watch_current(w);
    check(w);
}

/* Returns 1 to quit. */
static int on_key(watch *w, char key)
{
    if (w->asking_reset) {
        w->asking_reset = 0;
        fprintf(stdout, "%c\n", key == '\n' || key == '\r' ? ' ' : key);
        if (key == 'y' || key == 'Y') {
            run_reset(w);
        } else {
            fprintf(stdout, _("Not reset: your files are unchanged.\n"));
            print_keys(w);
        }
        return 0;
    }
    size_t here = (size_t)(w->cur - w->wb->m.ex);
    switch (key) {
    case 'q':
    case 'Q':
    case 4: /* Ctrl-D */ cancel_check(w); return 1;
    case '\n':
    case '\r':
    case ' ': check(w); break;
    case 'h':
    case 'H': show_hint(w); break;
    case 'l':
    case 'L':
        term_clear_screen(stdout);
        standing_print_list(stdout, &w->view, w->cache, w->color);
        print_keys(w);
        break;
    case 'r':
    case 'R': ask_reset(w); break;
    case 'n':
    case 'N': {
        if (w->last != EV_PASSED) {
            fprintf(stdout,
                    _("\n%s does not pass yet. Keep going, or press s to skip "
                      "it for now.\n"),
                    w->cur->id);
            print_keys(w);
            break;
        }
        const exercise *next =
            standing_next_unfinished(&w->view, w->cache, &w->p, here + 1);
        if (next == NULL || next == w->cur) {
            fprintf(stdout, _("\nEvery exercise passes. Run `make grade` for "
                              "the table; q quits.\n"));
            break;
        }
        move_to(w, next);
        break;
    }
    case 's':
    case 'S': {
        const exercise *next =
            standing_next_unfinished(&w->view, w->cache, &w->p, here + 1);
        if (next == NULL || next == w->cur) {
            fprintf(stdout, _("\nNo other unfinished exercise to skip to.\n"));
            break;
        }
        move_to(w, next);
        break;
    }
    case '?': print_keys(w); break;
    default: break;
    }
    return 0;
}

/* ---- the loop ------------------------------------------------------------ */

static int on_wsl_windows_drive(const char *root)
{
    char *text = NULL;
    int wsl = 0;
    if (file_read("/proc/sys/kernel/osrelease", &text, NULL, 4096) == 0)
        wsl = strstr(text, "microsoft") || strstr(text, "Microsoft");
    free(text);
    return wsl && strncmp(root, "/mnt/", 5) == 0;
}

static int parse_args(watch *w, int argc, char **argv)
{
    const char *env = getenv("LLMLINGS_WATCH_POLL");
    if (env && env[0])
        w->poll_s = strtod(env, NULL);
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--poll") == 0 && i + 1 < argc) {
            char *end = NULL;
            w->poll_s = strtod(argv[++i], &end);
            if (end == argv[i] || *end != '\0' || w->poll_s <= 0 ||
                w->poll_s > 3600) {
                fprintf(stderr,
                        _("grader: --poll wants seconds between checks "
                          "(e.g. 1), got \"%s\"\n"),
                        argv[i]);
                return EXIT_USAGE;
            }
        } else if (argv[i][0] != '-' && w->cur == NULL) {
            w->cur = manifest_find(&w->wb->m, argv[i]);
            if (w->cur == NULL) {
                fprintf(stderr,
                        _("grader: no exercise \"%s\" (run `grader list` for "
                          "the names)\n"),
                        argv[i]);
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr,
                    _("grader: usage: grader watch [EX] [--poll SECONDS], "
                      "got \"%s\"\n"),
                    argv[i]);
            return EXIT_USAGE;
        }
    }
    if (w->poll_s < 0 || w->poll_s > 3600)
        w->poll_s = 1;
    return 0;
}

/* Re-checks when a watched file changed: inotify said so (events), or,
 * when polling, the files' signature differs. */
static void on_files(watch *w, int events)
{
    int changed = 0;
    if (events && drain_events(w)) {
        debounce(w);
        changed = 1;
        watch_current(w); /* a folder may have been replaced */
    }
    if (!changed && w->poll_s > 0 && signature(w) != w->sig)
        changed = 1;
    if (changed) {
        w->sig = signature(w);
        check(w);
    }
}

/* Reads one key of stdin (revents: what poll said of it). Returns 1 to
 * quit: q, or the end of scripted input. */
static int on_input(watch *w, short revents)
{
    if ((revents & (POLLNVAL | POLLERR)) && !(revents & POLLIN)) {
        w->input_open = 0; /* stdin closed or unusable: no keys */
        return !w->keys;
    }
    if (!(revents & (POLLIN | POLLHUP)))
        return 0;
    char key;
    ssize_t got = read(STDIN_FILENO, &key, 1);
    if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
        w->input_open = 0;
        return !w->keys; /* scripted input ended */
    }
    return got == 1 && on_key(w, key);
}

/* Waits for a key (while a check runs too, on a terminal; scripted keys
 * wait for the verdict, so a script reads what it asked for), a save, the
 * running check's result or a quit signal, and handles it. */
static int loop(watch *w)
{
    for (;;) {
        struct pollfd fds[4];
        nfds_t n = 0;
        int in_at = -1, ev_at = -1, chk_at = -1, sig_at = -1;
        const int checking = checker_running(&w->chk);
        if (w->input_open && (w->keys || !checking)) {
            in_at = (int)n;
            fds[n++] = (struct pollfd){STDIN_FILENO, POLLIN, 0};
        }
        if (w->ifd >= 0) {
            ev_at = (int)n;
            fds[n++] = (struct pollfd){w->ifd, POLLIN, 0};
        }
        if (checking) {
            chk_at = (int)n;
            fds[n++] = (struct pollfd){w->chk.fd, POLLIN, 0};
        }
        if (signal_pipe[0] >= 0) {
            sig_at = (int)n;
            fds[n++] = (struct pollfd){signal_pipe[0], POLLIN, 0};
        }
        int timeout = w->poll_s > 0 ? (int)(w->poll_s * 1000) : -1;
        int rc = poll(fds, n, timeout);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            fprintf(stderr, _("grader: poll: %s\n"), strerror(errno));
            cancel_check(w);
            return EXIT_INTERNAL;
        }
        if (sig_at >= 0 && (fds[sig_at].revents & POLLIN)) {
            cancel_check(w);
            return 0;
        }
        if (chk_at >= 0 && (fds[chk_at].revents & (POLLIN | POLLHUP)) &&
            on_checker(w) != 0)
            return EXIT_INTERNAL;
        on_files(w, ev_at >= 0 && (fds[ev_at].revents & POLLIN));
        if (in_at >= 0 && on_input(w, fds[in_at].revents))
            return 0;
        if (!w->input_open && w->ifd < 0 && w->poll_s <= 0 &&
            !checker_running(&w->chk))
            return 0;
    }
}

int cmd_watch(app *a, int argc, char **argv)
{
    const workbook *wb = &a->s.wb;
    watch w = {.wb = wb,
               .view = workbook_view(wb),
               .cache = a->cache,
               .color = a->color,
               .ifd = -1,
               .input_open = 1};
    /* A closed stdin would hand fd 0 to inotify: make it an empty input. */
    if (fcntl(STDIN_FILENO, F_GETFD) < 0 && errno == EBADF) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd > STDIN_FILENO)
            close(fd); /* fd 0 was free yet not given: leave it */
    }
    int rc = parse_args(&w, argc, argv);
    if (rc != 0)
        return rc;
    progress_load(&w.view, &w.p);
    if (w.cur == NULL)
        w.cur = standing_current(&w.view, w.cache, &w.p);
    if (w.cur == NULL) {
        fprintf(stdout, _("Every exercise passes. Run `make grade` for the "
                          "table.\n"));
        progress_free(&w.p);
        return 0;
    }
    /* LLMLINGS_WATCH_NO_INOTIFY=1: polling only (tests; odd file systems
     * where inotify reports nonsense). */
    const char *no_inotify = getenv("LLMLINGS_WATCH_NO_INOTIFY");
    if (no_inotify && no_inotify[0] == '1')
        errno = ENOSYS;
    else
        w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.ifd < 0 && w.poll_s <= 0) {
        fprintf(stderr,
                _("grader: inotify is not available (%s); checking "
                  "for changes every second instead\n"),
                strerror(errno));
        w.poll_s = 1;
    }
    if (w.poll_s <= 0 && on_wsl_windows_drive(wb->root))
        w.poll_s = 1; /* inotify misses saves made from Windows */
    w.keys = term_keys_begin();
    catch_quit_signals();
    w.chk.fd = -1;
    watch_current(&w);
    rc = check(&w) == 0 ? loop(&w) : EXIT_INTERNAL;
    cancel_check(&w);
    forget_shown(&w);
    free(w.flash);
    if (w.keys)
        term_keys_end();
    if (rc == 0)
        fprintf(stdout,
                _("\nBye. Your progress is saved; `make watch` picks up at "
                  "%s.\n"),
                w.cur->id);
    unwatch_all(&w);
    if (w.ifd >= 0)
        close(w.ifd);
    progress_free(&w.p);
    return rc;
}

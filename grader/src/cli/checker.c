/* checker.c: see checker.h. */
#include "cli/checker.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "base/exit_codes.h"
#include "base/files.h"
#include "base/term.h"
#include "cli/session.h"
#include "grade/grading.h"
#include "grade/result_json.h"
#include "integrity/integrity.h"
#include "run/worker_pool.h"
#include "sandbox/sandbox.h"

/* Every test at once (run_tests.h caps it): an endless loop then costs
 * one time limit per check, not one per test. */
enum { CHECK_TEST_JOBS = 16 };

static void show_step(const char *what, void *ctx)
{
    fprintf(stderr, "\r\033[Kchecking %s: %s", (const char *)ctx, what);
    fflush(stderr);
}

/* Grades exercise id like `check` does. Returns 0 or an exit code. */
static int grade_now(const char *root, const char *id, result_cache *cache,
                     int show_steps, exercise_result *out, char **notice,
                     strbuf *err)
{
    *notice = NULL;
    session s;
    int rc = session_open(&s, root, 1, err);
    if (rc == 0)
        rc = session_grade_pristine(&s, NULL, NULL, err);
    const exercise *ex = rc == 0 ? manifest_find(s.view.m, id) : NULL;
    if (rc == 0 && ex == NULL) {
        sb_printf(err, "no exercise \"%s\" in the workbook's manifest", id);
        rc = EXIT_USAGE;
    }
    grade_options o = {
        .build = BUILD_STUDENT,
        .ig = s.ig,
        .cache = cache,
        .use_cache = 1,
        .store_cache = 1,
        .on_step = show_steps ? show_step : NULL,
        .step_ctx = (void *)id,
        .test_jobs = CHECK_TEST_JOBS,
    };
    if (rc == 0)
        rc = grade_exercise(&s.view, ex, &o, out, err);
    if (rc == 0) {
        size_t len = 0;
        FILE *f = open_memstream(notice, &len);
        if (f != NULL) {
            integrity_notice(f, s.ig);
            fclose(f);
        }
    }
    if (show_steps)
        term_status_clear(stderr);
    session_close(&s);
    return rc;
}

/* The child: grades, writes {"result": ..., "notice": ...} or
 * {"error": ..., "internal": true|false}, exits. */
static _Noreturn void child_main(const char *root, const char *id,
                                 result_cache *cache, int show_steps, int fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* a process group of its own: Ctrl-C reaches the watch only, which
     * then kills the whole check in order (checker_cancel) */
    setpgid(0, 0);
    signal(SIGTTOU, SIG_IGN); /* its progress line, even with `stty tostop` */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    strbuf err = {0};
    exercise_result r;
    memset(&r, 0, sizeof r);
    char *notice = NULL;
    cJSON *msg = cJSON_CreateObject();
    int rc = sandbox_init(&err) == 0
                 ? grade_now(root, id, cache, show_steps, &r, &notice, &err)
                 : EXIT_INTERNAL;
    if (rc == 0) {
        cJSON_AddItemToObject(msg, "result", exercise_result_to_json(&r));
        cJSON_AddStringToObject(msg, "notice", notice ? notice : "");
    } else {
        cJSON_AddStringToObject(msg, "error", sb_str(&err));
        cJSON_AddBoolToObject(msg, "internal", rc == EXIT_INTERNAL);
    }
    char *text = cJSON_PrintUnformatted(msg);
    if (text)
        (void)fd_write_all(fd, text, strlen(text));
    _exit(0);
}

int checker_start(checker *c, const char *root, const char *id,
                  result_cache *cache, int show_steps, strbuf *err)
{
    checker_cancel(c);
    int fd = -1;
    const pid_t pid = worker_fork(&fd, err);
    if (pid < 0)
        return -1;
    if (pid == 0)
        child_main(root, id, cache, show_steps, fd);
    c->pid = pid;
    c->fd = fd;
    sb_free(&c->data);
    return 0;
}

int checker_running(const checker *c)
{
    return c->pid != 0;
}

static void forget(checker *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->pid = 0;
    sb_free(&c->data);
}

void checker_cancel(checker *c)
{
    if (c->pid != 0)
        kill(c->pid, SIGKILL);
    /* the tests it started too, and anything a check that ended left */
    (void)sandbox_kill_descendants();
    if (c->pid != 0)
        forget(c);
}

/* Parses what the child sent. */
static int parse(const checker *c, exercise_result *r, char **notice,
                 strbuf *err)
{
    cJSON *msg = cJSON_Parse(sb_str(&c->data));
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(msg, "result");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(msg, "notice");
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(msg, "error");
    int rc = -1;
    if (result && exercise_result_from_json(result, r) == 0) {
        *notice = strdup(cJSON_IsString(note) ? note->valuestring : "");
        rc = 1;
    } else if (cJSON_IsString(why)) {
        const cJSON *internal =
            cJSON_GetObjectItemCaseSensitive(msg, "internal");
        sb_printf(err, "%s%s", cJSON_IsTrue(internal) ? "internal error: " : "",
                  why->valuestring);
    } else {
        sb_puts(err, "internal error: the check ended without a result");
    }
    cJSON_Delete(msg);
    return rc;
}

int checker_read(checker *c, exercise_result *r, char **notice, strbuf *err)
{
    char buf[16384];
    ssize_t got = read(c->fd, buf, sizeof buf);
    if (got > 0) {
        sb_append(&c->data, buf, (size_t)got);
        return 0;
    }
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    int status;
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc = parse(c, r, notice, err);
    forget(c);
    return rc;
}

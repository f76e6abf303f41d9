/* runner.c: see runner.h. */
#include "run/runner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/strlist.h"
#include "run/device_report.h"

/* Criterion's message socket: a fixed folder and the runner's pid. A stale
 * one of another user (a runner killed before it could clean up) makes the
 * next runner with that pid abort, so the sandbox clears or avoids it. */
#define CRITERION_SOCKET "/tmp/criterion_%d.sock"

enum {
    OUTPUT_CAP = 64 * 1024,  /* bytes kept of each stream of a test */
    RECORDS_MAX = 1 << 20,   /* bytes of the record file read */
    FILE_SIZE_LIMIT_MB = 64, /* largest file a test may write */
    CHECKS_MAX = FILE_SIZE_LIMIT_MB << 20, /* bytes of check records read */
    TEST_PROCESSES = 32,  /* Criterion needs a runner and a worker */
    DEVICE_REPORT_FD = 3, /* the device report's descriptor in the test */
};

/* How long the kind's device process may take to report after the test
 * process ended (it reports when the last host end is closed). */
static const double DEVICE_REPORT_WAIT_S = 3.0;

/* The environment of every test run. */
static const char *const BASE_ENV[] = {
    "PATH=/usr/local/bin:/usr/bin:/bin",
    "LANG=C.UTF-8",
    "TERM=dumb",
    "NO_COLOR=1",
    "ASAN_OPTIONS=leak_check_at_exit=0:detect_leaks=1:abort_on_error=0:"
    "allocator_may_return_null=1:quarantine_size_mb=64:"
    "malloc_context_size=8:handle_abort=0:disable_coredump=1",
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1",
    "OPENBLAS_NUM_THREADS=1",
    NULL,
};

/* A fresh secret per run, 32 hex digits: the harness writes it into its
 * "done" record, so a "done" the student's code writes itself is known. */
static void make_nonce(char hex[33])
{
    unsigned char raw[16];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got < sizeof raw) { /* no getrandom: time and pid, hashed */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        char seed[64];
        int len = snprintf(seed, sizeof seed, "%lld.%ld.%d",
                           (long long)ts.tv_sec, ts.tv_nsec, (int)getpid());
        sha256_ctx c;
        char digest[65];
        sha256_init(&c);
        sha256_update(&c, seed, (size_t)len);
        sha256_final_hex(&c, digest);
        memcpy(hex, digest, 32);
        hex[32] = '\0';
        return;
    }
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        hex[2 * i] = digits[raw[i] >> 4];
        hex[2 * i + 1] = digits[raw[i] & 15];
    }
    hex[32] = '\0';
}

/* An empty file the run user may write: the harness opens it by name. */
static int create_for_run_user(const char *path, strbuf *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        sb_printf(err, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    if (geteuid() == 0 &&
        chown(path, sandbox_run_uid(), sandbox_run_gid()) != 0) {
        sb_printf(err, "cannot hand %s to the run user: %s", path,
                  strerror(errno));
        return -1;
    }
    return 0;
}

/* The scratch folder (the run user's alone, below a parent the run user
 * can traverse) and the empty record files in it (checks: NULL when the
 * run records no checks). */
static int prepare_scratch(const char *scratch, const char *records,
                           const char *checks, strbuf *err)
{
    char *parent = xstrdup(scratch);
    *strrchr(parent, '/') = '\0';
    int made = mkdir_p(parent, 0711) == 0 && chmod(parent, 0711) == 0;
    free(parent);
    if (!made || remove_tree(scratch) != 0 || mkdir_p(scratch, 0700) != 0) {
        sb_printf(err, "cannot create %s: %s", scratch, strerror(errno));
        return -1;
    }
    if (geteuid() == 0 &&
        chown(scratch, sandbox_run_uid(), sandbox_run_gid()) != 0) {
        sb_printf(err, "cannot hand %s to the run user: %s", scratch,
                  strerror(errno));
        return -1;
    }
    if (create_for_run_user(records, err) != 0)
        return -1;
    return checks ? create_for_run_user(checks, err) : 0;
}

/* Sets NAME=VALUE in env, replacing an earlier NAME; "{scratch}" in the
 * value is the run's scratch folder. */
static void env_set(strlist *env, const char *entry, const char *scratch)
{
    strbuf sb = {0};
    for (const char *p = entry; *p;) {
        const char *mark = strstr(p, "{scratch}");
        size_t n = mark ? (size_t)(mark - p) : strlen(p);
        sb_append(&sb, p, n);
        if (mark == NULL)
            break;
        sb_puts(&sb, scratch);
        p = mark + strlen("{scratch}");
    }
    const char *eq = strchr(entry, '=');
    size_t name_len = eq ? (size_t)(eq - entry) + 1 : strlen(entry);
    for (size_t i = 0; i < env->n; i++)
        if (strncmp(env->v[i], entry, name_len) == 0) {
            free(env->v[i]);
            env->v[i] = sb_steal(&sb);
            return;
        }
    strlist_take(env, sb_steal(&sb));
}

static void build_env(const test_run_request *q, const char *scratch,
                      const char *records, const char *checks,
                      const char *nonce, strlist *env)
{
    strlist_push_all(env, BASE_ENV);
    strlist_pushf(env, "HOME=%s", scratch);
    strlist_pushf(env, "TMPDIR=%s", scratch);
    strlist_pushf(env, "LL_REPORT_FILE=%s", records);
    strlist_pushf(env, "LL_REPORT_NONCE=%s", nonce);
    if (checks)
        strlist_pushf(env, "LL_OBS_FILE=%s", checks);
    if (q->perf_stops)
        strlist_push(env, "LL_PERF_STOPS=1");
    if (q->device_report && q->ex->kind->device_report)
        strlist_pushf(env, "%s=%d", q->ex->kind->device_report->env,
                      DEVICE_REPORT_FD);
    /* the staged exercise folder, read-only: where the test finds its
     * data files (an OpenCL host program its .cl files) */
    strlist_pushf(env, "LL_EXERCISE_DIR=%sexercises/%s", q->tree, q->ex->id);
    for (const char *const *e = q->ex->kind->env; e && *e; e++)
        env_set(env, *e, scratch);
    for (const char *const *e = q->variant ? q->variant->env : NULL; e && *e;
         e++)
        env_set(env, *e, scratch);
    for (const char *const *e = q->env; e && *e; e++)
        env_set(env, *e, scratch);
    const int wrapped = q->variant && q->variant->wrapper != WRAP_NONE;
    if (q->preload != NULL && !wrapped)
        strlist_pushf(env, "LD_PRELOAD=%s", q->preload);
}

/* The command: the program's runner filtered to one test, under the
 * variant's wrapper. Returns 1 when the wrapper is not installed. */
static int build_argv(const test_run_request *q, strlist *argv)
{
    const run_variant *v = q->variant;
    if (v && v->wrapper == WRAP_OCLGRIND) {
        char *grind = find_program("oclgrind");
        if (grind == NULL)
            return 1;
        strlist_take(argv, grind);
    }
    strlist_push(argv, q->program);
    if (q->perf_driver)
        return 0; /* its own main, no runner */
    if (v && v->program == PROGRAM_RACE) {
        /* the race runner takes "--filter NAME" and nothing else */
        strlist_push(argv, "--filter");
        strlist_push(argv, q->test);
        return 0;
    }
    strlist_pushf(argv, "--filter=%s", q->test);
    strlist_push(argv, "--jobs=1");
    strlist_push(argv, "--color=never");
    return 0;
}

static void read_records(const char *path, const test_run_request *q,
                         const char *nonce, harness_records *rec)
{
    char *text = NULL;
    size_t len = 0;
    if (file_read_nofollow(path, &text, &len, RECORDS_MAX) != 0) {
        text = xstrdup("");
        len = 0;
    }
    records_parse(text, len, q->test, nonce, rec);
    free(text);
}

int test_run_once(const test_run_request *q, test_run *out, strbuf *err)
{
    memset(out, 0, sizeof *out);
    strlist argv = {0};
    if (build_argv(q, &argv) != 0) {
        strlist_free(&argv);
        return 1;
    }
    char *scratch = xasprintf("%s/run/%zu", q->dir, q->index);
    char *records = xasprintf("%s/report", scratch);
    char *checks = q->record_checks ? xasprintf("%s/checks", scratch) : NULL;
    char nonce[33];
    make_nonce(nonce);
    strlist env = {0};
    build_env(q, scratch, records, checks, nonce, &env);
    const kind_spec *k = q->ex->kind;
    const run_variant *v = q->variant;
    const char *const reads[] = {q->dir, q->preload, NULL};
    const sandbox_spec spec = {
        .argv = argv.v,
        .envp = env.v,
        .cwd = scratch,
        .wall_limit_s = q->wall_limit_s,
        .cpu_limit_s =
            q->ex->time_limit_s * k->cpu_factor * (v ? v->cpu_factor : 1),
        .memory_limit_mb =
            q->ex->memory_limit_mb + (v ? v->extra_memory_mb : 0),
        .limit_address_space = k->limit_address_space,
        .file_size_limit_mb = FILE_SIZE_LIMIT_MB,
        .max_processes = TEST_PROCESSES + k->extra_processes,
        .output_cap = OUTPUT_CAP,
        .writable_dir = scratch, /* with Landlock: nothing else */
        .readable = reads,       /* the build folder (program, staged
                                    tree), the preloaded library */
        .pid_path_fmt = q->perf_driver ? NULL : CRITERION_SOCKET,
        .perf_stops = q->perf_stops,
        .report_fd = q->device_report ? DEVICE_REPORT_FD : 0,
        .report_cap = DEVICE_REPORT_MAX,
        .report_wait_s = DEVICE_REPORT_WAIT_S,
    };
    int rc = prepare_scratch(scratch, records, checks, err);
    if (rc == 0)
        rc = sandbox_run(&spec, &out->sr, err);
    if (rc == 0) {
        /* Criterion's socket, left behind when the runner was killed. */
        char sock[64];
        snprintf(sock, sizeof sock, CRITERION_SOCKET, (int)out->sr.pid);
        (void)unlink(sock);
        read_records(records, q, nonce, &out->rec);
        if (checks && file_read_nofollow(checks, &out->checks, &out->checks_len,
                                         CHECKS_MAX) != 0) {
            out->checks = NULL; /* unreadable or too big: no checks */
            out->checks_len = 0;
        }
    }
    remove_tree(scratch);
    strlist_free(&argv);
    strlist_free(&env);
    free(scratch);
    free(records);
    free(checks);
    return rc == 0 ? 0 : -1;
}

void test_run_free(test_run *r)
{
    sandbox_result_free(&r->sr);
    records_free(&r->rec);
    free(r->checks);
    r->checks = NULL;
}

/* grading.c: see grading.h.
 *
 * A test's verdict is decided from facts the student's code cannot easily
 * fake: the sandbox's view of the process (deadline, memory, signals) and
 * the harness records in a private report file. Criterion's own opinion is
 * only used to confirm a pass: a test passes when its body wrote "done"
 * with the run's secret nonce, no check failed, the runner exited 0 and
 * left no process behind.
 *
 * Before any test runs, the student's files are inspected (tamper.c); after
 * the build, the test binary is out of the run user's reach (root: owned by
 * root; everyone: its hash is checked before every test), and the result
 * cache is read once, before any student code runs, so nothing a test
 * writes can change this grader's results. Text that came from student
 * code is made harmless for terminals (utf8_sanitize) and for CI logs
 * (GitHub workflow commands are defused). */
#include "grading.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "build_cuda.h"
#include "files.h"
#include "gpu_checks.h"
#include "report_json.h"
#include "report_protocol.h"
#include "sandbox.h"
#include "sha256.h"
#include "strbuf.h"
#include "tamper.h"
#include "test_list.h"
#include "utf8.h"

/* Criterion's message socket: a fixed folder and the runner's pid. A stale
 * one of another user (a runner killed before it could clean up) makes the
 * next runner with that pid abort, so the sandbox clears or avoids it. */
#define CRITERION_SOCKET "/tmp/criterion_%d.sock"

enum {
    OUTPUT_CAP = 64 * 1024,    /* bytes kept of each stream of a test */
    OUTPUT_SHOWN = 4000,       /* bytes of it kept in the result */
    REPORT_MAX = 1 << 20,      /* bytes of the report file read */
    FILE_SIZE_LIMIT_MB = 64,   /* largest file a test may write */
    TEST_MAX_PROCESSES = 32,   /* Criterion needs a runner and a worker */
    CACHE_MAX = 16 << 20,      /* bytes of one cached result */
    OCLGRIND_LIMIT_S = 30,     /* oclgrind explaining a failed opencl test */
    OCLGRIND_HANG_LIMIT_S = 5, /* ... one that timed out (it may hang too) */
};

/* Seconds each test may add to the exercise's time budget beyond its own
 * limit (starting, killing, reading the report). */
static const double TEST_OVERHEAD_S = 1.0;

static char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    strbuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    return sb_steal(&sb);
}

static void progress(const grade_options *o, const char *what)
{
    if (o->progress)
        o->progress(what, o->progress_ctx);
}

/* ---- the result cache ---------------------------------------------------- */

static char *cache_path(const workbook *wb, const exercise *ex)
{
    return xasprintf("%s/results/%s.json", wb->state_dir, ex->id);
}

/* The cache as it was when this grader started, read before any student
 * code ran: a test that writes into the cache folder (the grader's own
 * user, without Landlock) cannot change the results of this grading. */
typedef struct {
    char *id;
    char *text;
} cache_entry;

static cache_entry *snapshot;
static size_t nsnapshot;
static int snapshot_taken;

static void take_snapshot(const workbook *wb)
{
    if (snapshot_taken)
        return;
    snapshot_taken = 1;
    char *dir = xasprintf("%s/results", wb->state_dir);
    char **names = NULL;
    size_t n = 0;
    if (list_dir(dir, 1, &names, &n) == 0) {
        snapshot = calloc(n ? n : 1, sizeof *snapshot);
        if (snapshot == NULL)
            exit(3);
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(names[i]);
            if (len <= 5 || strcmp(names[i] + len - 5, ".json") != 0)
                continue;
            char *path = path_join(dir, names[i]);
            char *text = NULL;
            if (file_read(path, &text, NULL, CACHE_MAX) == 0) {
                snapshot[nsnapshot].id = strndup(names[i], len - 5);
                snapshot[nsnapshot].text = text;
                nsnapshot++;
            }
            free(path);
        }
        free_names(names, n);
    }
    free(dir);
}

static cache_entry *snapshot_find(const exercise *ex)
{
    for (size_t i = 0; i < nsnapshot; i++)
        if (strcmp(snapshot[i].id, ex->id) == 0)
            return &snapshot[i];
    return NULL;
}

static int cache_load(const workbook *wb, const exercise *ex, const char *hash,
                      exercise_result *out)
{
    take_snapshot(wb);
    const cache_entry *e = snapshot_find(ex);
    if (e == NULL)
        return 0;
    cJSON *j = cJSON_Parse(e->text);
    if (j == NULL)
        return 0;
    int hit =
        exercise_result_from_json(j, out) == 0 && strcmp(out->hash, hash) == 0;
    cJSON_Delete(j);
    if (!hit && out->id)
        exercise_result_free(out);
    return hit;
}

static void cache_store(const workbook *wb, const exercise *ex,
                        const exercise_result *r)
{
    cJSON *j = exercise_result_to_json(r);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    char *path = cache_path(wb, ex);
    if (text)
        (void)file_write_atomic(path, text, strlen(text)); /* best effort */
    free(path);
    take_snapshot(wb);
    cache_entry *e = snapshot_find(ex);
    if (e == NULL && text != NULL) { /* first result: watch reads it later */
        cache_entry *v = realloc(snapshot, (nsnapshot + 1) * sizeof *v);
        if (v == NULL)
            exit(3);
        snapshot = v;
        e = &snapshot[nsnapshot++];
        e->id = strdup(ex->id);
        e->text = NULL;
        if (e->id == NULL)
            exit(3);
    }
    if (e != NULL && text != NULL) { /* later reads in this process */
        free(e->text);
        e->text = text;
        text = NULL;
    }
    free(text);
}

/* ---- requirements ---------------------------------------------------------
 */

/* Why ex cannot run on this machine, or NULL. */
static const char *missing_requirement(const exercise *ex)
{
    for (size_t i = 0; i < ex->requires.n; i++) {
        const char *r = ex->requires.v[i];
        if (strcmp(r, "opencl") == 0 && !dir_exists("/etc/OpenCL/vendors"))
            return "needs an OpenCL platform (install pocl-opencl-icd)";
        if (strcmp(r, "gpu") == 0 && access("/dev/nvidiactl", F_OK) != 0)
            return "needs an NVIDIA GPU";
    }
    return NULL;
}

/* ---- one test --------------------------------------------------------------
 */

typedef struct {
    const workbook *wb;
    const exercise *ex;
    const char *dir;         /* the build folder */
    const char *binary;      /* the test binary */
    const char *tree;        /* staged sources: shortened away in messages */
    const char *race_binary; /* cuda with race_tier: the TSan build */
    const char *gpu_binary;  /* cuda on a usable GPU: the nvcc build */
} run_ctx;

static int prepare_scratch(const char *scratch, const char *report, strbuf *err)
{
    /* The parent must be traversable by the run user; the scratch folder
     * itself is the run user's alone. */
    char *parent = strdup(scratch);
    if (parent == NULL)
        exit(3);
    *strrchr(parent, '/') = '\0';
    int made = mkdir_p(parent, 0711) == 0 && chmod(parent, 0711) == 0;
    free(parent);
    if (!made || remove_tree(scratch) != 0 || mkdir_p(scratch, 0700) != 0) {
        sb_printf(err, "cannot create %s: %s", scratch, strerror(errno));
        return -1;
    }
    int fd = open(report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        sb_printf(err, "cannot create %s: %s", report, strerror(errno));
        return -1;
    }
    close(fd);
    if (geteuid() == 0 &&
        (chown(scratch, sandbox_run_uid(), sandbox_run_gid()) != 0 ||
         chown(report, sandbox_run_uid(), sandbox_run_gid()) != 0)) {
        sb_printf(err, "cannot hand %s to the run user: %s", scratch,
                  strerror(errno));
        return -1;
    }
    return 0;
}

/* Removes every occurrence of prefix from s (absolute staged paths in
 * sanitizer reports become the workbook-relative paths students know). */
static void strip_prefix_everywhere(char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    char *p;
    while (n > 0 && (p = strstr(s, prefix)) != NULL)
        memmove(p, p + n, strlen(p + n) + 1);
}

/* Criterion's own progress lines repeat what the grader says better. */
static int criterion_noise(const char *line, size_t n)
{
    static const char *const tags[] = {"[----]", "[====]", "[FAIL]", "[PASS]",
                                       "[SKIP]", "[RUN ]", "[WARN]", "[ERR ]"};
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        if (n >= 6 && memcmp(line, tags[i], 6) == 0)
            return 1;
    return 0;
}

static void append_stream(strbuf *sb, const char *label, const char *data,
                          size_t len, size_t total)
{
    strbuf kept = {0};
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        if (!criterion_noise(data + i, end - i))
            sb_append(&kept, data + i, end - i);
        i = end;
    }
    if (kept.len > 0) {
        if (sb->len > 0)
            sb_puts(sb, "\n");
        sb_printf(sb, "--- %s ---\n", label);
        size_t show = kept.len < OUTPUT_SHOWN ? kept.len : OUTPUT_SHOWN;
        sb_append(sb, kept.data, show);
        if (show < kept.len || total > len)
            sb_printf(sb, "\n[... %zu bytes in all, the rest not shown]",
                      total);
    }
    sb_free(&kept);
}

/* The first line of a sanitizer report worth showing, or NULL. */
static char *sanitizer_summary(const char *err)
{
    /* The simulator also prints "cudasim: " for errors a correct program
     * handles (a failed launch it checks with cudaGetLastError); only a
     * fault, which ends in "cudasim: aborting", stopped the test. */
    const int cudasim_fault = strstr(err, "cudasim: aborting") != NULL;
    static const char *const keys[] = {
        "runtime error:", "ERROR: AddressSanitizer:", "ERROR: LeakSanitizer:",
        "SUMMARY: AddressSanitizer:", "cudasim: "};
    const size_t nkeys = sizeof keys / sizeof *keys - (cudasim_fault ? 0 : 1);
    for (size_t k = 0; k < nkeys; k++) {
        const char *p = strstr(err, keys[k]);
        if (p == NULL)
            continue;
        const char *start = p;
        while (start > err && start[-1] != '\n')
            start--;
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - start) : strlen(start);
        return utf8_sanitize(start, n > 400 ? 400 : n);
    }
    return NULL;
}

/* A copy of s in which no line can act as a GitHub Actions workflow
 * command ("::error::", "::add-mask::", "::stop-commands::", the older
 * "##[error]"): the runner reads them from any log line, after leading
 * spaces, so student output printed by the grader could otherwise forge
 * annotations or masks. Such lines get a visible "> " in front. */
static char *defuse_workflow_commands(const char *s)
{
    strbuf out = {0};
    const char *p = s;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (strncmp(q, "::", 2) == 0 || strncmp(q, "##[", 3) == 0)
            sb_puts(&out, "> ");
        sb_append(&out, p, len);
        p += len;
    }
    if (out.data == NULL)
        return xstrdup("");
    return sb_steal(&out);
}

/* Replaces *s (owned) by its defused copy. */
static void defuse(char **s)
{
    if (*s == NULL)
        return;
    char *d = defuse_workflow_commands(*s);
    free(*s);
    *s = d;
}

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

/* Whether the harness's own "done" record for name (with the nonce) is in
 * the report; *forged is set when any other "done" record is. */
static int done_verified(const char *text, size_t len, const char *name,
                         const char *nonce, int *forged)
{
    char *want = xasprintf("done %s %s", name, nonce);
    size_t wn = strlen(want);
    int ok = 0;
    *forged = 0;
    size_t i = 0;
    while (i < len) {
        const char *line = text + i;
        const char *nl = memchr(line, '\n', len - i);
        if (nl == NULL)
            break; /* a record cut off: ignored, as report_parse does */
        size_t n = (size_t)(nl - line);
        if (n >= 4 && memcmp(line, "done", 4) == 0 &&
            (n == 4 || line[4] == ' ')) {
            if (n == wn && memcmp(line, want, wn) == 0)
                ok = 1;
            else
                *forged = 1;
        }
        i += n + 1;
    }
    free(want);
    return ok;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case 4: return "SIGILL";
    case 6: return "SIGABRT";
    case 7: return "SIGBUS";
    case 8: return "SIGFPE";
    case 9: return "SIGKILL";
    case 11: return "SIGSEGV";
    case 24: return "SIGXCPU";
    case 25: return "SIGXFSZ";
    default: return "a signal";
    }
}

static void decide(const run_ctx *rc, const sandbox_result *sr,
                   const test_report *rep, int forged, double limit,
                   test_result *t)
{
    char *san = sanitizer_summary(sr->err);
    if (san)
        strip_prefix_everywhere(san, rc->tree);
    if (sr->timed_out) {
        t->verdict = TV_TIMEOUT;
        t->message = xasprintf(
            "did not finish within %.3g s (an endless loop, or waiting for "
            "something that never comes?%s)",
            limit,
            strcmp(rc->ex->kind, "opencl") == 0
                ? " In OpenCL, a barrier() that not every work-item of the "
                  "group reaches waits forever"
                : "");
    } else if (sr->memory_exceeded) {
        t->verdict = TV_MEMORY;
        t->message = xasprintf("used more than %d MB of memory",
                               rc->ex->memory_limit_mb);
    } else if (forged) {
        t->verdict = TV_FAILED;
        t->message = xstrdup(
            "the test's report holds a \"done\" record the test harness did "
            "not write: code that forges the grader's records fails");
    } else if (rep->skip_reason) {
        t->verdict = TV_SKIPPED;
        t->message = xasprintf("skipped: %s", rep->skip_reason);
    } else if (rep->nfails > 0) {
        t->verdict = TV_FAILED;
        t->message = rep->nfails > 1
                         ? xasprintf("%s (and %d more failed checks)",
                                     rep->first_fail, rep->nfails - 1)
                         : xstrdup(rep->first_fail);
    } else if (rep->crash_signal) {
        t->verdict = TV_CRASHED;
        t->message = xasprintf("crashed with %s%s%s", rep->crash_signal,
                               san ? ": " : "", san ? san : "");
    } else if (san) {
        t->verdict = TV_CRASHED;
        t->message = xasprintf("stopped by the sanitizer: %s", san);
    } else if (!rep->started) {
        t->verdict = sr->signaled ? TV_CRASHED : TV_FAILED;
        t->message = sr->signaled
                         ? xasprintf("the test program was killed by %s "
                                     "before the test started",
                                     signal_name(sr->term_signal))
                         : xstrdup("the test never started (the program "
                                   "stopped before the test body ran)");
    } else if (!rep->done) {
        t->verdict = TV_FAILED;
        t->message = xstrdup(
            "the test ended before its checks finished (did the code call "
            "exit(), _exit(), abort() or exec, or crash?)");
    } else if (!sr->exited || sr->exit_code != 0) {
        t->verdict = TV_FAILED;
        t->message = sr->exited ? xasprintf("the checks passed, but the test "
                                            "program exited with status %d",
                                            sr->exit_code)
                                : xasprintf("the checks passed, but the test "
                                            "program was killed by %s",
                                            signal_name(sr->term_signal));
    } else if (sr->leftovers > 0) {
        t->verdict = TV_FAILED;
        t->message = xasprintf(
            "the checks passed, but the test left %d process%s running "
            "after it ended (the grader killed %s): wait for every process "
            "you start",
            sr->leftovers, sr->leftovers == 1 ? "" : "es",
            sr->leftovers == 1 ? "it" : "them");
    } else {
        t->verdict = TV_PASSED;
    }
    free(san);
}

/* How one test is run: which binary, and for the cuda and opencl kinds
 * the mode (see run_test below). */
typedef enum {
    RUN_PLAIN,    /* the test binary, as built */
    RUN_RACE,     /* cuda: the race-tier binary (ThreadSanitizer) */
    RUN_OCLGRIND, /* opencl: the test binary under oclgrind */
} run_mode;

typedef struct {
    const char *binary;
    run_mode mode;
    const char *order; /* cuda: CUDASIM_ORDER, or NULL */
} run_variant;

/* The race tier's verdict: ThreadSanitizer's exit status 66 and its report
 * make a `race`; any other failure there says where it happened. */
static void race_verdict(const run_ctx *rc, const sandbox_result *sr,
                         test_result *t)
{
    char *race = sr->exited && sr->exit_code == 66
                     ? tsan_race_message(sr->err, rc->tree)
                     : NULL;
    if (race != NULL) {
        t->verdict = TV_RACE;
        free(t->message);
        t->message = race;
    } else if (t->verdict != TV_PASSED) {
        char *m = xasprintf("in the race tier (the same test built with "
                            "ThreadSanitizer): %s",
                            t->message ? t->message : "it did not pass");
        free(t->message);
        t->message = m;
    }
}

/* ---- opencl: OpenCL objects never released (hardware/cltrack) ---------
 * "LD_PRELOAD=<hardware build>/libcltrack.so", or NULL when it is not
 * built. The preloaded library counts the objects the student's host code
 * creates and releases; the opencl tests ask it after each call (see
 * hardware/README.md). */
static char *cltrack_preload(const workbook *wb)
{
    strbuf err = {0};
    const char *hw = hw_build_dir(wb, &err);
    sb_free(&err);
    if (hw == NULL)
        return NULL;
    char *lib = xasprintf("%s/libcltrack.so", hw);
    char *env = file_exists(lib) ? xasprintf("LD_PRELOAD=%s", lib) : NULL;
    free(lib);
    return env;
}
/* ---- end of opencl object tracking ----------------------------------- */

static int run_one_test(const run_ctx *rc, size_t index, const char *name,
                        const run_variant *v, double wall_limit, test_result *t,
                        strbuf *err)
{
    char *scratch = xasprintf("%s/run/%zu", rc->dir, index);
    char *report = xasprintf("%s/report", scratch);
    if (prepare_scratch(scratch, report, err) != 0) {
        free(scratch);
        free(report);
        return -1;
    }
    char *filter = xasprintf("--filter=%s", name);
    char *argv_plain[] = {(char *)v->binary, filter, "--jobs=1",
                          "--color=never", NULL};
    /* The race runner takes "--filter NAME" and nothing else. */
    char *argv_race[] = {(char *)v->binary, "--filter", (char *)name, NULL};
    char *oclgrind = v->mode == RUN_OCLGRIND ? find_program("oclgrind") : NULL;
    char *argv_grind[] = {oclgrind,   (char *)v->binary, filter,
                          "--jobs=1", "--color=never",   NULL};
    char **argv = v->mode == RUN_RACE       ? argv_race
                  : v->mode == RUN_OCLGRIND ? argv_grind
                                            : argv_plain;
    int opencl = strcmp(rc->ex->kind, "opencl") == 0;
    char *env_order =
        xasprintf("CUDASIM_ORDER=%s", v->order ? v->order : "forward");
    char *env_pocl = xasprintf("POCL_CACHE_DIR=%s/pocl-cache", scratch);
    char *env_exdir =
        xasprintf("LL_EXERCISE_DIR=%sexercises/%s", rc->tree, rc->ex->id);
    char *env_home = xasprintf("HOME=%s", scratch);
    char *env_tmp = xasprintf("TMPDIR=%s", scratch);
    char *env_report = xasprintf("LL_REPORT_FILE=%s", report);
    char nonce[33];
    make_nonce(nonce);
    char *env_nonce = xasprintf("LL_REPORT_NONCE=%s", nonce);
    /* not under oclgrind, which preloads its own OpenCL */
    char *env_cltrack = opencl && v->mode != RUN_OCLGRIND
                            ? cltrack_preload(rc->wb)
                            : NULL;
    char *envp[] = {
        "PATH=/usr/local/bin:/usr/bin:/bin",
        "LANG=C.UTF-8",
        "TERM=dumb",
        "NO_COLOR=1",
        env_home,
        env_tmp,
        env_report,
        env_nonce,
        "ASAN_OPTIONS=leak_check_at_exit=0:detect_leaks=1:abort_on_error=0:"
        "allocator_may_return_null=1:quarantine_size_mb=64:"
        "malloc_context_size=8:handle_abort=0:disable_coredump=1",
        "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1",
        "OPENBLAS_NUM_THREADS=1",
        /* cuda: thread order and seed of the simulator; the race tier
         * stops at the first race with its own exit status */
        env_order,
        "CUDASIM_SEED=1",
        "TSAN_OPTIONS=halt_on_error=1 exitcode=66 report_signal_unsafe=0",
        /* opencl: PoCL's kernel cache must be writable (else it reports no
         * device), and the test finds its .cl files in the staged folder */
        env_pocl,
        env_exdir,
        "POCL_MAX_PTHREAD_COUNT=2",
        env_cltrack, /* last: NULL when there is none */
        NULL,
    };
    int perf = strcmp(rc->ex->kind, "c_perf") == 0;
    /* ThreadSanitizer's shadow memory and fiber stacks: ~1 GiB resident
     * for a small test; the limit stays a resident-set limit. */
    long mem = rc->ex->memory_limit_mb + (v->mode == RUN_RACE ? 2048 : 0);
    /* PoCL and oclgrind run kernels in threads, which RLIMIT_NPROC counts. */
    int procs = TEST_MAX_PROCESSES + (opencl ? 32 : 0);
    double cpu = rc->ex->time_limit_s * (perf ? 4 : 1) *
                 (v->mode != RUN_PLAIN ? 4 : 1) * (opencl ? 2 : 1);
    sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = scratch,
        .wall_limit_s = wall_limit,
        .cpu_limit_s = cpu,
        .memory_limit_mb = mem,
        .limit_address_space = perf,
        .file_size_limit_mb = FILE_SIZE_LIMIT_MB,
        .max_processes = procs,
        .output_cap = OUTPUT_CAP,
        .writable_dir = scratch, /* with Landlock: nothing else */
        .pid_path_fmt = CRITERION_SOCKET,
    };
    sandbox_result sr;
    int status = sandbox_run(&spec, &sr, err);
    if (status == 0) {
        /* Criterion's message socket, left behind when the runner was
         * killed. */
        char sock[64];
        snprintf(sock, sizeof sock, CRITERION_SOCKET, (int)sr.pid);
        (void)unlink(sock);
        char *text = NULL;
        size_t len = 0;
        test_report rep;
        if (file_read(report, &text, &len, REPORT_MAX) != 0) {
            text = xstrdup("");
            len = 0;
        }
        report_parse(text, len, &rep);
        int forged = 0;
        rep.done = done_verified(text, len, name, nonce, &forged);
        free(text);
        t->name = xstrdup(name);
        t->wall_s = sr.wall_s;
        decide(rc, &sr, &rep, forged, wall_limit, t);
        if (v->mode == RUN_RACE)
            race_verdict(rc, &sr, t);
        if (v->mode == RUN_OCLGRIND) { /* only its finding is wanted */
            free(t->message);
            t->message = oclgrind_finding(sr.err, rc->tree);
        }
        defuse(&t->message);
        if (opencl)
            opencl_clean_paths(t->message);
        if (t->verdict != TV_PASSED) {
            strbuf out = {0};
            append_stream(&out, "stdout", sr.out, sr.out_len, sr.out_total);
            append_stream(&out, "stderr", sr.err, sr.err_len, sr.err_total);
            if (out.len > 0) {
                strip_prefix_everywhere(out.data, rc->tree);
                t->output = utf8_sanitize(out.data, strlen(out.data));
                if (opencl)
                    opencl_clean_paths(t->output);
                defuse(&t->output);
            }
            sb_free(&out);
        }
        t->metrics = rep.metrics;
        t->nmetrics = rep.nmetrics;
        rep.metrics = NULL;
        rep.nmetrics = 0;
        report_free(&rep);
        sandbox_result_free(&sr);
    }
    free(filter);
    free(oclgrind);
    free(env_order);
    free(env_pocl);
    free(env_exdir);
    free(env_home);
    free(env_tmp);
    free(env_report);
    free(env_nonce);
    free(env_cltrack);
    remove_tree(scratch);
    free(scratch);
    free(report);
    return status;
}

/* ---- scoring ----------------------------------------------------------- */

/* The value of metric `name` that t reported, or NULL. */
static const metric *find_metric(const test_result *t, const char *name)
{
    for (size_t i = 0; i < t->nmetrics; i++)
        if (strcmp(t->metrics[i].name, name) == 0)
            return &t->metrics[i];
    return NULL;
}

/* How many of p's tiers the value reaches: the highest k whose bound it
 * meets (>= min when higher is better, <= max when lower is). */
static size_t tiers_reached(const perf_spec *p, double v)
{
    size_t reached = 0;
    for (size_t k = 0; k < p->ntiers; k++)
        if (p->lower_is_better ? v <= p->tiers[k].bound
                               : v >= p->tiers[k].bound)
            reached = k + 1;
    return reached;
}

/* A number as a person writes it: counts without decimals. */
static char *number_text(double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        return xasprintf("%.0f", v);
    return xasprintf("%.3g", v);
}

/* Why a correct test did not get all its points: the metric, the tier it
 * reached and what the next one needs ("global load sectors 4096: tier 1
 * of 4 (25% of this test's points); tier 2 needs <= 1024: are neighbouring
 * threads reading neighbouring addresses?"). */
static char *perf_message(const perf_spec *p, const metric *m, size_t reached)
{
    const char *name = p->label ? p->label : p->metric;
    if (m == NULL)
        return xasprintf("correct, but the test did not report %s: no "
                         "performance tier (0%% of this test's points)",
                         p->metric);
    const double f = reached ? p->tiers[reached - 1].fraction : 0.0;
    const perf_tier *next = &p->tiers[reached];
    char *value = number_text(m->value), *bound = number_text(next->bound);
    char *msg = xasprintf(
        "correct; %s %s: tier %zu of %zu (%.0f%% of this test's points); "
        "tier %zu needs %s %s%s%s",
        name, value, reached, p->ntiers, f * 100, reached + 1,
        p->lower_is_better ? "<=" : ">=", bound, p->advice ? ": " : "",
        p->advice ? p->advice : "");
    free(value);
    free(bound);
    return msg;
}

static void score(const exercise *ex, exercise_result *r)
{
    double share = r->ntests ? (double)ex->points / (double)r->ntests : 0;
    r->score = 0;
    r->max_score = ex->points;
    int all = r->ntests > 0;
    for (size_t i = 0; i < r->ntests; i++) {
        test_result *t = &r->tests[i];
        t->max_score = share;
        t->score = t->verdict == TV_PASSED ? share : 0;
        const perf_spec *p = manifest_perf_for(ex, t->name);
        if (t->verdict == TV_PASSED && p) {
            const metric *m = find_metric(t, p->metric);
            size_t reached = m ? tiers_reached(p, m->value) : 0;
            double f = reached ? p->tiers[reached - 1].fraction : 0.0;
            t->score = share * f;
            if (reached < p->ntiers && t->message == NULL)
                t->message = perf_message(p, m, reached);
        }
        r->score += t->score;
        all = all && t->verdict == TV_PASSED;
    }
    int any_skipped = 0;
    for (size_t i = 0; i < r->ntests; i++)
        any_skipped |= r->tests[i].verdict == TV_SKIPPED;
    r->verdict = all ? EV_PASSED : (any_skipped ? EV_SKIPPED : EV_FAILED);
}

/* ---- one exercise ------------------------------------------------------ */

static int list_tests(const char *tree, const exercise *ex, char ***names,
                      size_t *count, strbuf *err)
{
    *names = NULL;
    *count = 0;
    for (size_t i = 0; i < ex->tests.n; i++) {
        char *path =
            xasprintf("%s/exercises/%s/%s", tree, ex->id, ex->tests.v[i]);
        char *text = NULL;
        int rc = file_read(path, &text, NULL, 4 << 20);
        free(path);
        if (rc != 0) {
            sb_printf(err, "cannot read exercises/%s/%s", ex->id,
                      ex->tests.v[i]);
            return -1;
        }
        test_list_scan(text, names, count);
        free(text);
    }
    return 0;
}

static void init_result(const exercise *ex, const char *hash,
                        exercise_result *r)
{
    memset(r, 0, sizeof *r);
    r->id = xstrdup(ex->id);
    r->title = xstrdup(ex->title);
    r->chapter = ex->chapter;
    r->hash = xstrdup(hash);
    r->max_score = ex->points;
}

static void not_run_tests(exercise_result *r, char **names, size_t n)
{
    r->tests = calloc(n ? n : 1, sizeof *r->tests);
    if (r->tests == NULL)
        exit(3);
    for (size_t i = 0; i < n; i++) {
        r->tests[i].name = xstrdup(names[i]);
        r->tests[i].verdict = TV_NOT_RUN;
    }
    r->ntests = n;
}

static void free_names_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int grade_cached(const workbook *wb, const exercise *ex, exercise_result *out)
{
    build_options b = {"exercises", 0};
    build_inputs in;
    strbuf err = {0};
    int hit = 0;
    if (build_collect(wb, ex, &b, &in, &err) == 0) {
        char hash[65];
        build_hash(wb, ex, &b, &in, hash);
        hit = cache_load(wb, ex, hash, out);
    }
    build_inputs_free(&in);
    sb_free(&err);
    return hit;
}

/* When ex fails and builds on earlier exercises of the student's that do not
 * pass (or were never checked), says so: the failure may be theirs. */
static char *prerequisite_note(const workbook *wb, const exercise *ex)
{
    strbuf note = {0};
    for (size_t i = 0; i < ex->links.n; i++) {
        const exercise *l = manifest_find(&wb->m, ex->links.v[i]);
        exercise_result r;
        if (l == NULL)
            continue;
        if (!grade_cached(wb, l, &r)) {
            sb_printf(&note, "%s%s (not checked since its last change)",
                      note.len ? ", " : "", l->id);
            continue;
        }
        if (r.verdict != EV_PASSED)
            sb_printf(&note, "%s%s (%s, %d/%zu tests)", note.len ? ", " : "",
                      l->id, exercise_verdict_name(r.verdict), tests_passed(&r),
                      r.ntests);
        exercise_result_free(&r);
    }
    if (note.len == 0)
        return NULL;
    char *msg = xasprintf("this exercise uses your code from %s: make those "
                          "pass first, the failure may come from them",
                          sb_str(&note));
    sb_free(&note);
    return msg;
}

/* The hash of a file, or all zeros when it cannot be read. */
static void hash_file(const char *path, char hex[65])
{
    char *data = NULL;
    size_t len = 0;
    if (file_read(path, &data, &len, 1u << 30) != 0) {
        memset(hex, '0', 64);
        hex[64] = '\0';
        return;
    }
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final_hex(&c, hex);
    free(data);
}

/* As root, the build folder was the run user's while it compiled; from
 * now on the folder and the binary are root's, so no test can replace the
 * binary that later tests run (the run/ scratch folders stay the run
 * user's). */
static int lock_build(const char *dir, const char *binary, strbuf *err)
{
    if (geteuid() != 0)
        return 0;
    if (chown(dir, 0, 0) != 0 || chmod(dir, 0755) != 0 ||
        chown(binary, 0, 0) != 0 || chmod(binary, 0755) != 0) {
        sb_printf(err, "cannot take back %s from the run user: %s", dir,
                  strerror(errno));
        return -1;
    }
    return 0;
}

/* Marks every test not run, each with the exercise's message. */
static void reject_exercise(exercise_result *out, char **names, size_t n,
                            exercise_verdict v, char *message)
{
    out->verdict = v;
    out->message = message;
    if (out->tests == NULL)
        not_run_tests(out, names, n);
    for (size_t i = 0; i < out->ntests; i++) {
        test_result *t = &out->tests[i];
        t->verdict = TV_NOT_RUN;
        t->score = 0;
        free(t->message);
        t->message = xstrdup(message);
    }
    out->score = 0;
}

/* ---- the cuda and opencl kinds: more than one run per test ------------- */

/* Thread orders a cuda test must also pass in (forward runs first). The
 * shuffle's seed is fixed (CUDASIM_SEED=1), so a grade is reproducible. */
static const char *const EXTRA_ORDERS[] = {"reverse", "shuffle"};
enum { NEXTRA_ORDERS = 2, RACE_TIME_FACTOR = 3 };

/* Test time limits an exercise's test may use in all its runs. */
static double runs_per_test(const run_ctx *rc)
{
    if (strcmp(rc->ex->kind, "opencl") == 0) /* + oclgrind */
        return 1 + (rc->ex->race_tier ? RACE_TIME_FACTOR : 1);
    if (strcmp(rc->ex->kind, "cuda") != 0)
        return 1;
    return 1 + NEXTRA_ORDERS + (rc->ex->race_tier ? RACE_TIME_FACTOR : 0) +
           (rc->gpu_binary ? 1 : 0);
}

/* Makes *t the result of a later run that failed, its message prefixed. */
static void take_failure(test_result *t, test_result *later, const char *why)
{
    double wall = t->wall_s + later->wall_s;
    char *msg = xasprintf("%s%s", why, later->message ? later->message : "");
    free(later->message);
    later->message = msg;
    test_result_free(t);
    *t = *later;
    t->wall_s = wall;
}

/* Metrics of a later passing run that the first run did not report join
 * t's (a test built by nvcc reports GPU timings that the simulator's run
 * cannot; for names both report, the first run's value stays). */
static void add_new_metrics(test_result *t, test_result *later)
{
    for (size_t i = 0; i < later->nmetrics; i++) {
        int known = 0;
        for (size_t k = 0; k < t->nmetrics && !known; k++)
            known = strcmp(t->metrics[k].name, later->metrics[i].name) == 0;
        if (known)
            continue;
        metric *m = realloc(t->metrics, (t->nmetrics + 1) * sizeof *m);
        if (m == NULL)
            exit(3);
        t->metrics = m;
        m[t->nmetrics].name = xstrdup(later->metrics[i].name);
        m[t->nmetrics++].value = later->metrics[i].value;
    }
}

/* Runs the passing test t once more as v; when that run does not pass, it
 * becomes t's verdict, its message prefixed with why. */
static int run_again(const run_ctx *rc, size_t index, const char *name,
                     const run_variant *v, double limit, const char *why,
                     test_result *t, strbuf *err)
{
    test_result later = {0};
    if (run_one_test(rc, index, name, v, limit, &later, err) != 0)
        return -1;
    if (later.verdict == TV_PASSED) {
        t->wall_s += later.wall_s;
        add_new_metrics(t, &later);
        test_result_free(&later);
    } else {
        take_failure(t, &later, why);
    }
    return 0;
}

/* A test of kind cuda passes only if it passes in the simulator in every
 * thread order, in the race tier (race_tier), and on the GPU where there is
 * one. The first run that fails decides the verdict and the message. */
static int run_cuda_test(const run_ctx *rc, size_t index, const char *name,
                         double limit, test_result *t, strbuf *err)
{
    for (int k = 0; k < NEXTRA_ORDERS && t->verdict == TV_PASSED; k++) {
        const run_variant v = {rc->binary, RUN_PLAIN, EXTRA_ORDERS[k]};
        char *why = xasprintf("passes with the threads in forward order but "
                              "not with CUDASIM_ORDER=%s (the result depends "
                              "on the order threads run in: a missing "
                              "__syncthreads() or __syncwarp()?): ",
                              EXTRA_ORDERS[k]);
        const int r = run_again(rc, index, name, &v, limit, why, t, err);
        free(why);
        if (r != 0)
            return -1;
    }
    if (t->verdict == TV_PASSED && rc->race_binary) {
        const run_variant v = {rc->race_binary, RUN_RACE, NULL};
        if (run_again(rc, index, name, &v, limit * RACE_TIME_FACTOR, "", t,
                      err) != 0)
            return -1;
    }
    if (t->verdict == TV_PASSED && rc->gpu_binary) {
        const run_variant v = {rc->gpu_binary, RUN_PLAIN, NULL};
        if (run_again(rc, index, name, &v, limit,
                      "passes in the simulator but not on the GPU: ", t,
                      err) != 0)
            return -1;
    }
    return 0;
}

/* An opencl test that did not pass is run again under oclgrind (when
 * installed), whose first finding (it exits 0 even then) joins the
 * message. */
static int explain_opencl_failure(const run_ctx *rc, size_t index,
                                  const char *name, double limit,
                                  test_result *t, strbuf *err)
{
    char *grind = find_program("oclgrind");
    if (grind == NULL || t->verdict == TV_MEMORY || t->verdict == TV_SKIPPED)
        return free(grind), 0;
    free(grind);
    run_variant v = {rc->binary, RUN_OCLGRIND, NULL};
    test_result g = {0};
    double cap =
        t->verdict == TV_TIMEOUT ? OCLGRIND_HANG_LIMIT_S : OCLGRIND_LIMIT_S;
    double glimit = limit < cap ? limit : cap;
    if (run_one_test(rc, index, name, &v, glimit, &g, err) != 0)
        return -1;
    if (g.message && g.message[0]) {
        char *m = xasprintf("%s; oclgrind says: %s",
                            t->message ? t->message : "failed", g.message);
        free(t->message);
        t->message = m;
    }
    test_result_free(&g);
    return 0;
}

/* The race tier of an opencl exercise: a test that passed on PoCL runs
 * again under oclgrind (when installed), and any finding of it (invalid
 * access, data race, barrier divergence: PoCL runs such kernels without
 * complaint) fails the test. */
static int oclgrind_tier(const run_ctx *rc, size_t index, const char *name,
                         double limit, test_result *t, strbuf *err)
{
    char *grind = find_program("oclgrind");
    if (grind == NULL)
        return 0;
    free(grind);
    run_variant v = {rc->binary, RUN_OCLGRIND, NULL};
    test_result g = {0};
    if (run_one_test(rc, index, name, &v, limit * RACE_TIME_FACTOR, &g, err) !=
        0)
        return -1;
    t->wall_s += g.wall_s;
    if (g.message && g.message[0]) {
        t->verdict = TV_FAILED;
        free(t->message);
        t->message = xasprintf("passes on PoCL, but oclgrind (the race tier "
                               "for OpenCL kernels) finds: %s",
                               g.message);
    }
    test_result_free(&g);
    return 0;
}

/* Runs test `name` every way its kind asks for; limit is the test's own
 * time limit, left what remains of the exercise's budget. */
static int run_test(const run_ctx *rc, size_t index, const char *name,
                    double limit, double left, test_result *t, strbuf *err)
{
    run_variant v = {rc->binary, RUN_PLAIN, NULL};
    if (run_one_test(rc, index, name, &v, left < limit ? left : limit, t,
                     err) != 0)
        return -1;
    if (strcmp(rc->ex->kind, "cuda") == 0 && t->verdict == TV_PASSED)
        return run_cuda_test(rc, index, name, limit, t, err);
    if (strcmp(rc->ex->kind, "opencl") == 0 && t->verdict != TV_PASSED)
        return explain_opencl_failure(rc, index, name, limit, t, err);
    if (strcmp(rc->ex->kind, "opencl") == 0 && rc->ex->race_tier)
        return oclgrind_tier(rc, index, name, limit, t, err);
    return 0;
}

/* Runs every test of a built, inspected exercise. Each gets its own limit,
 * but never more than what is left of the exercise's budget (the sum of
 * the limits plus a little overhead per test), so the exercise as a whole
 * has a wall-clock bound too. */
static int run_tests(const run_ctx *rc, const grade_options *o, char **names,
                     size_t ntests, exercise_result *out, strbuf *err)
{
    char binary_hash[65], now_hash[65];
    hash_file(rc->binary, binary_hash);
    double limit = rc->ex->time_limit_s;
    double budget =
        (double)ntests * (runs_per_test(rc) * limit + TEST_OVERHEAD_S);
    double start = monotonic_seconds();
    for (size_t i = 0; i < ntests; i++) {
        progress(o, names[i]);
        test_result *t = &out->tests[i];
        /* Without Landlock the grader's own user could change the binary
         * from inside a test: later tests would run the student's
         * program instead of the tests. */
        hash_file(rc->binary, now_hash);
        if (strcmp(now_hash, binary_hash) != 0) {
            reject_exercise(out, names, ntests, EV_TAMPERED,
                            xasprintf("the test program was changed while "
                                      "its tests ran (by test %s or "
                                      "earlier): tampering with the "
                                      "grader's files is rejected",
                                      i > 0 ? names[i - 1] : names[0]));
            return 0;
        }
        double left = budget - (monotonic_seconds() - start);
        if (left < 0.1) {
            t->verdict = TV_TIMEOUT;
            t->message = xasprintf("not run: the exercise's time budget of "
                                   "%.3g s was used up by the tests before",
                                   budget);
            continue;
        }
        free(t->name);
        t->name = NULL;
        if (run_test(rc, i, names[i], limit, left, t, err) != 0)
            return -1;
    }
    return 0;
}

int grade_exercise(const workbook *wb, const exercise *ex,
                   const grade_options *o, exercise_result *out, strbuf *err)
{
    double start = monotonic_seconds();
    take_snapshot(wb); /* before any student code runs */
    build_inputs in;
    strbuf why = {0};
    if (build_collect(wb, ex, &o->build, &in, &why) != 0) {
        /* A deleted student file is the student's problem, not ours. */
        init_result(ex, "", out);
        out->verdict = EV_BUILD_ERROR;
        out->message = sb_steal(&why);
        build_inputs_free(&in);
        return 0;
    }
    char hash[65];
    build_hash(wb, ex, &o->build, &in, hash);
    if (o->use_cache && cache_load(wb, ex, hash, out)) {
        out->cached = 1;
        build_inputs_free(&in);
        return 0;
    }
    init_result(ex, hash, out);
    const char *missing = missing_requirement(ex);
    if (missing) {
        out->verdict = EV_SKIPPED;
        out->message = xstrdup(missing);
        build_inputs_free(&in);
        return 0;
    }

    char *dir = xasprintf("%s/%s%s%s", wb->build_dir, ex->id, o->tag ? "." : "",
                          o->tag ? o->tag : "");
    char *tree = build_tree_path(dir);
    char *binary = build_binary_path(dir, ex);
    strbuf log = {0};
    char **names = NULL;
    size_t ntests = 0;
    int status = 0;
    progress(o, "building");
    if (mkdir_p(dir, 0755) != 0) {
        sb_printf(err, "cannot create %s: %s", dir, strerror(errno));
        status = 3;
    } else {
        int b = build_run(wb, ex, &o->build, &in, dir, &log, err);
        if (b < 0)
            status = 3;
        else if (list_tests(tree, ex, &names, &ntests, err) != 0)
            status = 3;
        else if (ntests == 0) {
            sb_printf(err, "exercises/%s: no LL_TEST found in its test files",
                      ex->id);
            status = 3;
        } else if (b == 1) {
            if (log.data) {
                char *prefix = xasprintf("%s/", tree);
                strip_prefix_everywhere(log.data, prefix);
                log.len = strlen(log.data);
                free(prefix);
            }
            out->verdict = EV_BUILD_ERROR;
            out->message = build_cuda_nvcc_message(log.data);
            if (out->message == NULL)
                out->message = xstrdup("does not compile");
            not_run_tests(out, names, ntests);
        } else {
            char *prefix = xasprintf("%s/", tree);
            char *race = build_cuda_race_binary(dir, ex);
            char *gpu = build_cuda_gpu_binary(dir, ex);
            int is_cuda = strcmp(ex->kind, "cuda") == 0;
            run_ctx rc = {wb,
                          ex,
                          dir,
                          binary,
                          prefix,
                          is_cuda && file_exists(race) ? race : NULL,
                          is_cuda && file_exists(gpu) ? gpu : NULL};
            strbuf why_tampered = {0};
            progress(o, "inspecting");
            int tc = tamper_check(wb, ex, &in, dir, &why_tampered, err);
            if (tc < 0 || lock_build(dir, binary, err) != 0 ||
                (rc.race_binary && lock_build(dir, rc.race_binary, err)) ||
                (rc.gpu_binary && lock_build(dir, rc.gpu_binary, err))) {
                status = 3;
            } else if (tc > 0) {
                char *msg = sb_steal(&why_tampered);
                defuse(&msg);
                reject_exercise(out, names, ntests, EV_TAMPERED, msg);
            } else {
                not_run_tests(out, names, ntests);
                if (run_tests(&rc, o, names, ntests, out, err) != 0)
                    status = 3;
                else if (out->verdict != EV_TAMPERED)
                    score(ex, out);
            }
            sb_free(&why_tampered);
            free(race);
            free(gpu);
            free(prefix);
        }
    }
    if (log.len > 0) {
        char *safe = utf8_sanitize(log.data, log.len);
        defuse(&safe);
        out->build_log = safe;
    }
    out->max_score = ex->points;
    if (status == 0 && out->verdict != EV_PASSED && out->message == NULL &&
        o->store_cache)
        out->message = prerequisite_note(wb, ex);
    out->wall_s = monotonic_seconds() - start;
    if (status == 0 && o->store_cache)
        cache_store(wb, ex, out);
    sb_free(&log);
    free_names_list(names, ntests);
    free(dir);
    free(tree);
    free(binary);
    build_inputs_free(&in);
    return status;
}

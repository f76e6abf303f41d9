/* grading.c: see grading.h.
 *
 * A test's verdict is decided from facts the student's code cannot easily
 * fake: the sandbox's view of the process (deadline, memory, signals) and
 * the harness records in a private report file. Criterion's own opinion is
 * only used to confirm a pass: a test passes when its body wrote "done",
 * no check failed and the runner exited 0. */
#include "grading.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "files.h"
#include "report_json.h"
#include "report_protocol.h"
#include "sandbox.h"
#include "test_list.h"
#include "utf8.h"

enum {
    OUTPUT_CAP = 64 * 1024,  /* bytes kept of each stream of a test */
    OUTPUT_SHOWN = 4000,     /* bytes of it kept in the result */
    REPORT_MAX = 1 << 20,    /* bytes of the report file read */
    FILE_SIZE_LIMIT_MB = 64, /* largest file a test may write */
    TEST_MAX_PROCESSES = 32, /* Criterion needs a runner and a worker */
};

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (d == NULL)
        exit(3);
    return d;
}

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

static int cache_load(const workbook *wb, const exercise *ex, const char *hash,
                      exercise_result *out)
{
    char *path = cache_path(wb, ex);
    char *text = NULL;
    int rc = file_read(path, &text, NULL, 16 << 20);
    free(path);
    if (rc != 0)
        return 0;
    cJSON *j = cJSON_Parse(text);
    free(text);
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
    const char *dir;    /* the build folder */
    const char *binary; /* the test binary */
    const char *tree;   /* staged sources: shortened away in messages */
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
    static const char *const keys[] = {
        "runtime error:", "ERROR: AddressSanitizer:", "ERROR: LeakSanitizer:",
        "SUMMARY: AddressSanitizer:"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
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
                   const test_report *rep, test_result *t)
{
    double limit = rc->ex->time_limit_s;
    char *san = sanitizer_summary(sr->err);
    if (san)
        strip_prefix_everywhere(san, rc->tree);
    if (sr->timed_out) {
        t->verdict = TV_TIMEOUT;
        t->message = xasprintf(
            "did not finish within %.3g s (an endless loop, or waiting for "
            "something that never comes?)",
            limit);
    } else if (sr->memory_exceeded) {
        t->verdict = TV_MEMORY;
        t->message = xasprintf("used more than %d MB of memory",
                               rc->ex->memory_limit_mb);
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
    } else {
        t->verdict = TV_PASSED;
    }
    free(san);
}

static int run_one_test(const run_ctx *rc, size_t index, const char *name,
                        test_result *t, strbuf *err)
{
    char *scratch = xasprintf("%s/run/%zu", rc->dir, index);
    char *report = xasprintf("%s/report", scratch);
    if (prepare_scratch(scratch, report, err) != 0) {
        free(scratch);
        free(report);
        return -1;
    }
    char *filter = xasprintf("--filter=%s", name);
    char *argv[] = {(char *)rc->binary, filter, "--jobs=1", "--color=never",
                    NULL};
    char *env_home = xasprintf("HOME=%s", scratch);
    char *env_tmp = xasprintf("TMPDIR=%s", scratch);
    char *env_report = xasprintf("LL_REPORT_FILE=%s", report);
    char *envp[] = {
        "PATH=/usr/local/bin:/usr/bin:/bin",
        "LANG=C.UTF-8",
        "TERM=dumb",
        "NO_COLOR=1",
        env_home,
        env_tmp,
        env_report,
        "ASAN_OPTIONS=leak_check_at_exit=0:detect_leaks=1:abort_on_error=0:"
        "allocator_may_return_null=1:quarantine_size_mb=64:"
        "malloc_context_size=8:handle_abort=0",
        "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1",
        "OPENBLAS_NUM_THREADS=1",
        NULL,
    };
    int perf = strcmp(rc->ex->kind, "c_perf") == 0;
    sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = scratch,
        .wall_limit_s = rc->ex->time_limit_s,
        .cpu_limit_s = rc->ex->time_limit_s * (perf ? 4 : 1),
        .memory_limit_mb = rc->ex->memory_limit_mb,
        .limit_address_space = perf,
        .file_size_limit_mb = FILE_SIZE_LIMIT_MB,
        .max_processes = TEST_MAX_PROCESSES,
        .output_cap = OUTPUT_CAP,
    };
    sandbox_result sr;
    int status = sandbox_run(&spec, &sr, err);
    if (status == 0) {
        char *text = NULL;
        size_t len = 0;
        test_report rep;
        if (file_read(report, &text, &len, REPORT_MAX) != 0) {
            text = xstrdup("");
            len = 0;
        }
        report_parse(text, len, &rep);
        free(text);
        t->name = xstrdup(name);
        t->wall_s = sr.wall_s;
        decide(rc, &sr, &rep, t);
        if (t->verdict != TV_PASSED) {
            strbuf out = {0};
            append_stream(&out, "stdout", sr.out, sr.out_len, sr.out_total);
            append_stream(&out, "stderr", sr.err, sr.err_len, sr.err_total);
            if (out.len > 0) {
                strip_prefix_everywhere(out.data, rc->tree);
                t->output = utf8_sanitize(out.data, strlen(out.data));
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
    free(env_home);
    free(env_tmp);
    free(env_report);
    remove_tree(scratch);
    free(scratch);
    free(report);
    return status;
}

/* ---- scoring ----------------------------------------------------------- */

static double perf_fraction(const perf_spec *p, const test_result *t)
{
    for (size_t i = 0; i < t->nmetrics; i++) {
        if (strcmp(t->metrics[i].name, p->metric) != 0)
            continue;
        double f = 0;
        for (size_t k = 0; k < p->ntiers; k++)
            if (t->metrics[i].value >= p->tiers[k].min)
                f = p->tiers[k].fraction;
        return f;
    }
    return 0; /* the metric was never reported */
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
        if (t->verdict == TV_PASSED && ex->perf &&
            strcmp(ex->perf->test, t->name) == 0) {
            double f = perf_fraction(ex->perf, t);
            t->score = share * f;
            if (f < 1.0 && t->message == NULL)
                t->message = xasprintf(
                    "correct; performance tier reached: %.0f%% of this "
                    "test's points",
                    f * 100);
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

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int grade_exercise(const workbook *wb, const exercise *ex,
                   const grade_options *o, exercise_result *out, strbuf *err)
{
    double start = seconds_now();
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
            out->message = xstrdup("does not compile");
            not_run_tests(out, names, ntests);
        } else {
            char *prefix = xasprintf("%s/", tree);
            run_ctx rc = {wb, ex, dir, binary, prefix};
            not_run_tests(out, names, ntests);
            for (size_t i = 0; i < ntests && status == 0; i++) {
                progress(o, names[i]);
                test_result *t = &out->tests[i];
                free(t->name);
                t->name = NULL;
                if (run_one_test(&rc, i, names[i], t, err) != 0)
                    status = 3;
            }
            if (status == 0)
                score(ex, out);
            free(prefix);
        }
    }
    if (log.len > 0) {
        char *safe = utf8_sanitize(log.data, log.len);
        out->build_log = safe;
    }
    out->max_score = ex->points;
    if (status == 0 && out->verdict != EV_PASSED && out->message == NULL &&
        o->store_cache)
        out->message = prerequisite_note(wb, ex);
    out->wall_s = seconds_now() - start;
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

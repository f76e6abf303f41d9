/* llmlings_harness.c: the runtime behind llmlings.h.
 *
 * The grader runs one test per process and names a report file in
 * LL_REPORT_FILE. Everything the grader trusts about a test comes from the
 * one-line records written here (read by grader/src/run/harness_records.c):
 *
 *   start <suite>/<name>     the body is about to run
 *   fail <file>:<line> <msg> a check failed (msg escaped: \\ \n \t \xNN)
 *   metric <name> <value>    a measurement
 *   skip <reason>            the test cannot run here (missing hardware)
 *   crash <signal>           a fatal signal arrived during the body
 *   sanitizer                AddressSanitizer/UBSan stopped the program
 *   done <suite>/<name> <nonce>  the body returned normally, checks passed
 *
 * The nonce is a per-run secret the grader passes in LL_REPORT_NONCE: a
 * "done" without it is a forgery (student code can find the report file
 * among its descriptors, but not the nonce without digging through the
 * harness's memory). It is taken out of the environment before any test
 * body runs: scrubbed from the environment block /proc/PID/environ shows,
 * kept for the worker Criterion starts, and erased in that worker. The
 * processes are made non-dumpable, so a test cannot read its runner's
 * memory either.
 *
 * Each record is one write() of at most LL_RECORD_MAX bytes, so records from
 * concurrent writers never interleave. Without LL_REPORT_FILE (a student
 * running the test binary by hand) records go nowhere and Criterion's own
 * messages are all there is.
 */
#define _GNU_SOURCE
#include "llmlings.h"

/* The real Criterion only: the race tier's stand-in (hardware/cudasim/race)
 * runs the tests in-process, with no runner and no hooks. */
#ifndef LLMLINGS_RACE_CRITERION_H
#include <criterion/hooks.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#define LL_HAVE_ASAN 1
#else
#define LL_HAVE_ASAN 0
#endif

enum { LL_RECORD_MAX = 3800, LL_MESSAGE_MAX = 2048 };

static int report_fd = -1;
static char report_nonce[72];

/* Erases the value of an environment variable where it lies (the block
 * /proc/PID/environ shows, or a heap copy) and removes it. */
static void erase_env(const char *name)
{
    char *v = getenv(name);
    if (v != NULL)
        memset(v, 0, strlen(v));
    unsetenv(name);
}

/* Runs in every process of the test binary (the Criterion runner and each
 * worker it re-executes) before main, so before any test body: the nonce
 * moves from the environment block into this process's memory. The runner
 * hands it on to its workers in a heap copy of the variable, which
 * ll_test_begin erases in the worker before the body runs. */
__attribute__((constructor)) static void take_nonce(void)
{
    const char *v = getenv("LL_REPORT_NONCE");
    if (v == NULL)
        return;
    snprintf(report_nonce, sizeof report_nonce, "%s", v);
    erase_env("LL_REPORT_NONCE");
    setenv("LL_REPORT_NONCE", report_nonce, 1);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Opens the channel in the test worker, before any student code runs.
 * Criterion re-executes this binary for each worker and closes inherited
 * descriptors there, so the grader names a file, not a descriptor. The
 * variable is removed and the descriptor is close-on-exec, so programs the
 * test starts inherit neither. */
static void open_channel(void)
{
    const char *path = getenv("LL_REPORT_FILE");
    if (path == NULL || report_fd >= 0)
        return;
    report_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    unsetenv("LL_REPORT_FILE");
}

/* Appends s to out (capacity cap, NUL kept) with the protocol's escapes. */
static size_t escape_into(char *out, size_t len, size_t cap, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (; *s != '\0' && len + 5 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\') {
            out[len++] = '\\';
            out[len++] = '\\';
        } else if (c == '\n') {
            out[len++] = '\\';
            out[len++] = 'n';
        } else if (c == '\t') {
            out[len++] = '\\';
            out[len++] = 't';
        } else if (c < 0x20 || c == 0x7f) {
            out[len++] = '\\';
            out[len++] = 'x';
            out[len++] = hex[c >> 4];
            out[len++] = hex[c & 15];
        } else {
            out[len++] = (char)c; /* UTF-8 bytes pass; the grader validates */
        }
    }
    out[len] = '\0';
    return len;
}

/* Writes "<kind> <plain> <escaped>\n" as a single write(). */
static void emit(const char *kind, const char *plain, const char *escaped)
{
    if (report_fd < 0)
        return;
    char rec[LL_RECORD_MAX + 8];
    int n = snprintf(rec, LL_RECORD_MAX, "%s%s%s", kind, plain ? " " : "",
                     plain ? plain : "");
    if (n < 0)
        return;
    size_t len = (size_t)n < LL_RECORD_MAX ? (size_t)n : LL_RECORD_MAX - 1;
    if (escaped != NULL) {
        rec[len++] = ' ';
        len = escape_into(rec, len, LL_RECORD_MAX, escaped);
    }
    rec[len++] = '\n';
    ssize_t w;
    do {
        w = write(report_fd, rec, len);
    } while (w < 0 && errno == EINTR);
}

static void emit_signal_safe(const char *line)
{
    if (report_fd >= 0)
        (void)!write(report_fd, line, strlen(line));
}

/* The crash record for signal sig (a string literal: safe in a handler). */
static const char *crash_record(int sig)
{
    switch (sig) {
    case SIGSEGV: return "crash SIGSEGV\n";
    case SIGBUS: return "crash SIGBUS\n";
    case SIGFPE: return "crash SIGFPE\n";
    case SIGILL: return "crash SIGILL\n";
    case SIGABRT: return "crash SIGABRT\n";
    default: return "crash signal\n";
    }
}

static void on_fatal_signal(int sig)
{
    emit_signal_safe(crash_record(sig));
    signal(sig, SIG_DFL);
    raise(sig);
}

#ifndef LLMLINGS_RACE_CRITERION_H
/* Runs in the Criterion runner (not in the worker) when a test's worker
 * was killed by a signal. The worker's own handler usually wrote the crash
 * record already, but a library the test loads can replace it: LLVM, which
 * PoCL loads to compile OpenCL kernels, installs its own crash handlers
 * with SA_RESETHAND, and when two threads fault at once the second one
 * kills the process before anything is written (seen in 1 run of 10 of a
 * kernel with a divergent barrier). The runner saw the worker die, so it
 * says so too; a second crash record changes nothing. The file is opened
 * here without touching the environment the runner hands to workers. */
ReportHook(TEST_CRASH)(struct criterion_test_stats *stats)
{
    const char *path = getenv("LL_REPORT_FILE");
    if (path == NULL || stats->signal == 0)
        return;
    const int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return;
    const char *line = crash_record(stats->signal);
    (void)!write(fd, line, strlen(line));
    close(fd);
}
#endif

#if LL_HAVE_ASAN
static void on_sanitizer_death(void)
{
    emit_signal_safe("sanitizer\n");
}
#endif

static void watch_fatal_signals(void)
{
    /* abort() is not intercepted by AddressSanitizer; the others are, and
     * its report is better than ours, so we leave them to it. */
    signal(SIGABRT, on_fatal_signal);
#if LL_HAVE_ASAN
    __sanitizer_set_death_callback(on_sanitizer_death);
#else
    signal(SIGSEGV, on_fatal_signal);
    signal(SIGBUS, on_fatal_signal);
    signal(SIGFPE, on_fatal_signal);
    signal(SIGILL, on_fatal_signal);
#endif
}

void ll_test_begin(const char *suite, const char *name)
{
    char id[512];
    snprintf(id, sizeof id, "%s/%s", suite, name);
    open_channel();
    erase_env("LL_REPORT_NONCE"); /* the body must not find it */
    watch_fatal_signals();
    emit("start", id, NULL);
}

void ll_test_end(const char *suite, const char *name)
{
#if LL_HAVE_ASAN
    /* Leaks are a failure of this test, reported while we can still say so
     * (the at-exit check would only change the exit status). */
    if (__lsan_do_recoverable_leak_check() != 0)
        ll_fail("(end of test)", 0,
                "memory leak: memory allocated during this test was never "
                "freed (the LeakSanitizer report below says where it was "
                "allocated)");
#endif
    char id[600];
    snprintf(id, sizeof id, "%s/%s%s%s", suite, name,
             report_nonce[0] ? " " : "", report_nonce);
    emit("done", id, NULL);
}

static void record_failure(const char *file, int line, const char *msg)
{
    const char *base = strrchr(file, '/');
    char where[300];
    snprintf(where, sizeof where, "%s:%d", base ? base + 1 : file, line);
    emit("fail", where, msg);
}

void ll_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[LL_MESSAGE_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    record_failure(file, line, msg);
    /* Criterion's own report says the same, for a student running the test
     * binary by hand; cr_assert_fail marks the test failed and aborts it. */
    cr_assert_fail("%s", msg);
    abort(); /* not reached */
}

void ll_metric(const char *name, double value)
{
    char buf[320];
    snprintf(buf, sizeof buf, "%.64s %.9g", name, value);
    for (char *p = buf; *p && *p != ' '; p++)
        if (*p <= ' ' || *p > '~')
            *p = '_';
    emit("metric", buf, NULL);
}

void ll_skip(const char *fmt, ...)
{
    char msg[LL_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emit("skip", NULL, msg);
    cr_skip_test("%s", msg);
    abort();
}

const char *ll_format_floats(char *buf, size_t cap, const float *v, size_t n)
{
    size_t len = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    len += (size_t)snprintf(buf, cap, "[");
    for (size_t i = 0; i < n && len + 24 < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%.6g", i ? ", " : "",
                                (double)v[i]);
    if (len + 6 < cap)
        snprintf(buf + len, cap - len, "%s]",
                 n > 8 && len + 24 >= cap ? ", ..." : "");
    return buf;
}

size_t ll_first_mismatch(const float *actual, const float *expected, size_t n,
                         float atol, float rtol, double *max_err)
{
    size_t first = n;
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = actual[i], e = expected[i];
        int both_nan = isnan(a) && isnan(e);
        double err = both_nan ? 0.0 : fabs(a - e);
        if (isnan(err) || isinf(err))
            err = INFINITY;
        if (err > worst)
            worst = err;
        int ok = both_nan || (a == e) || err <= atol + rtol * fabs(e);
        if (!ok && first == n)
            first = i;
    }
    if (max_err)
        *max_err = worst;
    return first;
}

void ll_check_str_eq_(const char *actual, const char *expected,
                      const char *what, const char *file, int line)
{
    if (actual == NULL && expected == NULL)
        return;
    if (actual == NULL || expected == NULL) {
        ll_fail(file, line, "%s: expected %s%s%s, got %s%s%s", what,
                expected ? "\"" : "", expected ? expected : "NULL",
                expected ? "\"" : "", actual ? "\"" : "",
                actual ? actual : "NULL", actual ? "\"" : "");
    }
    if (strcmp(actual, expected) != 0)
        ll_fail(file, line, "%s: expected \"%s\", got \"%s\"", what, expected,
                actual);
}

void ll_check_float_near_(double actual, double expected, double tol,
                          const char *what, const char *file, int line)
{
    if (isnan(actual) && isnan(expected))
        return;
    if (actual == expected) /* also equal infinities */
        return;
    if (!(fabs(actual - expected) <= tol))
        ll_fail(file, line, "%s: expected %.9g (within %.3g), got %.9g", what,
                expected, tol, actual);
}

void ll_check_floats_near_(const float *actual, const float *expected, size_t n,
                           float atol, float rtol, const char *what,
                           const char *file, int line)
{
    if (actual == NULL)
        ll_fail(file, line, "%s: expected %zu floats, got a NULL pointer", what,
                n);
    double worst = 0.0;
    size_t i = ll_first_mismatch(actual, expected, n, atol, rtol, &worst);
    if (i == n)
        return;
    ll_fail(file, line,
            "%s: element [%zu] expected %.9g, got %.9g (tolerance %.3g + "
            "%.3g*|expected|; largest error over all %zu elements: %.3g)",
            what, i, (double)expected[i], (double)actual[i], (double)atol,
            (double)rtol, n, worst);
}

void ll_check_bytes_eq_(const void *actual, const void *expected, size_t n,
                        const char *what, const char *file, int line)
{
    const unsigned char *a = actual, *e = expected;
    if (a == NULL)
        ll_fail(file, line, "%s: expected %zu bytes, got a NULL pointer", what,
                n);
    for (size_t i = 0; i < n; i++)
        if (a[i] != e[i])
            ll_fail(file, line,
                    "%s: byte %zu of %zu: expected 0x%02x, got 0x%02x", what, i,
                    n, e[i], a[i]);
}

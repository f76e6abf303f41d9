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
 *
 * Judge mode adds a second, binary channel, LL_OBS_FILE: one record per
 * check, in the order the checks ran (see "check records" below). A test
 * built with -DLL_OBSERVE writes observations (the value it checked); the
 * same test built with the reference solution writes expectations (the
 * expected value and the tolerance). The grader compares the two; nothing
 * the observing process says about pass or fail is believed.
 *
 * Test data comes from a generator seeded per test from LL_SEED and the
 * test's name (see "test data" below).
 *
 * Performance drivers (LL_PERF_DRIVER, judge mode's own timing) run one
 * body from their own main, without Criterion: a failed check ends the
 * process with status 1; with LL_PERF_STOPS=1 ll_perf_begin/ll_perf_end
 * stop the process for the grader to read its clocks (see "performance
 * drivers" below).
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
static int in_perf_driver; /* ll_perf_main runs the body: no Criterion */
static int obs_fd = -1;    /* judge mode's check records, or -1 */
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
static int open_named(const char *variable)
{
    const char *path = getenv(variable);
    if (path == NULL)
        return -1;
    const int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    unsetenv(variable);
    return fd;
}

static void open_channel(void)
{
    if (report_fd < 0)
        report_fd = open_named("LL_REPORT_FILE");
    if (obs_fd < 0)
        obs_fd = open_named("LL_OBS_FILE");
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

static void seed_test_data(const char *test_id);
static void record_end(void);

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
    seed_test_data(id);
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
    record_end();
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
    if (in_perf_driver) { /* no Criterion worker to abort */
        fprintf(stderr, "%s:%d: %s\n", file, line, msg);
        _exit(1);
    }
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
    if (in_perf_driver) {
        fprintf(stderr, "skipped: %s\n", msg);
        _exit(1);
    }
    cr_skip_test("%s", msg);
    abort();
}

/* ---- performance drivers ----------------------------------------------------
 * The stop points: the grader (sandbox.c) sees each SIGSTOP, reads the
 * clocks of the stopped process and sends SIGCONT. A stop that nobody
 * resumes would hang, so they happen only when the grader asks for them. */

static int perf_stops_wanted(void)
{
    static int wanted = -1;
    if (wanted < 0) {
        const char *v = getenv("LL_PERF_STOPS");
        wanted = v != NULL && strcmp(v, "1") == 0;
    }
    return wanted;
}

void ll_perf_begin(void)
{
    if (perf_stops_wanted())
        raise(SIGSTOP);
}

void ll_perf_end(void)
{
    if (perf_stops_wanted())
        raise(SIGSTOP);
}

const char *ll_perf_case(const char *def)
{
    const char *v = getenv("LL_PERF_CASE");
    return v != NULL && *v != '\0' ? v : def;
}

int ll_perf_main(const char *suite, const char *name, void (*body)(void))
{
    in_perf_driver = 1;
    (void)perf_stops_wanted(); /* read before the body can change it */
    ll_test_begin(suite, name);
    body();
    ll_test_end(suite, name);
    return 0;
}

/* ---- test data -----------------------------------------------------------
 * xoshiro256** (Blackman and Vigna), seeded by splitmix64 from the run's
 * seed mixed with a hash of the test's "suite/name". */

enum { LL_DEFAULT_SEED = 0x6c6c6d6c696e6773 }; /* "llmlings" */

static uint64_t run_seed = LL_DEFAULT_SEED;
static uint64_t rng[4];

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

/* LL_SEED is 1-16 hex digits; anything else keeps the default, so a typo
 * cannot silently make every run different. */
static void read_run_seed(void)
{
    const char *v = getenv("LL_SEED");
    if (v == NULL || *v == '\0' || strlen(v) > 16)
        return;
    char *end = NULL;
    errno = 0;
    const unsigned long long x = strtoull(v, &end, 16);
    if (errno == 0 && end != NULL && *end == '\0')
        run_seed = (uint64_t)x;
}

static void seed_test_data(const char *test_id)
{
    read_run_seed();
    uint64_t x = run_seed ^ fnv1a(test_id);
    for (int i = 0; i < 4; i++)
        rng[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t ll_seed(void)
{
    return run_seed;
}

uint64_t ll_rand_u64(void)
{
    if ((rng[0] | rng[1] | rng[2] | rng[3]) == 0) /* used before a test */
        seed_test_data("");
    const uint64_t result = rotl(rng[1] * 5, 7) * 9;
    const uint64_t t = rng[1] << 17;
    rng[2] ^= rng[0];
    rng[3] ^= rng[1];
    rng[1] ^= rng[2];
    rng[0] ^= rng[3];
    rng[2] ^= t;
    rng[3] = rotl(rng[3], 45);
    return result;
}

uint32_t ll_rand_u32(void)
{
    return (uint32_t)(ll_rand_u64() >> 32);
}

double ll_rand_unit(void)
{
    return (double)(ll_rand_u64() >> 11) * 0x1.0p-53;
}

/* Uniform in [0, bound) without modulo bias (Lemire's method). */
static uint64_t below(uint64_t bound)
{
    if (bound == 0)
        return ll_rand_u64(); /* the whole 64-bit range */
    const uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        const uint64_t r = ll_rand_u64();
        if (r >= threshold)
            return r % bound;
    }
}

long long ll_rand_int(long long lo, long long hi)
{
    if (hi < lo)
        ll_fail(__FILE__, __LINE__, "ll_rand_int(%lld, %lld): empty range", lo,
                hi);
    const uint64_t span = (uint64_t)hi - (uint64_t)lo + 1; /* 0: all 2^64 */
    return (long long)((uint64_t)lo + below(span));
}

float ll_rand_float(float lo, float hi)
{
    /* 24 random bits: every value is exactly representable, and the result
     * stays below hi */
    const float u = (float)(ll_rand_u32() >> 8) * 0x1.0p-24f;
    const float x = lo + (hi - lo) * u;
    return x < hi ? x : lo;
}

void ll_rand_floats(float *v, size_t n, float lo, float hi)
{
    for (size_t i = 0; i < n; i++)
        v[i] = ll_rand_float(lo, hi);
}

void ll_rand_permutation(size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = n; i > 1; i--) {
        const size_t j = (size_t)below(i);
        const size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

void *ll_alloc(size_t bytes)
{
    void *p = malloc(bytes + 1);
    if (p == NULL)
        ll_fail(__FILE__, __LINE__,
                "the test could not allocate %zu bytes for its data", bytes);
    return p;
}

/* ---- check records (judge mode, LL_OBS_FILE) -------------------------------
 * Binary, in host byte order (the grader reads them on the same machine),
 * one record per check in the order the checks ran:
 *
 *   u32 magic    0x424f4c4c ("LLOB" in a little-endian dump)
 *   u8  role     1 observation (-DLL_OBSERVE build), 2 expectation
 *                (reference build), 3 end of the test body
 *   u8  kind     see enum ll_check_kind
 *   u16 site_len length of the site, "file.c:line"
 *   u32 what_len length of the what text (expectations only; else 0)
 *   u32 reserved 0
 *   u64 n        number of elements of the value
 *   site bytes, what bytes, then the value:
 *
 *   kind        observation          expectation
 *   BOOL        i64 (0 or 1)         i64 1
 *   INT         i64                  i64
 *   UINT        u64                  u64
 *   PTRDIFF     i64 actual-expected  i64 0
 *   NULLNESS    i64 1 if NULL        i64 1 if NULL expected
 *   STR         n bytes (n = ~0:     the same
 *               NULL, no bytes)
 *   DOUBLE      f64                  f64 expected, f64 tolerance
 *   FLOATS      n x f32              n x f32 expected, f32 atol, f32 rtol
 *   FLOATS_TOL  n x f32              n x f32 expected, n x f32 tolerance
 *   BYTES       n bytes              n bytes
 *
 * An observing build records FLOATS for both array checks; the grader takes
 * the kind that decides the comparison from the expectation. Records are
 * written whole (a short write is retried), never interleaved: tests check
 * from one thread. */

enum { LL_OBS_MAGIC = 0x424f4c4c };
enum ll_obs_role { LL_ROLE_OBSERVE = 1, LL_ROLE_EXPECT = 2, LL_ROLE_END = 3 };
enum ll_check_kind {
    LL_KIND_NONE = 0,
    LL_KIND_BOOL = 1,
    LL_KIND_INT = 2,
    LL_KIND_UINT = 3,
    LL_KIND_PTRDIFF = 4,
    LL_KIND_NULLNESS = 5,
    LL_KIND_STR = 6,
    LL_KIND_DOUBLE = 7,
    LL_KIND_FLOATS = 8,
    LL_KIND_FLOATS_TOL = 9,
    LL_KIND_BYTES = 10,
};

typedef struct {
    uint32_t magic;
    uint8_t role;
    uint8_t kind;
    uint16_t site_len;
    uint32_t what_len;
    uint32_t reserved;
    uint64_t n;
} ll_record_head;

typedef struct {
    const void *data;
    size_t len;
} ll_part;

static void write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        const ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* the grader sees a short record: not passed */
        p += w;
        len -= (size_t)w;
    }
}

/* "file.c:line", the file without its folders. */
static size_t format_site(char *out, size_t cap, const char *file, int line)
{
    const char *base = strrchr(file, '/');
    const int n = snprintf(out, cap, "%s:%d", base ? base + 1 : file, line);
    if (n < 0)
        return 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

static void write_record(int role, int kind, const char *file, int line,
                         const char *what, uint64_t n, const ll_part *parts,
                         size_t nparts)
{
    if (obs_fd < 0)
        return;
    char site[300];
    const size_t site_len = format_site(site, sizeof site, file, line);
    const size_t what_len = what ? strnlen(what, LL_MESSAGE_MAX) : 0;
    const ll_record_head head = {
        .magic = LL_OBS_MAGIC,
        .role = (uint8_t)role,
        .kind = (uint8_t)kind,
        .site_len = (uint16_t)site_len,
        .what_len = (uint32_t)what_len,
        .n = n,
    };
    write_all(obs_fd, &head, sizeof head);
    write_all(obs_fd, site, site_len);
    write_all(obs_fd, what, what_len);
    for (size_t i = 0; i < nparts; i++)
        write_all(obs_fd, parts[i].data, parts[i].len);
}

static void record_end(void)
{
    write_record(LL_ROLE_END, LL_KIND_NONE, "", 0, NULL, 0, NULL, 0);
}

static void observe_i64(int kind, int64_t v, const char *file, int line)
{
    const ll_part p = {&v, sizeof v};
    write_record(LL_ROLE_OBSERVE, kind, file, line, NULL, 1, &p, 1);
}

static void expect_i64(int kind, int64_t v, const char *what, const char *file,
                       int line)
{
    const ll_part p = {&v, sizeof v};
    write_record(LL_ROLE_EXPECT, kind, file, line, what, 1, &p, 1);
}

/* ---- observations (-DLL_OBSERVE builds) -----------------------------------
 */

void ll_observe_bool_(int value, const char *file, int line)
{
    observe_i64(LL_KIND_BOOL, value != 0, file, line);
}

void ll_observe_int_(long long value, const char *file, int line)
{
    observe_i64(LL_KIND_INT, (int64_t)value, file, line);
}

void ll_observe_uint_(unsigned long long value, const char *file, int line)
{
    const uint64_t v = (uint64_t)value;
    const ll_part p = {&v, sizeof v};
    write_record(LL_ROLE_OBSERVE, LL_KIND_UINT, file, line, NULL, 1, &p, 1);
}

void ll_observe_ptrdiff_(uintptr_t actual, uintptr_t expected, const char *file,
                         int line)
{
    const int64_t d = (int64_t)(actual - expected);
    observe_i64(LL_KIND_PTRDIFF, d, file, line);
}

void ll_observe_null_(uintptr_t actual, int stop_if_null, const char *file,
                      int line)
{
    observe_i64(LL_KIND_NULLNESS, actual == 0, file, line);
    if (actual == 0 && stop_if_null)
        ll_fail(file, line, "expected a non-NULL pointer, got NULL");
}

void ll_observe_str_(const char *value, const char *file, int line)
{
    const size_t len = value ? strlen(value) : 0;
    const ll_part p = {value, len};
    write_record(LL_ROLE_OBSERVE, LL_KIND_STR, file, line, NULL,
                 value ? (uint64_t)len : UINT64_MAX, &p, value ? 1 : 0);
}

void ll_observe_double_(double value, const char *file, int line)
{
    const ll_part p = {&value, sizeof value};
    write_record(LL_ROLE_OBSERVE, LL_KIND_DOUBLE, file, line, NULL, 1, &p, 1);
}

void ll_observe_floats_(const float *value, size_t n, const char *file,
                        int line)
{
    if (value == NULL) { /* nothing to observe: the test cannot go on */
        observe_i64(LL_KIND_NULLNESS, 1, file, line);
        ll_fail(file, line, "expected %zu floats, got a NULL pointer", n);
    }
    const ll_part p = {value, n * sizeof *value};
    write_record(LL_ROLE_OBSERVE, LL_KIND_FLOATS, file, line, NULL, n, &p, 1);
}

void ll_observe_bytes_(const void *value, size_t n, const char *file, int line)
{
    if (value == NULL) {
        observe_i64(LL_KIND_NULLNESS, 1, file, line);
        ll_fail(file, line, "expected %zu bytes, got a NULL pointer", n);
    }
    const ll_part p = {value, n};
    write_record(LL_ROLE_OBSERVE, LL_KIND_BYTES, file, line, NULL, n, &p, 1);
}

/* ---- checks (comparing builds) ---------------------------------------------
 * Each compares, fails the test with "what: expected X, got Y", and, when
 * the judge is collecting expectations, records the expected side. */

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

void ll_check_bool_(int ok, const char *cond, const char *file, int line)
{
    if (!ok)
        ll_fail(file, line, "check failed: %s", cond);
    expect_i64(LL_KIND_BOOL, 1, cond, file, line);
}

void ll_check_int_eq_(long long actual, long long expected, const char *what,
                      const char *file, int line)
{
    if (actual != expected)
        ll_fail(file, line, "%s: expected %lld, got %lld", what, expected,
                actual);
    expect_i64(LL_KIND_INT, (int64_t)expected, what, file, line);
}

void ll_check_uint_eq_(unsigned long long actual, unsigned long long expected,
                       const char *what, const char *file, int line)
{
    if (actual != expected)
        ll_fail(file, line, "%s: expected %llu (0x%llx), got %llu (0x%llx)",
                what, expected, expected, actual, actual);
    const uint64_t v = (uint64_t)expected;
    const ll_part p = {&v, sizeof v};
    write_record(LL_ROLE_EXPECT, LL_KIND_UINT, file, line, what, 1, &p, 1);
}

void ll_check_ptr_eq_(uintptr_t actual, uintptr_t expected, const char *what,
                      const char *file, int line)
{
    if (actual != expected)
        ll_fail(file, line, "%s: expected pointer %p, got %p", what,
                (void *)expected, (void *)actual);
    expect_i64(LL_KIND_PTRDIFF, 0, what, file, line);
}

void ll_check_null_(uintptr_t actual, int want_null, const char *what,
                    const char *file, int line)
{
    if (want_null && actual != 0)
        ll_fail(file, line, "%s: expected NULL, got %p", what, (void *)actual);
    if (!want_null && actual == 0)
        ll_fail(file, line, "%s: expected a non-NULL pointer, got NULL", what);
    expect_i64(LL_KIND_NULLNESS, want_null, what, file, line);
}

void ll_check_str_eq_(const char *actual, const char *expected,
                      const char *what, const char *file, int line)
{
    if ((actual == NULL) != (expected == NULL)) {
        ll_fail(file, line, "%s: expected %s%s%s, got %s%s%s", what,
                expected ? "\"" : "", expected ? expected : "NULL",
                expected ? "\"" : "", actual ? "\"" : "",
                actual ? actual : "NULL", actual ? "\"" : "");
    }
    if (actual != NULL && strcmp(actual, expected) != 0)
        ll_fail(file, line, "%s: expected \"%s\", got \"%s\"", what, expected,
                actual);
    const size_t len = expected ? strlen(expected) : 0;
    const ll_part p = {expected, len};
    write_record(LL_ROLE_EXPECT, LL_KIND_STR, file, line, what,
                 expected ? (uint64_t)len : UINT64_MAX, &p, expected ? 1 : 0);
}

void ll_check_float_near_(double actual, double expected, double tol,
                          const char *what, const char *file, int line)
{
    const int ok = (isnan(actual) && isnan(expected)) ||
                   actual == expected || /* also equal infinities */
                   fabs(actual - expected) <= tol;
    if (!ok)
        ll_fail(file, line, "%s: expected %.9g (within %.3g), got %.9g", what,
                expected, tol, actual);
    const ll_part p[] = {{&expected, sizeof expected}, {&tol, sizeof tol}};
    write_record(LL_ROLE_EXPECT, LL_KIND_DOUBLE, file, line, what, 1, p, 2);
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
    if (i != n)
        ll_fail(file, line,
                "%s: element [%zu] expected %.9g, got %.9g (tolerance %.3g + "
                "%.3g*|expected|; largest error over all %zu elements: %.3g)",
                what, i, (double)expected[i], (double)actual[i], (double)atol,
                (double)rtol, n, worst);
    const ll_part p[] = {{expected, n * sizeof *expected},
                         {&atol, sizeof atol},
                         {&rtol, sizeof rtol}};
    write_record(LL_ROLE_EXPECT, LL_KIND_FLOATS, file, line, what, n, p, 3);
}

void ll_check_floats_within_(const float *actual, const float *expected,
                             const float *tol, size_t n, const char *what,
                             const char *file, int line)
{
    if (actual == NULL)
        ll_fail(file, line, "%s: expected %zu floats, got a NULL pointer", what,
                n);
    size_t first = n, worst_at = 0;
    double worst = 0.0; /* the largest error relative to its bound */
    for (size_t i = 0; i < n; i++) {
        const double a = actual[i], e = expected[i];
        const int ok =
            (isnan(a) && isnan(e)) || a == e || fabs(a - e) <= (double)tol[i];
        if (ok)
            continue;
        if (first == n)
            first = i;
        const double excess = fabs(a - e) / ((double)tol[i] + 1e-300);
        if (!(excess <= worst)) { /* also NaN */
            worst = excess;
            worst_at = i;
        }
    }
    if (first != n)
        ll_fail(file, line,
                "%s: element [%zu] expected %.9g (within %.3g), got %.9g "
                "(worst: element [%zu], expected %.9g within %.3g, got "
                "%.9g)",
                what, first, (double)expected[first], (double)tol[first],
                (double)actual[first], worst_at, (double)expected[worst_at],
                (double)tol[worst_at], (double)actual[worst_at]);
    const ll_part p[] = {{expected, n * sizeof *expected},
                         {tol, n * sizeof *tol}};
    write_record(LL_ROLE_EXPECT, LL_KIND_FLOATS_TOL, file, line, what, n, p, 2);
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
    const ll_part p = {expected, n};
    write_record(LL_ROLE_EXPECT, LL_KIND_BYTES, file, line, what, n, &p, 1);
}

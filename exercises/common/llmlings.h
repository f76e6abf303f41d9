/* llmlings.h: the test helpers every exercise's test_*.c includes.
 *
 * Tests are ordinary Criterion tests, declared with LL_TEST instead of Test
 * and checked with the LL_CHECK_* macros below. The difference matters to the
 * grader: each LL_ check that fails writes a record (what was expected, what
 * came back) to a private channel the grader reads, and a test only counts as
 * passed when its body ran to the end and said so on that channel. A test
 * that calls exit(0) halfway, crashes or is killed never passes.
 *
 * Judge mode (the organizer's trusted grading, grader/README.md "Judge
 * mode") builds every test twice more:
 *
 *   - with -DLL_OBSERVE and the student's code: each check only records the
 *     value it was given to check (the "actual" side, an observation); the
 *     expected side is never computed in that process: LL_ORACLE blocks and
 *     the checks' expected arguments are compiled out;
 *   - normally, with the reference solution and LL_OBS_FILE set: each check
 *     compares as usual and also records its expected side and tolerance.
 *
 * The grader then compares the two records check by check. So, for authors:
 *
 *   - draw test data from ll_rand_* (seeded by the grader; a secret seed in
 *     judge mode), and give every test at least one check of a value that
 *     depends on it;
 *   - compute expected values only inside a check's expected argument or
 *     inside an LL_ORACLE { ... } block, never in plain test code;
 *   - use LL_CHECK(cond, ...) only for conditions that do not involve
 *     expected values (a return code against a constant, a size bound);
 *     compare values with the typed checks;
 *   - the control flow of a test must not depend on expected values, and
 *     an LL_ORACLE block contains no checks (allocate with ll_alloc).
 *
 * `grader verify --judge` proves each rule on every exercise: the reference
 * passes in judge mode and every test observes seeded data.
 *
 * Authors: never call cr_assert directly in graded tests; use LL_CHECK* so
 * the student sees the message. See grader/README.md ("Writing tests").
 */
#ifndef LLMLINGS_H
#define LLMLINGS_H

#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>

/* ---- runtime (exercises/common/llmlings_harness.c) ---------------------- */

#ifdef __cplusplus
#define LL_NORETURN [[noreturn]]
extern "C" {
#else
#define LL_NORETURN _Noreturn
#endif

/* Marks the start and the normal end of a test body. */
void ll_test_begin(const char *suite, const char *name);
void ll_test_end(const char *suite, const char *name);

/* Records a failed check with a printf-style message and aborts the test. */
LL_NORETURN void ll_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records a named measurement (GFLOP/s, a ratio, tok/s...) for the grader. */
void ll_metric(const char *name, double value);

/* Skips the test with a reason (for example "needs a GPU"). */
LL_NORETURN void ll_skip(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* ---- performance drivers (judge mode) -------------------------------------
 * In judge mode the grader times a performance exercise itself, outside any
 * test: a driver (perf_*.c, declared with LL_PERF_DRIVER) is a program of
 * its own that prepares seeded inputs, brackets exactly ONE call of the
 * timed function with ll_perf_begin() and ll_perf_end(), then checks the
 * result with the usual LL_CHECK_* macros (observed and compared with the
 * reference's like any test). With LL_PERF_STOPS set, each bracket stops
 * the process (SIGSTOP) so the grader reads the wall clock and the
 * process's CPU time from outside and lets it go on: nothing the process
 * says about its own speed is used. Without it (a driver run by hand, the
 * reference's run) the brackets do nothing.
 *
 * Rules for driver authors: everything before ll_perf_begin and after
 * ll_perf_end must cost the same whatever implementation is linked (the
 * grader compares those parts with the baseline's and flags work done
 * there); inputs come from ll_rand_*; the timed call's output is checked. */
void ll_perf_begin(void);
void ll_perf_end(void);
/* The case this run times (LL_PERF_CASE, one of the manifest's perf.cases),
 * or def when the variable is not set. */
const char *ll_perf_case(const char *def);
/* Runs body as test suite/name of a driver program (its main). */
int ll_perf_main(const char *suite, const char *name, void (*body)(void));

/* ---- test data ----------------------------------------------------------
 * Every test draws its inputs from this generator. The grader chooses the
 * seed (LL_SEED, 16 hex digits; in judge mode a secret per grading run);
 * without it the seed is fixed, so a local run repeats exactly. Each test's
 * stream starts from the seed and the test's own name, so a test does not
 * depend on which tests ran before it. Not thread-safe: draw in the test's
 * own thread. */
uint64_t ll_seed(void);     /* the run's seed (for messages) */
uint64_t ll_rand_u64(void); /* uniform 64 bits */
uint32_t ll_rand_u32(void); /* uniform 32 bits */
double ll_rand_unit(void);  /* uniform in [0, 1) */
long long ll_rand_int(long long lo, long long hi); /* uniform in [lo, hi] */
float ll_rand_float(float lo, float hi);           /* uniform in [lo, hi) */
void ll_rand_floats(float *v, size_t n, float lo, float hi);
/* A permutation of 0..n-1 into idx (Fisher-Yates). */
void ll_rand_permutation(size_t *idx, size_t n);

/* Memory for test data (malloc's, plus a spare byte so size 0 works):
 * stops the test when there is none. Not a check: use it in the test's own
 * set-up and in LL_ORACLE blocks. Free with free(). */
void *ll_alloc(size_t bytes);

/* Formats a float array slice as "[a, b, c, ...]" into buf (for messages). */
const char *ll_format_floats(char *buf, size_t cap, const float *v, size_t n);

/* Index of the first element where |a-b| > atol + rtol*|b| (or NaN differs);
 * returns n when all match. *max_err receives the largest |a-b| seen. */
size_t ll_first_mismatch(const float *actual, const float *expected, size_t n,
                         float atol, float rtol, double *max_err);

/* The checks' implementations (use the LL_CHECK_* macros). */
void ll_check_bool_(int ok, const char *cond, const char *file, int line);
void ll_check_int_eq_(long long actual, long long expected, const char *what,
                      const char *file, int line);
void ll_check_uint_eq_(unsigned long long actual, unsigned long long expected,
                       const char *what, const char *file, int line);
/* Pointers travel as addresses (uintptr_t): only their values are checked,
 * never the memory they point to. */
void ll_check_ptr_eq_(uintptr_t actual, uintptr_t expected, const char *what,
                      const char *file, int line);
void ll_check_null_(uintptr_t actual, int want_null, const char *what,
                    const char *file, int line);
void ll_check_str_eq_(const char *actual, const char *expected,
                      const char *what, const char *file, int line);
void ll_check_float_near_(double actual, double expected, double tol,
                          const char *what, const char *file, int line);
void ll_check_floats_near_(const float *actual, const float *expected, size_t n,
                           float atol, float rtol, const char *what,
                           const char *file, int line);
void ll_check_floats_within_(const float *actual, const float *expected,
                             const float *tol, size_t n, const char *what,
                             const char *file, int line);
void ll_check_bytes_eq_(const void *actual, const void *expected, size_t n,
                        const char *what, const char *file, int line);

/* Observations (the -DLL_OBSERVE build of judge mode): record the actual
 * side only. */
void ll_observe_bool_(int value, const char *file, int line);
void ll_observe_int_(long long value, const char *file, int line);
void ll_observe_uint_(unsigned long long value, const char *file, int line);
void ll_observe_ptrdiff_(uintptr_t actual, uintptr_t expected, const char *file,
                         int line);
void ll_observe_null_(uintptr_t actual, int stop_if_null, const char *file,
                      int line);
void ll_observe_str_(const char *value, const char *file, int line);
void ll_observe_double_(double value, const char *file, int line);
void ll_observe_floats_(const float *value, size_t n, const char *file,
                        int line);
void ll_observe_bytes_(const void *value, size_t n, const char *file, int line);

#ifdef __cplusplus
}
#endif

/* ---- declaring tests ---------------------------------------------------- */

/* LL_TEST(suite, name) { ... }  or  LL_TEST(suite, name, .description = "...")
 * Extra arguments are Criterion test options. */
#define LL_TEST(suite, name, ...)                                              \
    static void ll_body_##suite##_##name(void);                                \
    Test(suite, name, ##__VA_ARGS__)                                           \
    {                                                                          \
        ll_test_begin(#suite, #name);                                          \
        ll_body_##suite##_##name();                                            \
        ll_test_end(#suite, #name);                                            \
    }                                                                          \
    static void ll_body_##suite##_##name(void)

/* ---- checks: each says what was expected and what came back -------------
 *
 * LL_CHECK(cond, fmt, ...)                      a condition (no expected
 *                                               values in it, see above)
 * LL_CHECK_INT_EQ(actual, expected, what)       integers
 * LL_CHECK_UINT_EQ(actual, expected, what)      unsigned (also in hex)
 * LL_CHECK_PTR_EQ(actual, expected, what)       the same address
 * LL_CHECK_NULL(actual, what)                   a NULL pointer
 * LL_CHECK_NOT_NULL(actual, what)               non-NULL; stops the test
 *                                               otherwise, in every mode
 * LL_CHECK_STR_EQ(actual, expected, what)       strings, NULL-safe
 * LL_CHECK_FLOAT_NEAR(actual, expected, tol, what)
 *                                               |actual - expected| <= tol
 *                                               (NaN passes only against NaN)
 * LL_CHECK_FLOATS_NEAR(actual, expected, n, atol, rtol, what)
 *                                               elementwise
 *                                               |a-e| <= atol + rtol*|e|
 * LL_CHECK_FLOATS_WITHIN(actual, expected, tol, n, what)
 *                                               elementwise |a-e| <= tol[i]
 *                                               (a bound per element)
 * LL_CHECK_BYTES_EQ(actual, expected, n, what)  byte buffers
 *
 * `what` names the value for the message: "add(2, 3)", "C[3][4]".
 */

#define LL_ADDR_(p) ((uintptr_t)(const void *)(p))

#ifdef LL_OBSERVE

/* Expected values are never computed in an observing process. */
#define LL_ORACLE if (0)
#define LL_UNUSED_(x) ((void)sizeof(x))

#define LL_CHECK(cond, ...) ll_observe_bool_(!!(cond), __FILE__, __LINE__)
#define LL_CHECK_INT_EQ(actual, expected, what)                                \
    (ll_observe_int_((long long)(actual), __FILE__, __LINE__),                 \
     LL_UNUSED_(expected), LL_UNUSED_(what))
#define LL_CHECK_UINT_EQ(actual, expected, what)                               \
    (ll_observe_uint_((unsigned long long)(actual), __FILE__, __LINE__),       \
     LL_UNUSED_(expected), LL_UNUSED_(what))
#define LL_CHECK_PTR_EQ(actual, expected, what)                                \
    (ll_observe_ptrdiff_(LL_ADDR_(actual), LL_ADDR_(expected), __FILE__,       \
                         __LINE__),                                            \
     LL_UNUSED_(what))
#define LL_CHECK_NULL(actual, what)                                            \
    (ll_observe_null_(LL_ADDR_(actual), 0, __FILE__, __LINE__),                \
     LL_UNUSED_(what))
#define LL_CHECK_NOT_NULL(actual, what)                                        \
    (ll_observe_null_(LL_ADDR_(actual), 1, __FILE__, __LINE__),                \
     LL_UNUSED_(what))
#define LL_CHECK_STR_EQ(actual, expected, what)                                \
    (ll_observe_str_((actual), __FILE__, __LINE__), LL_UNUSED_(expected),      \
     LL_UNUSED_(what))
#define LL_CHECK_FLOAT_NEAR(actual, expected, tol, what)                       \
    (ll_observe_double_((double)(actual), __FILE__, __LINE__),                 \
     LL_UNUSED_(expected), LL_UNUSED_(tol), LL_UNUSED_(what))
#define LL_CHECK_FLOATS_NEAR(actual, expected, n, atol, rtol, what)            \
    (ll_observe_floats_((actual), (n), __FILE__, __LINE__),                    \
     LL_UNUSED_(expected), LL_UNUSED_(atol), LL_UNUSED_(rtol),                 \
     LL_UNUSED_(what))
#define LL_CHECK_FLOATS_WITHIN(actual, expected, tol, n, what)                 \
    (ll_observe_floats_((actual), (n), __FILE__, __LINE__),                    \
     LL_UNUSED_(expected), LL_UNUSED_(tol), LL_UNUSED_(what))
#define LL_CHECK_BYTES_EQ(actual, expected, n, what)                           \
    (ll_observe_bytes_((actual), (n), __FILE__, __LINE__),                     \
     LL_UNUSED_(expected), LL_UNUSED_(what))

#else /* comparing build: local grading, and the judge's reference runs */

#define LL_ORACLE if (1)

#define LL_CHECK(cond, ...)                                                    \
    do {                                                                       \
        if (!(cond))                                                           \
            ll_fail(__FILE__, __LINE__, __VA_ARGS__);                          \
        ll_check_bool_(1, #cond, __FILE__, __LINE__);                          \
    } while (0)
#define LL_CHECK_INT_EQ(actual, expected, what)                                \
    ll_check_int_eq_((long long)(actual), (long long)(expected), (what),       \
                     __FILE__, __LINE__)
#define LL_CHECK_UINT_EQ(actual, expected, what)                               \
    ll_check_uint_eq_((unsigned long long)(actual),                            \
                      (unsigned long long)(expected), (what), __FILE__,        \
                      __LINE__)
#define LL_CHECK_PTR_EQ(actual, expected, what)                                \
    ll_check_ptr_eq_(LL_ADDR_(actual), LL_ADDR_(expected), (what), __FILE__,   \
                     __LINE__)
#define LL_CHECK_NULL(actual, what)                                            \
    ll_check_null_(LL_ADDR_(actual), 1, (what), __FILE__, __LINE__)
#define LL_CHECK_NOT_NULL(actual, what)                                        \
    ll_check_null_(LL_ADDR_(actual), 0, (what), __FILE__, __LINE__)
#define LL_CHECK_STR_EQ(actual, expected, what)                                \
    ll_check_str_eq_((actual), (expected), (what), __FILE__, __LINE__)
#define LL_CHECK_FLOAT_NEAR(actual, expected, tol, what)                       \
    ll_check_float_near_((double)(actual), (double)(expected), (double)(tol),  \
                         (what), __FILE__, __LINE__)
#define LL_CHECK_FLOATS_NEAR(actual, expected, n, atol, rtol, what)            \
    ll_check_floats_near_((actual), (expected), (n), (atol), (rtol), (what),   \
                          __FILE__, __LINE__)
#define LL_CHECK_FLOATS_WITHIN(actual, expected, tol, n, what)                 \
    ll_check_floats_within_((actual), (expected), (tol), (n), (what),          \
                            __FILE__, __LINE__)
#define LL_CHECK_BYTES_EQ(actual, expected, n, what)                           \
    ll_check_bytes_eq_((actual), (expected), (n), (what), __FILE__, __LINE__)

#endif /* LL_OBSERVE */

/* LL_PERF_DRIVER(suite, name) { ... }: the body of a performance driver;
 * defines the program's main (a driver is built without the tests).
 * suite/name is the manifest's perf.test, the test it stands in for. */
#define LL_PERF_DRIVER(suite, name)                                            \
    static void ll_perf_body_##suite##_##name(void);                           \
    int main(void)                                                             \
    {                                                                          \
        return ll_perf_main(#suite, #name, ll_perf_body_##suite##_##name);     \
    }                                                                          \
    static void ll_perf_body_##suite##_##name(void)

#define LL_METRIC(name, value) ll_metric((name), (double)(value))
#define LL_SKIP(...) ll_skip(__VA_ARGS__)

#endif /* LLMLINGS_H */

/* llmlings.h: the test helpers every exercise's test_*.c includes.
 *
 * Tests are ordinary Criterion tests, declared with LL_TEST instead of Test
 * and checked with the LL_CHECK_* macros below. The difference matters to the
 * grader: each LL_ check that fails writes a record (what was expected, what
 * came back) to a private channel the grader reads, and a test only counts as
 * passed when its body ran to the end and said so on that channel. A test
 * that calls exit(0) halfway, crashes or is killed never passes.
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

/* Formats a float array slice as "[a, b, c, ...]" into buf (for messages). */
const char *ll_format_floats(char *buf, size_t cap, const float *v, size_t n);

/* Index of the first element where |a-b| > atol + rtol*|b| (or NaN differs);
 * returns n when all match. *max_err receives the largest |a-b| seen. */
size_t ll_first_mismatch(const float *actual, const float *expected, size_t n,
                         float atol, float rtol, double *max_err);

void ll_check_str_eq_(const char *actual, const char *expected,
                      const char *what, const char *file, int line);
void ll_check_float_near_(double actual, double expected, double tol,
                          const char *what, const char *file, int line);
void ll_check_floats_near_(const float *actual, const float *expected, size_t n,
                           float atol, float rtol, const char *what,
                           const char *file, int line);
void ll_check_bytes_eq_(const void *actual, const void *expected, size_t n,
                        const char *what, const char *file, int line);

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

/* ---- checks: each says what was expected and what came back ------------- */

#define LL_CHECK(cond, ...)                                                    \
    do {                                                                       \
        if (!(cond))                                                           \
            ll_fail(__FILE__, __LINE__, __VA_ARGS__);                          \
    } while (0)

#define LL_CHECK_INT_EQ(actual, expected, what)                                \
    do {                                                                       \
        long long ll_a_ = (long long)(actual), ll_e_ = (long long)(expected);  \
        if (ll_a_ != ll_e_)                                                    \
            ll_fail(__FILE__, __LINE__, "%s: expected %lld, got %lld", (what), \
                    ll_e_, ll_a_);                                             \
    } while (0)

#define LL_CHECK_UINT_EQ(actual, expected, what)                               \
    do {                                                                       \
        unsigned long long ll_a_ = (unsigned long long)(actual);               \
        unsigned long long ll_e_ = (unsigned long long)(expected);             \
        if (ll_a_ != ll_e_)                                                    \
            ll_fail(__FILE__, __LINE__,                                        \
                    "%s: expected %llu (0x%llx), got %llu (0x%llx)", (what),   \
                    ll_e_, ll_e_, ll_a_, ll_a_);                               \
    } while (0)

#define LL_CHECK_PTR_EQ(actual, expected, what)                                \
    do {                                                                       \
        const void *ll_a_ = (const void *)(actual);                            \
        const void *ll_e_ = (const void *)(expected);                          \
        if (ll_a_ != ll_e_)                                                    \
            ll_fail(__FILE__, __LINE__, "%s: expected pointer %p, got %p",     \
                    (what), ll_e_, ll_a_);                                     \
    } while (0)

#define LL_CHECK_NOT_NULL(actual, what)                                        \
    do {                                                                       \
        if ((actual) == NULL)                                                  \
            ll_fail(__FILE__, __LINE__,                                        \
                    "%s: expected a non-NULL pointer, "                        \
                    "got NULL",                                                \
                    (what));                                                   \
    } while (0)

#define LL_CHECK_NULL(actual, what)                                            \
    do {                                                                       \
        const void *ll_a_ = (const void *)(actual);                            \
        if (ll_a_ != NULL)                                                     \
            ll_fail(__FILE__, __LINE__, "%s: expected NULL, got %p", (what),   \
                    ll_a_);                                                    \
    } while (0)

/* Strings: NULL-safe; the message shows both strings quoted. */
#define LL_CHECK_STR_EQ(actual, expected, what)                                \
    ll_check_str_eq_((actual), (expected), (what), __FILE__, __LINE__)

/* Floats: passes when |actual - expected| <= tol (NaN never passes unless
 * both are NaN). */
#define LL_CHECK_FLOAT_NEAR(actual, expected, tol, what)                       \
    ll_check_float_near_((double)(actual), (double)(expected), (double)(tol),  \
                         (what), __FILE__, __LINE__)

/* Float arrays: elementwise |a-e| <= atol + rtol*|e|; the message names the
 * first bad index, both values there, and the largest error. */
#define LL_CHECK_FLOATS_NEAR(actual, expected, n, atol, rtol, what)            \
    ll_check_floats_near_((actual), (expected), (n), (atol), (rtol), (what),   \
                          __FILE__, __LINE__)

/* Byte buffers: the message shows the first differing offset. */
#define LL_CHECK_BYTES_EQ(actual, expected, n, what)                           \
    ll_check_bytes_eq_((actual), (expected), (n), (what), __FILE__, __LINE__)

#define LL_METRIC(name, value) ll_metric((name), (double)(value))
#define LL_SKIP(...) ll_skip(__VA_ARGS__)

#endif /* LLMLINGS_H */

/* criterion/criterion.h (race tier shim): the part of Criterion's API that
 * llmlings tests use, for the ThreadSanitizer build of a CUDA exercise.
 *
 * Criterion 2.4 aborts at start-up under ThreadSanitizer ("Could not
 * initialize inheritable arena", Snaipe/Criterion#274), so the race tier puts
 * this directory first on the include path: Test(...) then registers the test
 * with race_runner.c, which runs the tests in-process, one after another.
 * Supports Test(suite, name, .option = ...), cr_assert_fail, cr_skip_test,
 * cr_assert and cr_log_info; tests that expect a signal or an exit code are
 * skipped (they cannot pass in-process).
 */
#ifndef LLMLINGS_RACE_CRITERION_H
#define LLMLINGS_RACE_CRITERION_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct criterion_test_extra_data {
    int signal;
    int exit_code;
    double timeout;
    int disabled;
    const char *description;
    void (*init)(void);
    void (*fini)(void);
};

struct race_test {
    const char *suite;
    const char *name;
    void (*fn)(void);
    struct criterion_test_extra_data extra;
    struct race_test *next;
};

void race_register(struct race_test *t);
void race_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
void race_skip(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#ifdef __cplusplus
}
#endif

#define Test(suite, name, ...)                                                 \
    static void race_fn_##suite##_##name(void);                                \
    static struct race_test race_t_##suite##_##name = {                        \
        #suite, #name, race_fn_##suite##_##name, {__VA_ARGS__}, 0};            \
    __attribute__((constructor)) static void race_reg_##suite##_##name(void)   \
    {                                                                          \
        race_register(&race_t_##suite##_##name);                               \
    }                                                                          \
    static void race_fn_##suite##_##name(void)

#define cr_assert_fail(...) race_fail(__FILE__, __LINE__, __VA_ARGS__)
#define cr_assert(cond, ...)                                                   \
    do {                                                                       \
        if (!(cond))                                                           \
            race_fail(__FILE__, __LINE__, "" __VA_ARGS__);                     \
    } while (0)
#define cr_skip_test(...) race_skip(__VA_ARGS__)
#define cr_log_info(...) (fprintf(stderr, __VA_ARGS__), fputc('\n', stderr))

#endif

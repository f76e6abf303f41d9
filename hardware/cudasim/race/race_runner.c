/* race_runner.c: runs Criterion-style tests in-process for the race tier
 * (see criterion/criterion.h in this directory for why).
 *
 *   test_binary [--filter SUITE/NAME] [--list]
 *
 * Each test runs in the same process, one after another; a failed check
 * longjmps back here. Prints [PASS]/[FAIL]/[SKIP] lines and a synthesis
 * like Criterion's. Exit status: 0 when every test run passed, 1 otherwise;
 * ThreadSanitizer turns any race report into its own exit code (66 by
 * default, at the first report with TSAN_OPTIONS=halt_on_error=1).
 */
#define _GNU_SOURCE
#include "criterion/criterion.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct race_test *tests, **tail = &tests;
static jmp_buf back;
static int outcome; /* 1 failed, 2 skipped */

void race_register(struct race_test *t)
{
    *tail = t; /* constructors run in file order: keep it */
    tail = &t->next;
}

void race_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[----] %s:%d: Assertion Failed\n[----]   ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    outcome = 1;
    longjmp(back, 1);
}

void race_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[----] skipped: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    outcome = 2;
    longjmp(back, 1);
}

static int selected(const struct race_test *t, const char *filter)
{
    char id[512];
    snprintf(id, sizeof id, "%s/%s", t->suite, t->name);
    return filter == NULL || strcmp(filter, id) == 0;
}

/* setjmp lives here, where no local variable can be clobbered. */
static void run_one(struct race_test *t)
{
    outcome = 0;
    if (setjmp(back) != 0)
        return;
    if (t->extra.init)
        t->extra.init();
    t->fn();
    if (t->extra.fini)
        t->extra.fini();
}

int main(int argc, char **argv)
{
    const char *filter = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc)
            filter = argv[++i];
        else if (strncmp(argv[i], "--filter=", 9) == 0)
            filter = argv[i] + 9;
        else if (strcmp(argv[i], "--list") == 0) {
            for (struct race_test *t = tests; t; t = t->next)
                printf("%s/%s\n", t->suite, t->name);
            return 0;
        }
    }
    int run = 0, passed = 0, failed = 0, skipped = 0;
    for (struct race_test *t = tests; t; t = t->next) {
        if (!selected(t, filter))
            continue;
        if (t->extra.disabled || t->extra.signal || t->extra.exit_code) {
            printf("[SKIP] %s::%s: expects a signal or exit code\n", t->suite,
                   t->name);
            skipped++;
            continue;
        }
        run++;
        run_one(t);
        const char *tag = outcome == 0   ? "PASS"
                          : outcome == 1 ? "FAIL"
                                         : "SKIP";
        printf("[%s] %s::%s\n", tag, t->suite, t->name);
        fflush(stdout);
        passed += outcome == 0;
        failed += outcome == 1;
        skipped += outcome == 2;
    }
    printf("[====] Synthesis: Tested: %d | Passing: %d | Failing: %d | "
           "Skipped: %d\n",
           run, passed, failed, skipped);
    return failed || (filter && run == 0) ? 1 : 0;
}

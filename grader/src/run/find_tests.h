/* find_tests.h: which tests an exercise has, read from its pristine test
 * sources (never from the test binary, which contains student code). */
#ifndef GRADER_FIND_TESTS_H
#define GRADER_FIND_TESTS_H

#include <stddef.h>

#include "base/strlist.h"

/* Appends "suite/name" for every LL_TEST(suite, name...) in the C source
 * text (comments and string literals ignored) to *names. Returns how many
 * were found. */
size_t find_tests(const char *source, strlist *names);

#endif

/* sanitizer_headline.h: one line that says what a sanitizer found, where
 * in the student's code, and what happened, read from a test's stderr:
 *
 *   AddressSanitizer: heap-buffer-overflow at exercises/04_vector/vector.c:31
 *   in vec_push (WRITE of size 4)
 *   LeakSanitizer: 40 byte(s) leaked in 1 allocation(s), the first allocated
 *   at exercises/04_vector/vector.c:18 in vec_new
 *
 * "The student's code" is the first stack frame in a file of an exercise
 * folder that is not a test (test_*) nor the shared harness; without one,
 * the first frame with a file. The full report stays in the test's
 * output. The text is untrusted (the student's program printed it); the
 * result is valid UTF-8 without control characters (utf8.h). */
#ifndef GRADER_SANITIZER_HEADLINE_H
#define GRADER_SANITIZER_HEADLINE_H

/* The headline of the AddressSanitizer report on err, or NULL when there
 * is none. Paths are as the report spells them (the caller removes the
 * build folder's prefix first). */
char *asan_headline(const char *err);
/* The headline of UndefinedBehaviorSanitizer's first "runtime error" on
 * err ("UndefinedBehaviorSanitizer at FILE:LINE:COL: what"), or NULL. */
char *ubsan_headline(const char *err);
/* The headline of the LeakSanitizer report on err, or NULL. */
char *leak_headline(const char *err);

#endif

/* fuzz_check.h: what every grader fuzz target checks about text the grader
 * produces from hostile input, besides memory safety (the targets run
 * under ASan and UBSan). A violated property aborts, which libFuzzer and
 * the replay (replay.c) report as a crash with the input kept. */
#ifndef GRADER_FUZZ_CHECK_H
#define GRADER_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* The entry point every target defines (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* s is valid UTF-8 with no control character but \n and \t (when
 * allow_newlines) or none at all (a one-line message); else abort(). */
void fuzz_expect_clean(const char *s, int allow_newlines);
/* s parses as JSON, with no member name twice in one object and no
 * non-finite number; else abort(). */
void fuzz_expect_json(const char *s);
/* A NUL-terminated copy of data (callers free). */
char *fuzz_cstring(const uint8_t *data, size_t size);

#endif

/* utf8.h: making untrusted bytes safe to put in JSON and on a terminal. */
#ifndef GRADER_UTF8_H
#define GRADER_UTF8_H

#include <stddef.h>

/* Returns a new NUL-terminated copy of s[0..len) in which every invalid
 * UTF-8 sequence and NUL byte becomes U+FFFD, and control characters other
 * than \n and \t become U+FFFD too (so output cannot move the cursor,
 * clear the screen or forge workflow commands with \r). Caller frees. */
char *utf8_sanitize(const char *s, size_t len);

#endif

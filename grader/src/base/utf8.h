/* utf8.h: making untrusted bytes safe to put in JSON and on a terminal. */
#ifndef GRADER_UTF8_H
#define GRADER_UTF8_H

#include <stddef.h>

/* Returns a new NUL-terminated copy of s[0..len) in which every invalid
 * UTF-8 sequence and NUL byte becomes U+FFFD, and control characters other
 * than \n and \t become U+FFFD too (so output cannot move the cursor,
 * clear the screen or forge workflow commands with \r). Caller frees. */
char *utf8_sanitize(const char *s, size_t len);

/* Returns a new copy of s for a one-line message that quotes untrusted
 * text: invalid UTF-8 becomes U+FFFD, every control character is written
 * visibly (\n, \r, \t, \e for escape, \xHH for the others, \\ for a
 * backslash), and the result stops after max_bytes of s with "...".
 * Caller frees. */
char *utf8_visible(const char *s, size_t max_bytes);

#endif

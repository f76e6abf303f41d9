/* strbounds.h: the interface of exercise 03_strings (do not edit).
 *
 * Every function here respects the bounds it is given: it never reads past
 * a string's terminating NUL and never writes past a buffer's capacity.
 */
#ifndef STRBOUNDS_H
#define STRBOUNDS_H

#include <stddef.h>

/* Bounded copy (like BSD strlcpy). Copies at most cap - 1 characters of src
 * into dst and NUL-terminates dst when cap > 0; writes nothing at all when
 * cap == 0 (dst may then be NULL). Never writes dst[cap] or beyond.
 * Returns strlen(src): the result was truncated iff the return value is
 * >= cap. */
size_t str_copy(char *dst, const char *src, size_t cap);

/* Splits s in place on the character delim. A field is the text between two
 * delimiters (or the start/end of s); fields may be empty, so a string with
 * d delimiters always has d + 1 fields ("" has one empty field, "a,,b" has
 * three: "a", "", "b").
 * Every delimiter in s is replaced by '\0'. The first min(fields, max_out)
 * fields are stored as pointers into s in out[0..]; out[max_out] and beyond
 * are never written (out may be NULL when max_out == 0).
 * Returns the total number of fields, which may exceed max_out. */
size_t str_split(char *s, char delim, char **out, size_t max_out);

/* Reverses the string s in place ("abc" -> "cba"); the NUL stays where it
 * is. The empty string is left as it is. */
void str_reverse(char *s);

/* Counts the tokens of s: maximal runs of characters that are not in the
 * set delims (like strtok: empty tokens do not count).
 * "  to be  or " with delims " " has 3 tokens; "" has 0. */
size_t count_tokens(const char *s, const char *delims);

#endif

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

/* UTF-8 stores a code point in 1 to 4 bytes; the first byte says how many:
 *
 *   0xxxxxxx                              1 byte (ASCII)
 *   110xxxxx 10xxxxxx                     2 bytes
 *   1110xxxx 10xxxxxx 10xxxxxx            3 bytes
 *   11110xxx 10xxxxxx 10xxxxxx 10xxxxxx   4 bytes
 *
 * Returns the length in bytes of the sequence that starts at s: 0 at the
 * terminating NUL; 1, 2, 3 or 4 for a complete sequence as above; and 1 for
 * any other byte, which then stands for itself: a continuation byte
 * (10xxxxxx) with no lead before it, a byte 11111xxx, or a lead byte whose
 * sequence is cut short by a byte that is not a continuation (the NUL
 * included). Never reads past the NUL. (Overlong forms and surrogates are
 * not checked here.) */
size_t utf8_seq_len(const char *s);

/* The number of sequences utf8_seq_len splits s into: the number of code
 * points for valid UTF-8 ("h\xc3\xa9llo", "héllo", is 5, in 6 bytes). */
size_t utf8_count(const char *s);

#endif

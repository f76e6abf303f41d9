/* 03_strings: bounded copy, split, reverse, tokens, UTF-8 sequences.
 * Edit this file until `make check EX=03_strings` passes.
 *
 * Lecture: lectures/01_c_memory.md#strings-and-bounds
 */
#include "strbounds.h"

#include <string.h>

size_t str_copy(char *dst, const char *src, size_t cap)
{
    /* TODO: copy at most cap - 1 characters, always terminate when cap > 0,
     * and return the full length of src. */
    (void)src;
    if (cap > 0)
        dst[0] = '\0';
    return 0;
}

size_t str_split(char *s, char delim, char **out, size_t max_out)
{
    /* TODO: walk s once. Each field starts at s or just after a delimiter;
     * store its start only while there is room in out. */
    (void)s;
    (void)delim;
    (void)out;
    (void)max_out;
    return 0;
}

void str_reverse(char *s)
{
    /* TODO: swap characters from both ends towards the middle. */
    (void)s;
}

size_t count_tokens(const char *s, const char *delims)
{
    /* TODO: count the places where a token starts. strchr(delims, c) tells
     * you whether c is a delimiter (beware: it also finds the NUL). */
    (void)s;
    (void)delims;
    return 0;
}

size_t utf8_seq_len(const char *s)
{
    /* TODO: look at the first byte (as an unsigned char): how many bytes
     * does it announce? Then check the bytes after it ONE AT A TIME: stop at
     * the first one that is not 10xxxxxx (the NUL is not), and if the
     * sequence is incomplete the lead byte stands alone (1). */
    (void)s;
    return 0;
}

size_t utf8_count(const char *s)
{
    /* TODO: walk s by utf8_seq_len steps until it returns 0. */
    (void)s;
    return 0;
}

/* 03_strings: bounded copy, split, reverse, tokens.
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

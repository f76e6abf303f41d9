/* 03_strings: reference solution. */
#include "strbounds.h"

#include <string.h>

size_t str_copy(char *dst, const char *src, size_t cap)
{
    const size_t len = strlen(src);
    if (cap == 0)
        return len;
    const size_t n = len < cap - 1 ? len : cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return len;
}

size_t str_split(char *s, char delim, char **out, size_t max_out)
{
    size_t fields = 0;
    char *start = s;
    for (char *p = s;; p++) {
        const int end = *p == '\0';
        if (end || *p == delim) {
            if (fields < max_out)
                out[fields] = start;
            fields++;
            if (end)
                return fields;
            *p = '\0';
            start = p + 1;
        }
    }
}

void str_reverse(char *s)
{
    size_t n = strlen(s);
    if (n < 2)
        return;
    for (char *a = s, *b = s + n - 1; a < b; a++, b--) {
        const char t = *a;
        *a = *b;
        *b = t;
    }
}

/* A delimiter test that never matches the terminating NUL. */
static int is_delim(char c, const char *delims)
{
    return c != '\0' && strchr(delims, c) != NULL;
}

size_t count_tokens(const char *s, const char *delims)
{
    size_t n = 0;
    int in_token = 0;
    for (; *s != '\0'; s++) {
        if (is_delim(*s, delims)) {
            in_token = 0;
        } else if (!in_token) {
            in_token = 1;
            n++;
        }
    }
    return n;
}

/* How many bytes a first byte announces: 1 to 4, or 0 when it cannot start
 * a sequence (a continuation byte, or 11111xxx). */
static size_t announced_length(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 0;
}

size_t utf8_seq_len(const char *s)
{
    const unsigned char *seq = (const unsigned char *)s;
    if (seq[0] == '\0')
        return 0;
    const size_t want = announced_length(seq[0]);
    if (want == 0)
        return 1;
    /* One byte at a time: the NUL is not a continuation byte, so nothing
     * past it is read. */
    for (size_t i = 1; i < want; i++)
        if ((seq[i] & 0xC0) != 0x80)
            return 1;
    return want;
}

size_t utf8_count(const char *s)
{
    size_t n = 0;
    for (size_t len; (len = utf8_seq_len(s)) != 0; s += len)
        n++;
    return n;
}

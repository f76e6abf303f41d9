/* strbuf.h: a growable, always NUL-terminated byte buffer.
 * The owner calls sb_free; sb_steal hands the bytes to the caller. Memory
 * comes from alloc.h (never NULL). */
#ifndef GRADER_STRBUF_H
#define GRADER_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} strbuf;

void sb_append(strbuf *sb, const char *s, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_printf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap);
const char *sb_str(const strbuf *sb); /* "" when empty */
char *sb_steal(strbuf *sb);           /* caller frees; sb is reset */
void sb_free(strbuf *sb);

#endif

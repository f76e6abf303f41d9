/* alloc.h: memory that never comes back NULL.
 *
 * The grader cannot report anything sensible without memory, so running
 * out of it is an internal error: die_internal says so on stderr and ends
 * the process with EXIT_INTERNAL. It is the one place that exits on
 * failure; every module allocates through these wrappers. */
#ifndef GRADER_ALLOC_H
#define GRADER_ALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Says "grader: internal error: WHAT" on stderr and exits EXIT_INTERNAL. */
_Noreturn void die_internal(const char *what);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size); /* n == 0 still gives a block */
void *xrealloc(void *p, size_t n);
/* p resized to n elements of size bytes (overflow is an internal error). */
void *xreallocarray(void *p, size_t n, size_t size);
/* Room for element n of an array that holds n elements and has only ever
 * grown one at a time through xgrow: the capacity doubles (8, 16, 32, ...),
 * so pushing n elements costs O(n), not O(n^2) copying. */
void *xgrow(void *p, size_t n, size_t size);
/* A copy of s; NULL copies as "". */
char *xstrdup(const char *s);
/* The first n bytes of s (fewer when s ends first), NUL-terminated. */
char *xstrndup(const char *s, size_t n);
/* n bytes of p and a NUL, as a new string. */
char *xmemdup(const void *p, size_t n);
/* A new string, printf-style. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

#endif

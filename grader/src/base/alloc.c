/* alloc.c: see alloc.h. */
#include "base/alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/exit_codes.h"

_Noreturn void die_internal(const char *what)
{
    fprintf(stderr, "grader: internal error: %s\n", what);
    exit(EXIT_INTERNAL);
}

static void *checked(void *p)
{
    if (p == NULL)
        die_internal("out of memory");
    return p;
}

void *xmalloc(size_t n)
{
    return checked(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
    return checked(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
    return checked(realloc(p, n ? n : 1));
}

void *xreallocarray(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        die_internal("out of memory (array too large)");
    return xrealloc(p, n * size);
}

/* The capacity xgrow gives an array of n elements: 0, or the smallest
 * power of two >= n, at least 8. */
static size_t grown_capacity(size_t n)
{
    if (n == 0)
        return 0;
    size_t cap = 8;
    while (cap < n) {
        if (cap > SIZE_MAX / 2)
            die_internal("out of memory (array too large)");
        cap *= 2;
    }
    return cap;
}

void *xgrow(void *p, size_t n, size_t size)
{
    size_t cap = grown_capacity(n + 1);
    if (cap == grown_capacity(n))
        return p;
    return xreallocarray(p, cap, size);
}

char *xstrdup(const char *s)
{
    return checked(strdup(s ? s : ""));
}

char *xstrndup(const char *s, size_t n)
{
    return checked(strndup(s, n));
}

char *xmemdup(const void *p, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        die_internal("out of memory");
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

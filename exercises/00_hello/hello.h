/* hello.h: the interface of exercise 00_hello (do not edit). */
#ifndef HELLO_H
#define HELLO_H

#include <stddef.h>

/* Writes "Hello, <name>!" into out (capacity cap bytes, NUL included).
 * Returns the length of the full greeting (without the NUL), even when it
 * did not fit; when cap > 0, out is always NUL-terminated. */
size_t greet(char *out, size_t cap, const char *name);

/* Returns a + b. */
int add(int a, int b);

#endif

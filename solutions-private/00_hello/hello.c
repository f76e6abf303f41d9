/* 00_hello: reference solution. */
#include "hello.h"

#include <stdio.h>

int add(int a, int b)
{
    return a + b;
}

size_t greet(char *out, size_t cap, const char *name)
{
    int n = snprintf(out, cap, "Hello, %s!", name);
    return n < 0 ? 0 : (size_t)n;
}

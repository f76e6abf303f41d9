/* text.c: see text.h. */
#include "base/text.h"

#include <string.h>

int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

void remove_all(char *s, const char *needle)
{
    size_t n = needle ? strlen(needle) : 0;
    char *p;
    while (n > 0 && (p = strstr(s, needle)) != NULL)
        memmove(p, p + n, strlen(p + n) + 1);
}

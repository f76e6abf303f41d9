/* kernel_source_check.c: see kernel_source_check.h. */
#include "kernel_source_check.h"

#include <string.h>

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

const char *kernel_source_refusal(const char *source, size_t n)
{
    static const char *const banned[] = {"asm", "__asm", "__asm__"};
    size_t i = 0;
    while (i < n) {
        if (!ident_char(source[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < n && ident_char(source[i]))
            i++;
        for (size_t b = 0; b < sizeof banned / sizeof banned[0]; b++)
            if (i - start == strlen(banned[b]) &&
                memcmp(source + start, banned[b], i - start) == 0)
                return "judge mode: inline assembly (asm, __asm__) is not "
                       "allowed in kernels";
    }
    return NULL;
}

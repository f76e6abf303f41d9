/* fuzz_check.c: see fuzz_check.h. */
#include "fuzz_check.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

void fuzz_expect_clean(const char *s, int allow_newlines)
{
    char *clean = utf8_sanitize(s, strlen(s));
    int same = strcmp(clean, s) == 0;
    free(clean);
    if (!same)
        abort(); /* invalid UTF-8 or a control character */
    if (!allow_newlines && strpbrk(s, "\n\t") != NULL)
        abort(); /* a one-line message over two lines */
}

static void expect_valid_tree(const cJSON *j)
{
    for (const cJSON *c = j->child; c; c = c->next) {
        if (cJSON_IsNumber(c) && !isfinite(c->valuedouble))
            abort();
        if (cJSON_IsObject(j))
            for (const cJSON *d = j->child; d != c; d = d->next)
                if (strcmp(c->string, d->string) == 0)
                    abort(); /* duplicate member */
        expect_valid_tree(c);
    }
}

void fuzz_expect_json(const char *s)
{
    fuzz_expect_clean(s, 1);
    cJSON *j = cJSON_Parse(s);
    if (j == NULL)
        abort(); /* not JSON */
    expect_valid_tree(j);
    cJSON_Delete(j);
}

char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

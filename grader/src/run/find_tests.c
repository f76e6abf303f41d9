/* find_tests.c: see find_tests.h. */
#include "run/find_tests.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"

/* A copy of src with comments and string/char literals blanked out, so a
 * commented-out test is not expected and "LL_TEST(" in a string is not a
 * test. */
static char *strip_comments(const char *src)
{
    size_t n = strlen(src);
    char *out = xmalloc(n + 1);
    size_t i = 0;
    while (i < n) {
        if (src[i] == '/' && src[i + 1] == '/') {
            while (i < n && src[i] != '\n')
                out[i++] = ' ';
        } else if (src[i] == '/' && src[i + 1] == '*') {
            out[i++] = ' ';
            out[i++] = ' ';
            while (i < n && !(src[i] == '*' && src[i + 1] == '/'))
                out[i] = src[i] == '\n' ? '\n' : ' ', i++;
            if (i < n) {
                out[i++] = ' ';
                out[i++] = ' ';
            }
        } else if (src[i] == '"' || src[i] == '\'') {
            char q = src[i];
            out[i++] = ' ';
            while (i < n && src[i] != q && src[i] != '\n') {
                if (src[i] == '\\' && i + 1 < n)
                    out[i] = ' ', i++;
                out[i] = ' ', i++;
            }
            if (i < n)
                out[i] = ' ', i++;
        } else {
            out[i] = src[i];
            i++;
        }
    }
    out[n] = '\0';
    return out;
}

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* Reads a C identifier at p into sb; returns the end or NULL. */
static const char *read_ident(const char *p, strbuf *sb)
{
    p = skip_space(p);
    const char *s = p;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    if (p == s)
        return NULL;
    sb_append(sb, s, (size_t)(p - s));
    return p;
}

size_t find_tests(const char *source, strlist *names)
{
    char *text = strip_comments(source);
    size_t found = 0;
    const char *p = text;
    while ((p = strstr(p, "LL_TEST")) != NULL) {
        int at_word_start =
            p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        const char *q = skip_space(p + 7);
        p += 7;
        if (!at_word_start || *q != '(')
            continue;
        strbuf id = {0};
        q = read_ident(q + 1, &id);
        if (q)
            q = skip_space(q);
        if (q && *q == ',') {
            sb_puts(&id, "/");
            q = read_ident(q + 1, &id);
        } else
            q = NULL;
        if (q) {
            q = skip_space(q);
            if (*q == ')' || *q == ',') {
                strlist_take(names, sb_steal(&id));
                found++;
            }
        }
        sb_free(&id);
    }
    free(text);
    return found;
}

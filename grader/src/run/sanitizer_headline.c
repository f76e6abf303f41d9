/* sanitizer_headline.c: see sanitizer_headline.h. */
#include "run/sanitizer_headline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "base/utf8.h"

enum { MAX_PART = 200 };

/* The line of text holding p, as a new string (at most MAX_PART bytes). */
static char *line_at(const char *text, const char *p)
{
    const char *start = p;
    while (start > text && start[-1] != '\n')
        start--;
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - start) : strlen(start);
    return xstrndup(start, n > MAX_PART ? MAX_PART : n);
}

/* Whether path is a file the student edits: in an exercise folder, not
 * exercises/common, not a test file. */
static int student_path(const char *path, size_t n)
{
    if (n < 10 || strncmp(path, "exercises/", 10) != 0 ||
        (n >= 17 && strncmp(path, "exercises/common/", 17) == 0))
        return 0;
    const char *base = path;
    for (size_t i = 0; i < n; i++)
        if (path[i] == '/')
            base = path + i + 1;
    return strncmp(base, "test_", 5) != 0;
}

/* From the stack frames after `from` (up to the first blank line), the
 * student's first "FILE:LINE in FUNC", else the first frame's with a
 * file. NULL: no frame names a file. */
static char *first_frame(const char *from)
{
    char *fallback = NULL;
    for (const char *p = from; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(n < 511 ? n : 511), p);
        if (n == 0 || strspn(line, " \t") == n)
            break; /* the end of this stack */
        char func[256], where[256];
        const char *hash = strchr(line, '#');
        if (hash && sscanf(hash, "#%*d %*s in %255s %255s", func, where) == 2 &&
            strchr(where, ':') && where[0] != '(') {
            char *s = xasprintf("%s in %s", where, func);
            if (student_path(where, strlen(where))) {
                free(fallback);
                return s;
            }
            if (fallback == NULL)
                fallback = s;
            else
                free(s);
        }
        p = end ? end + 1 : NULL;
    }
    return fallback;
}

static char *clean(char *s)
{
    char *c = utf8_sanitize(s, strlen(s));
    free(s);
    return c;
}

char *asan_headline(const char *err)
{
    const char *e = strstr(err, "ERROR: AddressSanitizer: ");
    if (e == NULL)
        return NULL;
    e += strlen("ERROR: AddressSanitizer: ");
    size_t kind_n = strcspn(e, " \n");
    strbuf sb = {0};
    sb_printf(&sb, "AddressSanitizer: %.*s",
              (int)(kind_n > MAX_PART ? MAX_PART : kind_n), e);
    const char *nl = strchr(e, '\n');
    char *frame = nl ? first_frame(nl + 1) : NULL;
    const char *access = nl ? nl + 1 : NULL;
    /* "WRITE of size 4 at 0x... thread T0": what the code did */
    if (access && (starts_with(access, "READ of size") ||
                   starts_with(access, "WRITE of size"))) {
        char *line = line_at(err, access);
        char *at = strstr(line, " at 0x");
        if (at)
            *at = '\0';
        if (frame)
            sb_printf(&sb, " at %s", frame);
        sb_printf(&sb, " (%s)", line);
        free(line);
    } else if (frame) {
        sb_printf(&sb, " at %s", frame);
    }
    free(frame);
    return clean(sb_steal(&sb));
}

char *leak_headline(const char *err)
{
    const char *e = strstr(err, "ERROR: LeakSanitizer:");
    if (e == NULL)
        return NULL;
    strbuf sb = {0};
    sb_puts(&sb, "LeakSanitizer: memory leak");
    const char *sum = strstr(e, "SUMMARY: AddressSanitizer: ");
    if (sum == NULL)
        sum = strstr(e, "SUMMARY: LeakSanitizer: ");
    if (sum) {
        char *line = line_at(err, sum);
        const char *what = strstr(line, "Sanitizer: ") + strlen("Sanitizer: ");
        size_t n = strlen(what);
        if (n > 0 && what[n - 1] == '.')
            n--;
        sb_printf(&sb, ", %.*s", (int)n, what);
        free(line);
    }
    const char *from = strstr(e, "allocated from:\n");
    char *frame = from ? first_frame(from + strlen("allocated from:\n")) : NULL;
    if (frame)
        sb_printf(&sb, "; the first allocated at %s", frame);
    free(frame);
    return clean(sb_steal(&sb));
}

char *ubsan_headline(const char *err)
{
    const char *e = strstr(err, ": runtime error: ");
    if (e == NULL)
        return NULL;
    char *line = line_at(err, e);
    char *mark = strstr(line, ": runtime error: ");
    *mark = '\0';
    const char *where = line + strspn(line, " \t");
    char *s = xasprintf("UndefinedBehaviorSanitizer at %s: %s", where,
                        mark + strlen(": runtime error: "));
    free(line);
    return clean(s);
}

/* output.c: see output.h. */
#include "run/output.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/utf8.h"

/* Criterion's own progress lines repeat what the grader says better. */
static int criterion_noise(const char *line, size_t n)
{
    static const char *const tags[] = {"[----]", "[====]", "[FAIL]", "[PASS]",
                                       "[SKIP]", "[RUN ]", "[WARN]", "[ERR ]"};
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        if (n >= 6 && memcmp(line, tags[i], 6) == 0)
            return 1;
    return 0;
}

void output_append_stream(strbuf *sb, const char *label, const char *data,
                          size_t len, size_t total, size_t shown)
{
    strbuf kept = {0};
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        if (!criterion_noise(data + i, end - i))
            sb_append(&kept, data + i, end - i);
        i = end;
    }
    if (kept.len > 0) {
        if (sb->len > 0)
            sb_puts(sb, "\n");
        sb_printf(sb, "--- %s ---\n", label);
        size_t show = kept.len < shown ? kept.len : shown;
        sb_append(sb, kept.data, show);
        if (show < kept.len || total > len)
            sb_printf(sb, "\n[... %zu bytes in all, the rest not shown]",
                      total);
    }
    sb_free(&kept);
}

/* The first line of a sanitizer report worth showing, or NULL. */
char *sanitizer_summary(const char *err)
{
    /* The simulator also prints "cudasim: " for errors a correct program
     * handles (a failed launch it checks with cudaGetLastError); only a
     * fault, which ends in "cudasim: aborting", stopped the test. */
    const int cudasim_fault = strstr(err, "cudasim: aborting") != NULL;
    static const char *const keys[] = {
        "runtime error:", "ERROR: AddressSanitizer:", "ERROR: LeakSanitizer:",
        "SUMMARY: AddressSanitizer:", "cudasim: "};
    const size_t nkeys = sizeof keys / sizeof *keys - (cudasim_fault ? 0 : 1);
    for (size_t k = 0; k < nkeys; k++) {
        const char *p = strstr(err, keys[k]);
        if (p == NULL)
            continue;
        const char *start = p;
        while (start > err && start[-1] != '\n')
            start--;
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - start) : strlen(start);
        return utf8_sanitize(start, n > 400 ? 400 : n);
    }
    return NULL;
}

/* A copy of s with every workflow command line defused (see output.h). */
static char *defused(const char *s)
{
    strbuf out = {0};
    const char *p = s;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (strncmp(q, "::", 2) == 0 || strncmp(q, "##[", 3) == 0)
            sb_puts(&out, "> ");
        sb_append(&out, p, len);
        p += len;
    }
    if (out.data == NULL)
        return xstrdup("");
    return sb_steal(&out);
}

void defuse_workflow_commands(char **s)
{
    if (*s == NULL)
        return;
    char *d = defused(*s);
    free(*s);
    *s = d;
}

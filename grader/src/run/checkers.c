/* checkers.c: see checkers.h. */
#include "run/checkers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/text.h"
#include "base/utf8.h"

/* The line starting at p, without its newline, as a new string. */
static char *line_at(const char *p)
{
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    return utf8_sanitize(p, n > 300 ? 300 : n);
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == ':'))
        s[--n] = '\0';
    size_t k = 0;
    while (s[k] == ' ' || s[k] == '\t')
        k++;
    memmove(s, s + k, n - k + 1);
}

/* One access of a TSan report: "Read of size 4 at 0x.. by thread T65:"
 * followed by "#0 func file:line (bin+0x..)". */
typedef struct {
    char what[64];   /* "read of size 4" */
    char thread[16]; /* "T65" */
    char where[256]; /* "file:line" */
    char func[128];
} tsan_access;

static const char *parse_access(const char *p, tsan_access *a)
{
    memset(a, 0, sizeof *a);
    const char *of = strstr(p, " of size ");
    const char *by = strstr(p, " by thread ");
    const char *nl = strchr(p, '\n');
    if (of == NULL || by == NULL || (nl && by > nl))
        return NULL;
    const char *start = p;
    while (*start == ' ')
        start++;
    if (strncmp(start, "Previous ", 9) == 0)
        start += 9;
    const char *at = strstr(start, " at ");
    size_t wn = at && at < by ? (size_t)(at - start) : (size_t)(by - start);
    snprintf(a->what, sizeof a->what, "%.*s", (int)wn, start);
    if (a->what[0] >= 'A' && a->what[0] <= 'Z')
        a->what[0] = (char)(a->what[0] - 'A' + 'a');
    sscanf(by + 11, "%15[^: \n]", a->thread);
    const char *frame = strstr(by, "#0 ");
    if (frame == NULL)
        return NULL;
    frame += 3;
    /* "func(args) file:line (bin+0x..)": the location is the token before
     * the last " (". */
    char *line = line_at(frame);
    char *paren = strrchr(line, '(');
    if (paren && paren > line && paren[-1] == ' ')
        paren[-1] = '\0';
    char *sp = strrchr(line, ' ');
    snprintf(a->where, sizeof a->where, "%s", sp ? sp + 1 : line);
    if (sp) {
        *sp = '\0';
        char *args = strchr(line, '(');
        if (args)
            *args = '\0';
        snprintf(a->func, sizeof a->func, "%s", line);
    }
    free(line);
    return frame;
}

/* The name TSan gives thread tid ("block (1,0,0) thread (0,0,0)"). */
static void thread_name(const char *err, const char *tid, char *out, size_t cap)
{
    char key[40];
    snprintf(key, sizeof key, "Thread %s '", tid);
    const char *p = strstr(err, key);
    if (p == NULL) {
        snprintf(out, cap, "%s",
                 strcmp(tid, "main") == 0 ? "host code" : "a thread");
        return;
    }
    p += strlen(key);
    const char *q = strchr(p, '\'');
    size_t n = q ? (size_t)(q - p) : 0;
    snprintf(out, cap, "%.*s", (int)n, p);
}

char *tsan_race_message(const char *err, const char *prefix)
{
    const char *w = strstr(err, "WARNING: ThreadSanitizer: data race");
    if (w == NULL)
        return NULL;
    const char *p = strchr(w, '\n');
    tsan_access a, b;
    const char *next = p ? parse_access(p + 1, &a) : NULL;
    const char *prev = next ? strstr(next, "Previous ") : NULL;
    strbuf sb = {0};
    if (next == NULL || prev == NULL || parse_access(prev, &b) == NULL) {
        sb_puts(&sb, "data race (ThreadSanitizer, race tier): ");
        char *summary = NULL;
        const char *s = strstr(err, "SUMMARY: ThreadSanitizer:");
        if (s)
            summary = line_at(s);
        sb_puts(&sb, summary ? summary : "see the output below");
        free(summary);
    } else {
        char na[96], nb[96];
        thread_name(err, a.thread, na, sizeof na);
        thread_name(err, b.thread, nb, sizeof nb);
        sb_printf(&sb,
                  "data race in %s (race tier, ThreadSanitizer): %s by %s at "
                  "%s and an earlier %s by %s at %s touch the same memory "
                  "with no barrier or atomic between them (a missing "
                  "__syncthreads(), or += where an atomicAdd is needed?)",
                  a.func[0] ? a.func : "a kernel", a.what, na, a.where, b.what,
                  nb, b.where);
    }
    char *msg = sb_steal(&sb);
    remove_all(msg, prefix);
    return msg;
}

char *oclgrind_finding(const char *err, const char *prefix)
{
    static const char *const keys[] = {
        "Invalid read",        "Invalid write",
        "data race",           "divergence",
        "Uninitialized value", "Invalid ",
        "Unaligned",           "Work-item finished without waiting"};
    const char *hit = NULL;
    for (size_t k = 0; k < sizeof keys / sizeof *keys && hit == NULL; k++)
        hit = strstr(err, keys[k]);
    if (hit == NULL)
        return NULL;
    while (hit > err && hit[-1] != '\n')
        hit--;
    /* The finding's own line, then its indented details (kernel, work-item,
     * source line), folded into one line. */
    strbuf sb = {0};
    const char *p = hit;
    for (int lines = 0; p && *p && lines < 7; lines++) {
        char *l = line_at(p);
        trim(l);
        if (lines > 0 && l[0] == '\0') {
            free(l);
            break;
        }
        /* LLVM IR and "line 0" carry nothing a student can use */
        int noise = strstr(l, "!dbg") != NULL ||
                    strstr(l, "At line 0 ") != NULL ||
                    strstr(l, "source not available") != NULL;
        if (l[0] != '\0' && !noise)
            sb_printf(&sb, "%s%s", sb.len ? "; " : "", l);
        free(l);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    char *msg = sb_steal(&sb);
    remove_all(msg, prefix);
    char *w = msg; /* "Kernel:     add" -> "Kernel: add" */
    for (const char *r = msg; *r; r++)
        if (!(*r == ' ' && r > msg && r[-1] == ' '))
            *w++ = *r;
    *w = '\0';
    return msg;
}

void opencl_clean_paths(char *s)
{
    static const char mark[] = "/pocl-cache/";
    static const char name[] = "(your .cl file)";
    char *p;
    while (s && (p = strstr(s, mark)) != NULL) {
        char *start = p;
        while (start > s && start[-1] != ' ' && start[-1] != '\n' &&
               start[-1] != '\t' && start[-1] != '\'' && start[-1] != '"')
            start--;
        char *end = strstr(p, ".cl");
        if (end == NULL)
            break;
        end += 3;
        size_t rest = strlen(end);
        /* the replacement is never longer than the path it replaces */
        if ((size_t)(end - start) < sizeof name - 1)
            break;
        memcpy(start, name, sizeof name - 1);
        memmove(start + sizeof name - 1, end, rest + 1);
    }
}

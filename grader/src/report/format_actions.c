/* format_actions.c: what the GitHub Actions student workflow shows: inline
 * annotations for what failed (workflow commands the grader prints itself,
 * every student-controlled byte escaped so that no text can end the
 * command early or start another one) and the Markdown job summary
 * (per-chapter progress, failing exercises), where student text is escaped
 * so it can neither inject HTML nor break the tables. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/i18n.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "report/formats.h"

enum { MAX_PER_EXERCISE = 10, MAX_ANNOTATIONS = 50, MAX_CELL = 160 };

static char *gha_escape(const char *s, int property)
{
    char *clean = utf8_sanitize(s, strlen(s));
    strbuf sb = {0};
    for (const char *p = clean; *p; p++) {
        switch (*p) {
        case '%': sb_puts(&sb, "%25"); break;
        case '\r': sb_puts(&sb, "%0D"); break;
        case '\n': sb_puts(&sb, "%0A"); break;
        case ':': sb_puts(&sb, property ? "%3A" : ":"); break;
        case ',': sb_puts(&sb, property ? "%2C" : ","); break;
        default: sb_append(&sb, p, 1);
        }
    }
    free(clean);
    if (sb.data == NULL)
        sb_puts(&sb, "");
    return sb_steal(&sb);
}

char *gha_escape_data(const char *s)
{
    return gha_escape(s, 0);
}

char *gha_escape_property(const char *s)
{
    return gha_escape(s, 1);
}

static void annotate(strbuf *sb, const char *file, long line, const char *title,
                     const char *msg)
{
    char *f = gha_escape_property(file), *t = gha_escape_property(title);
    char *m = gha_escape_data(*msg ? msg : title);
    sb_printf(sb, "::error file=%s", f);
    if (line > 0)
        sb_printf(sb, ",line=%ld", line);
    sb_printf(sb, ",title=%s::%s\n", t, m);
    free(f);
    free(t);
    free(m);
}

/* The first file the student edits in exercise id, from the manifest;
 * the exercise's README when the manifest does not say. */
static char *edit_file(const manifest *m, const char *id)
{
    const exercise *ex = m ? manifest_find(m, id) : NULL;
    if (ex && ex->edit.n > 0)
        return xasprintf("exercises/%s/%s", id, ex->edit.v[0]);
    return xasprintf("exercises/%s/README.md", id);
}

/* Compiler lines "exercises/ID/FILE:LINE:COL: error: ..." become
 * annotations on that line; returns how many. */
static int build_errors(strbuf *sb, const cJSON *ex, int budget)
{
    strbuf prefix = {0};
    sb_printf(&prefix, "exercises/%s/", jstr(ex, "id"));
    const char *log = jstr(ex, "build_log");
    int n = 0;
    for (const char *p = log; *p && n < budget;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, len);
        char *at = strstr(line, sb_str(&prefix));
        char *colon = at ? strchr(at + prefix.len, ':') : NULL;
        char *err = strstr(line, ": error: ");
        if (colon && err && err > colon && isdigit((unsigned char)colon[1])) {
            *colon = '\0';
            long lno = strtol(colon + 1, NULL, 10);
            strbuf title = {0};
            sb_printf(&title, "%s does not build", jstr(ex, "id"));
            annotate(sb, at, lno, sb_str(&title), err + 9);
            sb_free(&title);
            n++;
        }
        free(line);
        p += len + (nl != NULL);
    }
    sb_free(&prefix);
    return n;
}

/* Test messages start with where the check is ("test_x.c:12: ..."): the
 * annotation goes on that line of the exercise's test file. Returns the
 * line (0 when the message does not start so) and sets *file. */
static long check_site(const char *id, const char *msg, char **file)
{
    size_t n = strspn(msg, "abcdefghijklmnopqrstuvwxyz0123456789_.");
    if (n < 3 || n > 64 || strncmp(msg + n - 2, ".c", 2) != 0 ||
        msg[n] != ':' || !isdigit((unsigned char)msg[n + 1]) ||
        strstr(msg, "..") == msg)
        return 0;
    char *end;
    long line = strtol(msg + n + 1, &end, 10);
    if (*end != ':' || line <= 0)
        return 0;
    strbuf sb = {0};
    sb_printf(&sb, "exercises/%s/%.*s", id, (int)n, msg);
    *file = sb_steal(&sb);
    return line;
}

/* A crash report names where it happened in the student's code
 * ("exercises/ID/vector.c:42:5" or "vector.c:42" for a file the exercise
 * edits): the annotation goes on that line. Returns it (0 when none) and
 * sets *file. */
static long crash_site(const manifest *m, const char *id, const char *msg,
                       char **file)
{
    const exercise *ex = m ? manifest_find(m, id) : NULL;
    for (size_t i = 0; ex && i < ex->edit.n; i++) {
        const char *f = ex->edit.v[i];
        if (strstr(f, "..") || strchr(f, ':'))
            continue;
        size_t n = strlen(f);
        for (const char *p = strstr(msg, f); p; p = strstr(p + 1, f)) {
            int boundary = p == msg || strchr(" /(\t'\"", p[-1]) != NULL;
            if (!boundary || p[n] != ':' || !isdigit((unsigned char)p[n + 1]))
                continue;
            long line = strtol(p + n + 1, NULL, 10);
            if (line <= 0)
                continue;
            *file = xasprintf("exercises/%s/%s", id, f);
            return line;
        }
    }
    return 0;
}

char *format_annotations(const cJSON *doc, const manifest *m)
{
    strbuf sb = {0};
    int total = 0;
    const cJSON *ex, *t;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        const char *id = jstr(ex, "id"), *verdict = jstr(ex, "verdict");
        if (strcmp(verdict, "passed") == 0 || strcmp(verdict, "skipped") == 0)
            continue;
        int budget = MAX_ANNOTATIONS - total;
        if (budget <= 0)
            break;
        if (budget > MAX_PER_EXERCISE)
            budget = MAX_PER_EXERCISE;
        char *file = edit_file(m, id);
        int n = 0;
        if (strcmp(verdict, "build_error") == 0)
            n = build_errors(&sb, ex, budget);
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            const char *tv = jstr(t, "verdict");
            if (n >= budget || strcmp(tv, "passed") == 0 ||
                strcmp(tv, "skipped") == 0 ||
                (strcmp(tv, "not_run") == 0 && n > 0))
                continue;
            strbuf title = {0};
            sb_printf(&title, "%s %s: %s", id, jstr(t, "name"), tv);
            char *fb = test_feedback(t), *site = NULL;
            long line = check_site(id, jstr(t, "message"), &site);
            if (line == 0)
                line = crash_site(m, id, fb, &site);
            annotate(&sb, site ? site : file, line, sb_str(&title),
                     *fb ? fb : jstr(ex, "message"));
            free(site);
            free(fb);
            sb_free(&title);
            n++;
        }
        if (n == 0) { /* tampered, or failed without a failing test */
            strbuf title = {0};
            sb_printf(&title, "%s: %s", id, verdict);
            annotate(&sb, file, 0, sb_str(&title), jstr(ex, "message"));
            sb_free(&title);
            n++;
        }
        free(file);
        total += n;
    }
    if (sb.data == NULL)
        sb_puts(&sb, "");
    return sb_steal(&sb);
}

/* ---- Markdown job summary ------------------------------------------------ */

/* One table cell of untrusted text: one line, at most MAX_CELL bytes (cut
 * at a character boundary), no HTML, no Markdown syntax, no table break. */
static void md_cell(strbuf *sb, const char *s)
{
    char *clean = utf8_sanitize(s, strlen(s));
    size_t n = 0;
    for (const unsigned char *p = (unsigned char *)clean; *p; p++, n++) {
        if (n >= MAX_CELL && (*p & 0xC0) != 0x80) {
            sb_puts(sb, "…");
            break;
        }
        switch (*p) {
        case '\n':
        case '\t': sb_puts(sb, " "); break;
        case '<': sb_puts(sb, "&lt;"); break;
        case '>': sb_puts(sb, "&gt;"); break;
        case '&': sb_puts(sb, "&amp;"); break;
        case '@': sb_puts(sb, "&#64;"); break;
        case '|':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '\\':
        case '#':
        case '~':
        case '!': sb_printf(sb, "\\%c", *p); break;
        default: sb_append(sb, (const char *)p, 1);
        }
    }
    free(clean);
}

static void bar(strbuf *sb, double frac)
{
    int full = (int)lround(frac * 10);
    for (int i = 0; i < 10; i++)
        sb_puts(sb, i < full ? "█" : "░");
    sb_printf(sb, " %d%%", (int)lround(frac * 100));
}

typedef struct {
    int chapter, passed, total;
    double score, max;
} chapter_sum;

char *format_summary(const cJSON *doc)
{
    strbuf sb = {0};
    const cJSON *course = cJSON_GetObjectItemCaseSensitive(doc, "course");
    double score = jnum(doc, "score"), max = jnum(doc, "max_score");
    sb_puts(&sb, "## ");
    md_cell(&sb, jstr(course, "title"));
    sb_printf(&sb, _("\n\n**%g / %g points** (%d%%)\n\n"), score, max,
              max > 0 ? (int)lround(100 * score / max) : 0);

    chapter_sum ch[64];
    int nch = 0;
    const cJSON *ex, *t;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        int c = jcount(ex, "chapter"), k = 0;
        while (k < nch && ch[k].chapter != c)
            k++;
        if (k == nch) {
            if (nch == 64)
                continue;
            ch[nch++] = (chapter_sum){c, 0, 0, 0, 0};
        }
        ch[k].total++;
        ch[k].passed += strcmp(jstr(ex, "verdict"), "passed") == 0;
        ch[k].score += jnum(ex, "score");
        ch[k].max += jnum(ex, "max_score");
    }
    sb_puts(&sb, _("| chapter | exercises passed | points | progress |\n"
                   "|---|---|---|---|\n"));
    for (int k = 0; k < nch; k++) {
        sb_printf(&sb, "| %d | %d / %d | %g / %g | ", ch[k].chapter,
                  ch[k].passed, ch[k].total, round(ch[k].score * 1000) / 1000,
                  ch[k].max);
        bar(&sb, ch[k].max > 0 ? ch[k].score / ch[k].max : 0);
        sb_puts(&sb, " |\n");
    }

    int failing = 0;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        const char *verdict = jstr(ex, "verdict");
        if (strcmp(verdict, "passed") == 0)
            continue;
        if (failing++ == 0)
            sb_puts(&sb, _("\n### Not passed yet\n\n"
                           "| exercise | verdict | tests | points | first "
                           "problem |\n|---|---|---|---|---|\n"));
        sb_puts(&sb, "| ");
        md_cell(&sb, jstr(ex, "id"));
        sb_puts(&sb, " | ");
        md_cell(&sb, verdict);
        sb_printf(&sb, " | %d / %d | %g / %g | ", jcount(ex, "tests_passed"),
                  jcount(ex, "tests_total"), jnum(ex, "score"),
                  jnum(ex, "max_score"));
        const char *why = jstr(ex, "message");
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            if (strcmp(jstr(t, "verdict"), "passed") != 0 &&
                *jstr(t, "message")) {
                md_cell(&sb, jstr(t, "name"));
                sb_puts(&sb, ": ");
                why = jstr(t, "message");
                break;
            }
        }
        char *shown = i18n_message(why);
        md_cell(&sb, shown);
        free(shown);
        sb_puts(&sb, " |\n");
    }
    if (failing == 0)
        sb_puts(&sb, _("\nEvery exercise passes.\n"));
    else
        sb_printf(&sb,
                  _("\n%d exercise%s not passed yet; run `make check` "
                    "locally for details.\n"),
                  failing, failing == 1 ? "" : "s");
    return sb_steal(&sb);
}

/* harness_records.c: see harness_records.h. */
#include "run/harness_records.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "base/utf8.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Undoes the harness's escaping, then makes the result safe to show. */
static char *unescape(const char *s, size_t n)
{
    strbuf raw = {0};
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            char e = s[++i];
            if (e == 'n')
                c = '\n';
            else if (e == 't')
                c = '\t';
            else if (e == 'x' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
                     hexval(s[i + 2]) >= 0) {
                c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
                i += 2;
            } else
                c = e;
        }
        sb_append(&raw, &c, 1);
    }
    char *safe = utf8_sanitize(sb_str(&raw), raw.len);
    sb_free(&raw);
    return safe;
}

/* A metric name: 1-64 of [A-Za-z0-9_.-] (it becomes a JSON key, a column
 * of the leaderboard and a cell of Markdown tables). */
static int metric_name_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return 0;
    return 1;
}

static void add_metric(harness_records *r, const char *rest, size_t n)
{
    const char *sp = memchr(rest, ' ', n);
    if (sp == NULL || !metric_name_ok(rest, (size_t)(sp - rest)) ||
        r->nmetrics >= 64)
        return;
    char num[64];
    size_t vn = n - (size_t)(sp + 1 - rest);
    if (vn == 0 || vn >= sizeof num)
        return;
    memcpy(num, sp + 1, vn);
    num[vn] = '\0';
    char *end;
    double v = strtod(num, &end);
    if (*end != '\0' || !isfinite(v))
        return;
    r->metrics = xgrow(r->metrics, r->nmetrics, sizeof *r->metrics);
    metric *m = r->metrics;
    m[r->nmetrics].name = unescape(rest, (size_t)(sp - rest));
    m[r->nmetrics].value = v;
    r->nmetrics++;
}

static int starts(const char *line, size_t n, const char *word, size_t *rest)
{
    size_t w = strlen(word);
    if (n < w || memcmp(line, word, w) != 0)
        return 0;
    if (n == w) {
        *rest = w;
        return 1;
    }
    if (line[w] != ' ')
        return 0;
    *rest = w + 1;
    return 1;
}

/* The run's own "done" record: "done <test> <nonce>". */
typedef struct {
    const char *test, *nonce;
} done_key;

static int is_own_done(const done_key *key, const char *rest, size_t n)
{
    size_t t = strlen(key->test), k = strlen(key->nonce);
    return n == t + 1 + k && memcmp(rest, key->test, t) == 0 &&
           rest[t] == ' ' && memcmp(rest + t + 1, key->nonce, k) == 0;
}

/* The space ending the "file:line" at the start of a fail record's rest
 * (n bytes): the first one after a colon and digits, else the first one;
 * NULL when there is none. */
static const char *where_end(const char *rest, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (rest[i] != ':' || rest[i + 1] < '0' || rest[i + 1] > '9')
            continue;
        size_t d = i + 1;
        while (d < n && rest[d] >= '0' && rest[d] <= '9')
            d++;
        if (d < n && rest[d] == ' ')
            return rest + d;
    }
    return memchr(rest, ' ', n);
}

static void parse_line(harness_records *r, const done_key *key,
                       const char *line, size_t n)
{
    size_t k;
    if (starts(line, n, "start", &k)) {
        r->started = 1;
    } else if (starts(line, n, "done", &k)) {
        if (is_own_done(key, line + k, n - k))
            r->done = 1;
        else
            r->forged = 1;
    } else if (starts(line, n, "fail", &k)) {
        r->nfails++;
        if (r->first_fail == NULL) {
            /* "fail <where> <message>" -> "<where>: <message>"; <where>
             * is "file:line", and the file may hold spaces ("(end of
             * test):0"): it ends at the first space after ":<digits>" */
            const char *rest = line + k;
            size_t rn = n - k;
            const char *sp = where_end(rest, rn);
            strbuf sb = {0};
            if (sp) {
                sb_append(&sb, rest, (size_t)(sp - rest));
                sb_puts(&sb, ": ");
                sb_append(&sb, sp + 1, rn - (size_t)(sp + 1 - rest));
            } else
                sb_append(&sb, rest, rn);
            r->first_fail = unescape(sb_str(&sb), sb.len);
            sb_free(&sb);
        }
    } else if (starts(line, n, "crash", &k)) {
        if (r->crash_signal == NULL)
            r->crash_signal = unescape(line + k, n - k);
    } else if (starts(line, n, "sanitizer", &k)) {
        r->sanitizer = 1;
    } else if (starts(line, n, "skip", &k)) {
        if (r->skip_reason == NULL)
            r->skip_reason = unescape(line + k, n - k);
    } else if (starts(line, n, "metric", &k)) {
        add_metric(r, line + k, n - k);
    }
}

void records_parse(const char *text, size_t len, const char *test,
                   const char *nonce, harness_records *r)
{
    memset(r, 0, sizeof *r);
    const done_key key = {test, nonce};
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (nl) /* a record without its newline was cut off: ignore it */
            parse_line(r, &key, text + i, end - i);
        i = end + 1;
    }
}

void records_free(harness_records *r)
{
    free(r->first_fail);
    free(r->crash_signal);
    free(r->skip_reason);
    for (size_t i = 0; i < r->nmetrics; i++)
        free(r->metrics[i].name);
    free(r->metrics);
    memset(r, 0, sizeof *r);
}

/* i18n_match.c: see i18n_match.h. */
#include "base/i18n_match.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"

enum { MAX_CAPS = 16, MAX_TOKENS = 64, MAX_DEPTH = 4, MIN_LITERAL = 4 };

typedef enum {
    T_LIT,
    T_STR,
    T_INT,
    T_UINT,
    T_HEX,
    T_FLOAT,
    T_PTR,
    T_CHAR
} token_kind;

typedef struct {
    token_kind kind;
    const char *lit; /* T_LIT: the text (not NUL-terminated) */
    size_t len;
    int quoted; /* T_STR between double quotes: data, never translated */
} token;

typedef struct {
    const char *at;
    size_t len;
    token_kind kind;
    int verbatim; /* copied as it is (a quoted %s) */
} capture;

/* One conversion at p (just after '%'): its length in bytes, its kind,
 * and (into norm, when not NULL) its normalized spelling. 0 if p is not
 * a conversion this module knows. */
static size_t conversion(const char *p, token_kind *kind, strbuf *norm)
{
    const char *q = p;
    while (*q && strchr("-+ #0'", *q))
        q++;
    int star = 0;
    if (*q == '*') {
        star++;
        q++;
    } else {
        while (isdigit((unsigned char)*q))
            q++;
    }
    if (*q == '.') {
        q++;
        if (*q == '*') {
            star++;
            q++;
        } else {
            while (isdigit((unsigned char)*q))
                q++;
        }
    }
    const char *len = q;
    while (*q && strchr("hlLqjzt", *q))
        q++;
    size_t nlen = (size_t)(q - len);
    if (*q == '\0')
        return 0;
    switch (*q) {
    case 'd':
    case 'i': *kind = T_INT; break;
    case 'u':
    case 'o': *kind = T_UINT; break;
    case 'x':
    case 'X': *kind = T_HEX; break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'a':
    case 'A': *kind = T_FLOAT; break;
    case 's': *kind = T_STR; break;
    case 'p': *kind = T_PTR; break;
    case 'c': *kind = T_CHAR; break;
    default: return 0;
    }
    if (norm) {
        if (norm->len)
            sb_puts(norm, " ");
        sb_puts(norm, "%");
        for (int i = 0; i < star; i++)
            sb_puts(norm, "*");
        sb_append(norm, len, nlen);
        sb_append(norm, q, 1);
    }
    return (size_t)(q - p) + 1;
}

void i18n_conversions(const char *fmt, strbuf *out)
{
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        token_kind k;
        size_t n = conversion(p + 1, &k, out);
        if (n == 0) {
            if (out->len)
                sb_puts(out, " ");
            sb_puts(out, "%?"); /* unknown: never equal to a valid one */
        } else {
            p += n;
        }
    }
    if (out->data == NULL)
        sb_puts(out, "");
}

/* Splits fmt into tokens. Returns the count, or -1 when it has too many;
 * *specific gets how specific the format is: its literal bytes, plus 1 for
 * each conversion other than %s (a number is a constraint too). */
static int tokenize(const char *fmt, token *t, size_t *specific)
{
    int n = 0;
    size_t *literal = specific;
    *literal = 0;
    const char *p = fmt;
    while (*p) {
        if (n == MAX_TOKENS)
            return -1;
        if (*p == '%' && p[1] == '%') {
            t[n++] = (token){T_LIT, p, 1, 0};
            (*literal)++;
            p += 2;
            continue;
        }
        token_kind k;
        size_t c = *p == '%' ? conversion(p + 1, &k, NULL) : 0;
        if (c > 0) {
            t[n++] = (token){k, NULL, 0, 0};
            *specific += k == T_STR ? 0 : 1;
            p += c + 1;
            continue;
        }
        size_t len = strcspn(p + 1, "%") + 1;
        t[n++] = (token){T_LIT, p, len, 0};
        *literal += len;
        p += len;
    }
    for (int i = 1; i + 1 < n; i++)
        t[i].quoted = t[i].kind == T_STR && t[i - 1].kind == T_LIT &&
                      t[i - 1].lit[t[i - 1].len - 1] == '"' &&
                      t[i + 1].kind == T_LIT && t[i + 1].lit[0] == '"';
    return n;
}

/* How many bytes at s form one value of kind k (0: none). */
static size_t value_len(token_kind k, const char *s)
{
    const char *p = s;
    switch (k) {
    case T_INT:
        if (*p == '-' || *p == '+')
            p++;
        /* fall through */
    case T_UINT:
        while (isdigit((unsigned char)*p))
            p++;
        return p > s && isdigit((unsigned char)p[-1]) ? (size_t)(p - s) : 0;
    case T_HEX:
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
            p += 2;
        while (isxdigit((unsigned char)*p))
            p++;
        return isxdigit((unsigned char)p[-1]) ? (size_t)(p - s) : 0;
    case T_PTR:
        if (strncmp(p, "(nil)", 5) == 0)
            return 5;
        if (p[0] != '0' || p[1] != 'x')
            return 0;
        p += 2;
        while (isxdigit((unsigned char)*p))
            p++;
        return (size_t)(p - s) > 2 ? (size_t)(p - s) : 0;
    case T_CHAR: return *p ? 1 : 0;
    case T_FLOAT: {
        if (*p == '-' || *p == '+')
            p++;
        if (strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3) == 0)
            return (size_t)(p - s) +
                   (strncasecmp(p, "infinity", 8) == 0 ? 8 : 3);
        const char *digits = p;
        while (isdigit((unsigned char)*p))
            p++;
        if (*p == '.')
            for (p++; isdigit((unsigned char)*p); p++)
                ;
        if (p == digits || (p == digits + 1 && *digits == '.'))
            return 0;
        if (*p == 'e' || *p == 'E') {
            const char *e = p + 1;
            if (*e == '-' || *e == '+')
                e++;
            if (isdigit((unsigned char)*e)) {
                while (isdigit((unsigned char)*e))
                    e++;
                p = e;
            }
        }
        return (size_t)(p - s);
    }
    default: return 0;
    }
}

/* Whether s matches t[i..n), filling caps from index c on. */
static int match_from(const token *t, int i, int n, const char *s,
                      capture *caps, int c)
{
    if (i == n)
        return *s == '\0';
    if (t[i].kind == T_LIT)
        return strncmp(s, t[i].lit, t[i].len) == 0 &&
               match_from(t, i + 1, n, s + t[i].len, caps, c);
    if (c == MAX_CAPS)
        return 0;
    if (t[i].kind != T_STR) {
        size_t len = value_len(t[i].kind, s);
        if (len == 0)
            return 0;
        caps[c] = (capture){s, len, t[i].kind, 1};
        return match_from(t, i + 1, n, s + len, caps, c + 1);
    }
    /* %s: the shortest text after which the rest matches. With a literal
     * next, only the places where that literal starts are worth trying. */
    size_t rest = strlen(s);
    const char *eol = strchr(s, '\n');
    for (size_t len = 0; len <= rest; len++) {
        if (i + 1 < n && t[i + 1].kind == T_LIT) {
            const char *next = NULL;
            for (const char *q = s + len; (q = strchr(q, t[i + 1].lit[0])); q++)
                if (strncmp(q, t[i + 1].lit, t[i + 1].len) == 0) {
                    next = q;
                    break;
                }
            if (next == NULL)
                return 0;
            len = (size_t)(next - s);
        } else if (i + 1 == n) {
            len = rest; /* the last token takes everything */
        }
        /* An unquoted %s with more of the format after it stays on its
         * line: a message of one finding per line is then matched line by
         * line, never by one format spread over two findings. */
        if (i + 1 < n && !t[i].quoted && eol != NULL && s + len > eol)
            return 0;
        caps[c] = (capture){s, len, T_STR, t[i].quoted};
        if (match_from(t, i + 1, n, s + len, caps, c + 1))
            return 1;
    }
    return 0;
}

static char *translate(const i18n_catalog *const *cats, size_t ncats,
                       const char *msg, int depth);

/* Writes fmt (the translation) with the captures in place of its
 * conversions; a %s capture is itself translated. */
static void fill(strbuf *out, const char *fmt, const capture *caps, int ncaps,
                 const i18n_catalog *const *cats, size_t ncats, int depth)
{
    int c = 0;
    for (const char *p = fmt; *p;) {
        if (*p == '%' && p[1] == '%') {
            sb_puts(out, "%");
            p += 2;
            continue;
        }
        token_kind k;
        size_t len = *p == '%' ? conversion(p + 1, &k, NULL) : 0;
        if (len == 0 || c >= ncaps) {
            sb_append(out, p, 1);
            p++;
            continue;
        }
        if (strncmp(p, "%.0s", 4) == 0) {
            /* printed as nothing: an English-only piece ("es") */
        } else if (caps[c].kind == T_STR && caps[c].len > 0 &&
                   !caps[c].verbatim) {
            char *piece = xstrndup(caps[c].at, caps[c].len);
            char *zh = translate(cats, ncats, piece, depth + 1);
            sb_puts(out, zh);
            free(zh);
            free(piece);
        } else {
            sb_append(out, caps[c].at, caps[c].len);
        }
        c++;
        p += len + 1;
    }
}

/* The best entry matching the whole of msg, or NULL. */
static char *translate_whole(const i18n_catalog *const *cats, size_t ncats,
                             const char *msg, int depth)
{
    const char *best_str = NULL;
    size_t best_lit = 0;
    capture best_caps[MAX_CAPS], caps[MAX_CAPS];
    int best_n = 0;
    for (size_t k = 0; k < ncats; k++) {
        for (size_t e = 0; e < i18n_catalog_size(cats[k]); e++) {
            const char *id, *str;
            i18n_catalog_entry(cats[k], e, &id, &str);
            if (*id == '\0' || *str == '\0')
                continue;
            if (strcmp(id, msg) == 0)
                return xstrdup(str); /* exact: nothing beats it */
            if (strchr(id, '%') == NULL)
                continue;
            token t[MAX_TOKENS];
            size_t lit;
            int n = tokenize(id, t, &lit);
            if (n < 0 || lit < MIN_LITERAL || lit <= best_lit)
                continue;
            if (!match_from(t, 0, n, msg, caps, 0))
                continue;
            int ncaps = 0;
            for (int i = 0; i < n; i++)
                ncaps += t[i].kind != T_LIT;
            best_str = str;
            best_lit = lit;
            best_n = ncaps;
            memcpy(best_caps, caps, sizeof caps);
        }
    }
    if (best_str == NULL)
        return NULL;
    strbuf out = {0};
    fill(&out, best_str, best_caps, best_n, cats, ncats, depth);
    return sb_steal(&out);
}

static char *translate(const i18n_catalog *const *cats, size_t ncats,
                       const char *msg, int depth)
{
    if (depth > MAX_DEPTH || *msg == '\0')
        return xstrdup(msg);
    char *whole = translate_whole(cats, ncats, msg, depth);
    if (whole)
        return whole;
    if (strchr(msg, '\n') == NULL)
        return xstrdup(msg);
    strbuf out = {0};
    for (const char *p = msg; *p;) {
        size_t len = strcspn(p, "\n");
        char *line = xstrndup(p, len);
        char *zh = translate(cats, ncats, line, depth);
        sb_puts(&out, zh);
        free(zh);
        free(line);
        p += len;
        if (*p == '\n') {
            sb_puts(&out, "\n");
            p++;
        }
    }
    return sb_steal(&out);
}

char *i18n_match_translate(const i18n_catalog *const *cats, size_t ncats,
                           const char *msg)
{
    return translate(cats, ncats, msg, 0);
}

/* i18n_catalog.c: see i18n_catalog.h. */
#include "base/i18n_catalog.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

struct i18n_catalog {
    char **ids, **strs;
    size_t n, cap;
};

/* Appends the C-escaped text between the quotes of `"..."` at p (p at the
 * opening quote) to sb: escapes \n \t \r \" \\ and octal \NNN. Returns the
 * end of the line's content, or NULL when it is not such a string. */
static const char *unquote(const char *p, const char *end, strbuf *sb)
{
    if (p >= end || *p != '"')
        return NULL;
    for (p++; p < end && *p != '"'; p++) {
        if (*p != '\\') {
            sb_append(sb, p, 1);
            continue;
        }
        if (++p >= end)
            return NULL;
        switch (*p) {
        case 'n': sb_puts(sb, "\n"); break;
        case 't': sb_puts(sb, "\t"); break;
        case 'r': sb_puts(sb, "\r"); break;
        case '"': sb_puts(sb, "\""); break;
        case '\\': sb_puts(sb, "\\"); break;
        default: {
            /* \NNN: an octal byte (\033, the terminal's escape) */
            unsigned v = 0;
            int k = 0;
            for (; k < 3 && p < end && *p >= '0' && *p <= '7'; k++, p++)
                v = v * 8 + (unsigned)(*p - '0');
            if (k == 0 || v == 0 || v > 255)
                return NULL;
            char byte = (char)v;
            sb_append(sb, &byte, 1);
            p--;
        }
        }
    }
    if (p >= end)
        return NULL;
    for (p++; p < end && isspace((unsigned char)*p); p++)
        ;
    return p == end ? p : NULL;
}

static void add_entry(i18n_catalog *c, strbuf *id, strbuf *str)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->ids = xreallocarray(c->ids, c->cap, sizeof *c->ids);
        c->strs = xreallocarray(c->strs, c->cap, sizeof *c->strs);
    }
    c->ids[c->n] = xstrdup(sb_str(id));
    c->strs[c->n] = xstrdup(sb_str(str));
    c->n++;
    sb_free(id);
    sb_free(str);
}

i18n_catalog *i18n_catalog_parse(const char *text, size_t len, strbuf *err)
{
    i18n_catalog *c = xcalloc(1, sizeof *c);
    strbuf id = {0}, str = {0};
    strbuf *into = NULL; /* the field continued by a bare "..." line */
    int have_id = 0, have_str = 0;
    size_t lineno = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        lineno++;
        const char *s = p;
        while (s < eol && isspace((unsigned char)*s))
            s++;
        const char *e = eol;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        p = nl ? nl + 1 : end;
        if (s == e || *s == '#')
            continue;
        const char *rest = NULL;
        if (e - s > 6 && strncmp(s, "msgid ", 6) == 0) {
            if (have_id && !have_str)
                goto bad_order;
            if (have_id)
                add_entry(c, &id, &str);
            have_id = 1;
            have_str = 0;
            into = &id;
            rest = s + 6;
        } else if (e - s > 7 && strncmp(s, "msgstr ", 7) == 0) {
            if (!have_id || have_str)
                goto bad_order;
            have_str = 1;
            into = &str;
            rest = s + 7;
        } else if (*s == '"' && into != NULL) {
            rest = s;
        } else {
            sb_printf(err,
                      "line %zu: expected msgid, msgstr or a \"...\" "
                      "line, got %.40s",
                      lineno, s);
            goto fail;
        }
        while (rest < e && isspace((unsigned char)*rest))
            rest++;
        if (unquote(rest, e, into) == NULL) {
            sb_printf(err,
                      "line %zu: a string in double quotes (escapes "
                      "\\n \\t \\r \\\" \\\\ \\NNN) expected",
                      lineno);
            goto fail;
        }
        continue;
    bad_order:
        sb_printf(err, "line %zu: each msgid needs one msgstr after it",
                  lineno);
        goto fail;
    }
    if (have_id && !have_str) {
        sb_printf(err, "line %zu: the last msgid has no msgstr", lineno);
        goto fail;
    }
    if (have_id)
        add_entry(c, &id, &str);
    return c;
fail:
    sb_free(&id);
    sb_free(&str);
    i18n_catalog_free(c);
    return NULL;
}

i18n_catalog *i18n_catalog_new(void)
{
    return xcalloc(1, sizeof(i18n_catalog));
}

/* text with each '%' doubled: a printf format that prints text. */
static void append_as_format(strbuf *sb, const char *text)
{
    for (const char *p = text; *p; p++)
        sb_append(sb, *p == '%' ? "%%" : p, *p == '%' ? 2 : 1);
}

void i18n_catalog_add_text(i18n_catalog *c, const char *english,
                           const char *translated)
{
    strbuf id = {0}, str = {0};
    append_as_format(&id, english);
    append_as_format(&str, translated);
    add_entry(c, &id, &str);
}

void i18n_catalog_free(i18n_catalog *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->ids[i]);
        free(c->strs[i]);
    }
    free(c->ids);
    free(c->strs);
    free(c);
}

size_t i18n_catalog_size(const i18n_catalog *c)
{
    return c ? c->n : 0;
}

void i18n_catalog_entry(const i18n_catalog *c, size_t i, const char **msgid,
                        const char **msgstr)
{
    *msgid = c->ids[i];
    *msgstr = c->strs[i];
}

const char *i18n_catalog_lookup(const i18n_catalog *c, const char *msgid)
{
    if (c == NULL || msgid == NULL || *msgid == '\0')
        return NULL;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->ids[i], msgid) == 0)
            return *c->strs[i] ? c->strs[i] : NULL;
    return NULL;
}

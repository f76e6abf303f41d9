/* i18n.c: see i18n.h. The language choice, the .po catalogs and the
 * built-in Chinese catalog (grader/i18n/zh-CN.po, embedded with the
 * assembler's .incbin like the leaderboard page: no generated file). */
#include "base/i18n.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/i18n_match.h"

#ifndef I18N_ZH_CATALOG
#define I18N_ZH_CATALOG "i18n/zh-CN.po"
#endif

__asm__(".pushsection .rodata\n"
        ".globl i18n_zh_po_text\n"
        ".type i18n_zh_po_text, @object\n"
        "i18n_zh_po_text:\n"
        ".incbin \"" I18N_ZH_CATALOG "\"\n"
        ".byte 0\n"
        ".popsection\n");
extern const char i18n_zh_po_text[];

struct i18n_catalog {
    char **ids, **strs;
    size_t n, cap;
};

enum { MAX_EXTRA = 128 };

static i18n_lang current = I18N_EN;
static i18n_catalog *builtin_zh;
static int builtin_failed;
static i18n_catalog *extra[MAX_EXTRA];
static size_t nextra;

/* ---- the language ---- */

int i18n_parse_lang(const char *name, i18n_lang *out)
{
    if (name == NULL || *name == '\0')
        return -1;
    if (strncmp(name, "zh", 2) == 0 && (name[2] == '\0' || name[2] == '-' ||
                                        name[2] == '_' || name[2] == '.')) {
        *out = I18N_ZH_CN;
        return 0;
    }
    if (strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 ||
        strncmp(name, "C.", 2) == 0 ||
        (strncmp(name, "en", 2) == 0 && (name[2] == '\0' || name[2] == '-' ||
                                         name[2] == '_' || name[2] == '.'))) {
        *out = I18N_EN;
        return 0;
    }
    return -1;
}

i18n_lang i18n_choose(const char *llmlings_lang, const char *lc_all,
                      const char *lc_messages, const char *lang)
{
    i18n_lang chosen;
    if (i18n_parse_lang(llmlings_lang, &chosen) == 0)
        return chosen;
    const char *locale[] = {lc_all, lc_messages, lang};
    for (size_t i = 0; i < 3; i++)
        if (locale[i] && *locale[i])
            return strncmp(locale[i], "zh", 2) == 0 ? I18N_ZH_CN : I18N_EN;
    return I18N_EN;
}

int i18n_init(const char *flag)
{
    i18n_lang lang;
    if (flag != NULL) {
        if (i18n_parse_lang(flag, &lang) != 0)
            return -1;
    } else {
        lang = i18n_choose(getenv("LLMLINGS_LANG"), getenv("LC_ALL"),
                           getenv("LC_MESSAGES"), getenv("LANG"));
    }
    i18n_set_lang(lang);
    return 0;
}

void i18n_set_lang(i18n_lang lang)
{
    current = lang;
}

i18n_lang i18n_current(void)
{
    return current;
}

void i18n_shutdown(void)
{
    i18n_catalog_free(builtin_zh);
    builtin_zh = NULL;
    builtin_failed = 0;
    for (size_t i = 0; i < nextra; i++)
        i18n_catalog_free(extra[i]);
    nextra = 0;
}

/* ---- .po parsing ---- */

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

const i18n_catalog *i18n_builtin_zh(strbuf *err)
{
    if (builtin_zh == NULL && !builtin_failed) {
        strbuf why = {0};
        builtin_zh =
            i18n_catalog_parse(i18n_zh_po_text, strlen(i18n_zh_po_text), &why);
        builtin_failed = builtin_zh == NULL;
        if (err && builtin_failed)
            sb_printf(err, "grader/i18n/zh-CN.po: %s", sb_str(&why));
        sb_free(&why);
    }
    return builtin_zh;
}

const char *i18n_text(const char *english)
{
    if (current != I18N_ZH_CN || english == NULL)
        return english;
    const char *t = i18n_catalog_lookup(i18n_builtin_zh(NULL), english);
    return t ? t : english;
}

/* ---- conversions ---- */

int i18n_same_conversions(const char *english, const char *translated,
                          strbuf *why)
{
    strbuf a = {0}, b = {0};
    i18n_conversions(english, &a);
    i18n_conversions(translated, &b);
    int same = strcmp(sb_str(&a), sb_str(&b)) == 0;
    if (!same && why)
        sb_printf(why, "expected the conversions \"%s\", got \"%s\"",
                  sb_str(&a), sb_str(&b));
    sb_free(&a);
    sb_free(&b);
    return same;
}

/* ---- composed messages ---- */

int i18n_add_messages(const char *path, strbuf *err)
{
    if (current != I18N_ZH_CN || !file_exists(path))
        return 0;
    if (nextra == MAX_EXTRA) {
        sb_printf(err, "%s: more than %d message catalogs", path, MAX_EXTRA);
        return -1;
    }
    char *text = NULL;
    size_t len = 0;
    if (file_read(path, &text, &len, 1 << 20) != 0) {
        sb_printf(err, "%s: cannot read it", path);
        return -1;
    }
    strbuf why = {0};
    i18n_catalog *c = i18n_catalog_parse(text, len, &why);
    free(text);
    if (c == NULL) {
        sb_printf(err, "%s: %s", path, sb_str(&why));
        sb_free(&why);
        return -1;
    }
    sb_free(&why);
    extra[nextra++] = c;
    return 0;
}

char *i18n_message(const char *english)
{
    if (english == NULL)
        return NULL;
    if (current != I18N_ZH_CN)
        return xstrdup(english);
    const i18n_catalog *cats[MAX_EXTRA + 1];
    size_t n = 0;
    for (size_t i = 0; i < nextra; i++)
        cats[n++] = extra[i]; /* an exercise's own texts first */
    if (i18n_builtin_zh(NULL))
        cats[n++] = i18n_builtin_zh(NULL);
    return i18n_match_translate(cats, n, english);
}

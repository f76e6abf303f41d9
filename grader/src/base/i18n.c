/* i18n.c: see i18n.h. The language choice, the .po catalogs and the
 * built-in Chinese catalog (grader/i18n/zh-CN.po, embedded with the
 * assembler's .incbin like the leaderboard page: no generated file). */
#include "base/i18n.h"

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

enum { MAX_EXTRA = 128 };

static i18n_lang current = I18N_EN;
static i18n_catalog *builtin_zh;
static int builtin_failed;
static i18n_catalog *exercise_catalogs[MAX_EXTRA];
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
        i18n_catalog_free(exercise_catalogs[i]);
    nextra = 0;
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

/* ---- pages ---- */

char *i18n_page(const char *root, const char *path)
{
    if (current != I18N_ZH_CN)
        return xstrdup(path);
    size_t len = strcspn(path, "#");
    if (len < 3 || strncmp(path + len - 3, ".md", 3) != 0)
        return xstrdup(path);
    const char *slash = memrchr(path, '/', len);
    size_t dir = slash ? (size_t)(slash - path) : 0;
    char *twin;
    if (dir == 8 && strncmp(path, "lectures", 8) == 0)
        twin = xasprintf("lectures/zh-CN%.*s", (int)(len - dir), path + dir);
    else
        twin = xasprintf("%.*s.zh-CN.md", (int)(len - 3), path);
    char *full = xasprintf("%s/%s", root, twin);
    int exists = file_exists(full);
    free(full);
    char *out = exists ? xasprintf("%s%s", twin, path + len) : xstrdup(path);
    free(twin);
    return out;
}

/* ---- display width ---- */

/* Whether code point c is drawn two columns wide (East Asian Wide and
 * Fullwidth: CJK, Hangul, full-width forms). */
static int wide(unsigned c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

/* The code point of the UTF-8 sequence at *p; *p moves past it. */
static unsigned next_code_point(const unsigned char **p)
{
    unsigned c = **p;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
    (*p)++;
    for (int i = 0; i < extra && (**p & 0xC0) == 0x80; i++, (*p)++)
        c = (c << 6) | (**p & 0x3F);
    return c;
}

int i18n_columns(const char *s)
{
    int cols = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p)
        cols += wide(next_code_point(&p)) ? 2 : 1;
    return cols;
}

int i18n_fit_bytes(const char *s, int columns)
{
    int cols = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *at = p;
        cols += wide(next_code_point(&p)) ? 2 : 1;
        if (cols > columns)
            return (int)(at - (const unsigned char *)s);
    }
    return (int)(p - (const unsigned char *)s);
}

int i18n_field(const char *s, int columns)
{
    int w = columns + (int)strlen(s) - i18n_columns(s);
    return w > 0 ? w : 0;
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
    exercise_catalogs[nextra++] = c;
    return 0;
}

int i18n_add_catalog(i18n_catalog *c, strbuf *err)
{
    if (current != I18N_ZH_CN) {
        i18n_catalog_free(c);
        return 0;
    }
    if (nextra == MAX_EXTRA) {
        sb_printf(err, "more than %d message catalogs", MAX_EXTRA);
        i18n_catalog_free(c);
        return -1;
    }
    exercise_catalogs[nextra++] = c;
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
        cats[n++] = exercise_catalogs[i]; /* an exercise's own texts first */
    if (i18n_builtin_zh(NULL))
        cats[n++] = i18n_builtin_zh(NULL);
    return i18n_match_translate(cats, n, english);
}

/* i18n.h: the language the grader speaks to a student (English or
 * Simplified Chinese) and its message catalogs.
 *
 * A catalog is a small subset of gettext's .po format: `msgid "English"`
 * then `msgstr "中文"` (each possibly continued by more "..." lines, C
 * escapes \n \t \" \\), `#` comments. The grader's own catalog is
 * grader/i18n/zh-CN.po, built into the binary; an exercise may add
 * exercises/NN_topic/messages.zh-CN.po for its tests' texts
 * (i18n_add_messages). Lookups go by the English text: `_("...")` returns
 * the translation in Chinese mode when the catalog has one, else the
 * English text itself, so a missing entry is never an error.
 *
 * Only what a person reads is translated: JSON keys, exit codes and
 * verdict names (passed, failed, build_error, ...) never change. */
#ifndef GRADER_I18N_H
#define GRADER_I18N_H

#include <stddef.h>

#include "base/i18n_catalog.h"
#include "base/strbuf.h"

typedef enum { I18N_EN, I18N_ZH_CN } i18n_lang;

/* Parses a language name: "en", "C", "POSIX", "en_US.UTF-8" -> English;
 * "zh-CN", "zh_CN.UTF-8", "zh" -> Chinese. 0 on success, -1 when name is
 * neither (or empty). */
int i18n_parse_lang(const char *name, i18n_lang *out);

/* The language from the environment's values (each may be NULL):
 * LLMLINGS_LANG when it names a language, else the first non-empty of
 * LC_ALL, LC_MESSAGES, LANG (zh* -> Chinese, anything else English), else
 * English. Pure, for tests; i18n_init reads the real environment. */
i18n_lang i18n_choose(const char *llmlings_lang, const char *lc_all,
                      const char *lc_messages, const char *lang);

/* Sets the language: `flag` (the --lang option's value) when not NULL,
 * else from the environment. Returns -1 (and changes nothing) when flag
 * names no language. */
int i18n_init(const char *flag);
void i18n_set_lang(i18n_lang lang);
i18n_lang i18n_current(void);
/* Frees the catalogs loaded so far (at exit; the tests use it). */
void i18n_shutdown(void);

/* The translation of an English text (a printf format or not), or the
 * text itself. Never NULL for a non-NULL english. */
const char *i18n_text(const char *english) __attribute__((format_arg(1)));
#define _(english) i18n_text(english)
/* Marks a string for the catalog where it cannot be translated yet (a
 * static table); translate it with _() where it is printed. */
#define N_(english) english

/* The built-in Chinese catalog (grader/i18n/zh-CN.po), parsed on first
 * use; NULL (and a reason in err) if it does not parse. */
const i18n_catalog *i18n_builtin_zh(strbuf *err);

/* Whether a translation uses the same printf conversions as its English
 * text, in the same order (%d and %s swapped would crash a printf). 1 yes,
 * 0 no, with "expected %d %s, got %s %d"-style reasons in why. */
int i18n_same_conversions(const char *english, const char *translated,
                          strbuf *why);

/* The page a student should open for the English page `path` (relative
 * to root, maybe with a #anchor): in Chinese mode its twin when that
 * exists (lectures/X.md -> lectures/zh-CN/X.md, other X.md ->
 * X.zh-CN.md, the anchor kept: twins carry the English anchors), else
 * path itself. Caller frees. */
char *i18n_page(const char *root, const char *path);

/* Display columns of UTF-8 text s (a CJK character is 2 columns). */
int i18n_columns(const char *s);
/* How many bytes of s fit in `columns` columns, never cutting a UTF-8
 * sequence (for "%.*s"). */
int i18n_fit_bytes(const char *s, int columns);
/* The printf field width ("%-*s") that makes s take `columns` columns:
 * printf counts bytes, a Chinese character is 3 bytes but 2 columns. */
int i18n_field(const char *s, int columns);

/* ---- messages composed elsewhere (test failures, sanitizer reports) ----
 * Adds the catalog at path (an exercise's messages.zh-CN.po) to the ones
 * i18n_message consults. Chinese mode only; a missing file is fine.
 * Returns -1 with a reason in err when the file does not parse. */
int i18n_add_messages(const char *path, strbuf *err);
/* Adds catalog c (i18n_catalog_new: texts of the manifest, such as a
 * performance tier's advice) to the ones i18n_message consults, after the
 * exercises' own; takes c. Chinese mode only (elsewhere c is freed).
 * Returns -1 with a reason in err when there are too many catalogs. */
int i18n_add_catalog(i18n_catalog *c, strbuf *err);
/* The message in the current language (caller frees): in Chinese mode each
 * line is matched against the catalogs' English formats (i18n_match.h);
 * a text nothing matches stays English. In English mode a copy. */
char *i18n_message(const char *english);

#endif

/* i18n_catalog.h: one message catalog: a small subset of gettext's .po
 * format. `msgid "English"` then `msgstr "中文"`, each possibly continued
 * by more "..." lines; escapes \n \t \r \" \\ and octal \NNN; `#`
 * comments. An empty msgstr means untranslated. */
#ifndef GRADER_I18N_CATALOG_H
#define GRADER_I18N_CATALOG_H

#include <stddef.h>

#include "base/strbuf.h"

typedef struct i18n_catalog i18n_catalog;

/* Parses .po text. NULL with a "line N: what" reason in err. */
i18n_catalog *i18n_catalog_parse(const char *text, size_t len, strbuf *err);
void i18n_catalog_free(i18n_catalog *c);
/* An empty catalog, for texts that come from elsewhere (the manifest's
 * Chinese fields), filled with i18n_catalog_add_text. */
i18n_catalog *i18n_catalog_new(void);
/* Adds a plain text and its translation (not printf formats: each '%' is
 * stored as "%%", so a message containing the text matches it literally). */
void i18n_catalog_add_text(i18n_catalog *c, const char *english,
                           const char *translated);
size_t i18n_catalog_size(const i18n_catalog *c);
/* Entry i: its English text and its translation ("" when untranslated). */
void i18n_catalog_entry(const i18n_catalog *c, size_t i, const char **msgid,
                        const char **msgstr);
/* The translation of msgid, or NULL when absent or untranslated. */
const char *i18n_catalog_lookup(const i18n_catalog *c, const char *msgid);

#endif

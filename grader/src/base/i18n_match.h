/* i18n_match.h: translating a message that was composed in English with
 * printf ("add(2, 3): expected 5, got -1") by matching it against the
 * catalogs' English formats ("%s: expected %lld, got %lld") and filling
 * the captured pieces into the Chinese format ("%s：期望 %lld，实际为
 * %lld"). Each %s piece is translated the same way in turn (the `what` of
 * a check: "greet(buf, %d, \"%s\") wrote"), up to a few levels deep.
 *
 * A conversion matches: %s any text (shortest first, backtracking; on one
 * line unless it ends the format or is quoted), %d %i
 * an optionally signed integer, %u %zu %llu digits, %x hex digits, %g %e
 * %f a number (also nan, inf), %p a pointer or (nil), %c one byte. Width,
 * precision and flags are ignored when matching; the captured text is
 * copied as it was, and a %s between double quotes ("%s") is data, never
 * translated. In a translation, %.0s drops its piece (an English plural).
 *
 * Where several formats match, the most specific wins: the most literal
 * bytes, each conversion other than %s counting 1 (earlier catalogs win
 * ties: an exercise's own texts first). A format below 4 is
 * never used as a pattern, so "%s: %s" cannot swallow a message. A message
 * nothing matches is tried line by line; what still matches nothing stays
 * English. */
#ifndef GRADER_I18N_MATCH_H
#define GRADER_I18N_MATCH_H

#include <stddef.h>

#include "base/i18n_catalog.h"
#include "base/strbuf.h"

/* The conversions of a printf format, normalized ("%lld %s %zu", stars
 * as "*"), appended to out: what a translation must keep. */
void i18n_conversions(const char *fmt, strbuf *out);

/* The translation of msg through cats (earlier catalogs first on ties);
 * a copy of msg where nothing matches. Caller frees. */
char *i18n_match_translate(const i18n_catalog *const *cats, size_t ncats,
                           const char *msg);

#endif

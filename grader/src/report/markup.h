/* markup.h: student text made safe for the HTML page and the JUnit XML. */
#ifndef GRADER_MARKUP_H
#define GRADER_MARKUP_H

#include "base/strbuf.h"

/* Appends s to sb as valid UTF-8 without control characters, with & < > "
 * ' and ` written as entities or character references: safe inside HTML
 * elements and quoted attributes, and inside XML 1.0 text and attributes. */
void markup_escape(strbuf *sb, const char *s);

#endif

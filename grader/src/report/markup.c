/* markup.c: see markup.h. */
#include "report/markup.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

void markup_escape(strbuf *sb, const char *s)
{
    char *clean = utf8_sanitize(s, strlen(s));
    for (const char *p = clean; *p; p++) {
        switch (*p) {
        case '&': sb_puts(sb, "&amp;"); break;
        case '<': sb_puts(sb, "&lt;"); break;
        case '>': sb_puts(sb, "&gt;"); break;
        case '"': sb_puts(sb, "&quot;"); break;
        case '\'': sb_puts(sb, "&#39;"); break;
        case '`': sb_puts(sb, "&#96;"); break;
        default: sb_append(sb, p, 1);
        }
    }
    free(clean);
}

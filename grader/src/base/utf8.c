/* utf8.c: see utf8.h. */
#include "base/utf8.h"

#include <string.h>

#include "base/strbuf.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t valid_sequence(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0; /* overlong, out of range or a surrogate */
    return need;
}

char *utf8_sanitize(const char *s, size_t len)
{
    strbuf out = {0};
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x20 || c == 0x7F) {
            if (c == '\n' || c == '\t')
                sb_append(&out, (const char *)&p[i], 1);
            else
                sb_puts(&out, REPLACEMENT);
            i++;
            continue;
        }
        size_t k = valid_sequence(p + i, len - i);
        if (k == 0) {
            sb_puts(&out, REPLACEMENT);
            i++;
        } else {
            sb_append(&out, (const char *)&p[i], k);
            i += k;
        }
    }
    return sb_steal(&out);
}

/* The visible spelling of control character (or backslash) c. */
static void put_visible(strbuf *out, unsigned char c)
{
    switch (c) {
    case '\n': sb_puts(out, "\\n"); break;
    case '\r': sb_puts(out, "\\r"); break;
    case '\t': sb_puts(out, "\\t"); break;
    case 0x1B: sb_puts(out, "\\e"); break;
    case '\\': sb_puts(out, "\\\\"); break;
    default: sb_printf(out, "\\x%02X", c); break;
    }
}

char *utf8_visible(const char *s, size_t max_bytes)
{
    strbuf out = {0};
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    size_t end = len < max_bytes ? len : max_bytes;
    while (i < end) {
        unsigned char c = p[i];
        if (c < 0x20 || c == 0x7F || c == '\\') {
            put_visible(&out, c);
            i++;
            continue;
        }
        size_t k = valid_sequence(p + i, len - i);
        if (k == 0) {
            sb_puts(&out, REPLACEMENT);
            i++;
        } else {
            sb_append(&out, (const char *)&p[i], k);
            i += k;
        }
    }
    if (i < len)
        sb_puts(&out, "...");
    return sb_steal(&out);
}

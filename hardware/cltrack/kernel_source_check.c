/* kernel_source_check.c: see kernel_source_check.h. The scan skips
 * comments and string and character literals as the compiler lexes them
 * (a backslash-newline continues a line; a literal ends at the end of its
 * line), so `asm` in a comment is allowed while every `asm` the compiler
 * could see as code is refused. Where this scan and the compiler could
 * disagree, the scan sees more code, never less. */
#include "kernel_source_check.h"

#include <string.h>

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* The index after the end of the line at i (a backslash-newline continues
 * it), not counting the newline. */
static size_t line_end(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] != '\n')
        i += s[i] == '\\' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    return i;
}

/* The index after the literal that starts at i (quote s[i]): at its
 * closing quote, or at the end of its line when it has none. */
static size_t literal_end(const char *s, size_t i, size_t n)
{
    const char quote = s[i++];
    while (i < n && s[i] != '\n' && s[i] != quote)
        i += s[i] == '\\' && i + 1 < n ? 2 : 1;
    return i < n && s[i] == quote ? i + 1 : i;
}

/* The index after the block comment that starts at i ("/" "*"). */
static size_t block_comment_end(const char *s, size_t i, size_t n)
{
    for (i += 2; i + 1 < n; i++)
        if (s[i] == '*' && s[i + 1] == '/')
            return i + 2;
    return n;
}

static int banned(const char *s, size_t len)
{
    static const char *const names[] = {"asm", "__asm", "__asm__"};
    for (size_t b = 0; b < sizeof names / sizeof names[0]; b++)
        if (len == strlen(names[b]) && memcmp(s, names[b], len) == 0)
            return 1;
    return 0;
}

const char *kernel_source_refusal(const char *source, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char c = source[i], next = i + 1 < n ? source[i + 1] : '\0';
        if (c == '/' && next == '/')
            i = line_end(source, i, n);
        else if (c == '/' && next == '*')
            i = block_comment_end(source, i, n);
        else if (c == '"' || c == '\'')
            i = literal_end(source, i, n);
        else if (ident_char(c)) {
            size_t start = i;
            while (i < n && ident_char(source[i]))
                i++;
            if (banned(source + start, i - start))
                return "judge mode: inline assembly (asm, __asm__) is not "
                       "allowed in kernels";
        } else
            i++;
    }
    return NULL;
}

/* shell.c: see shell.h. */
#include "compile/shell.h"

void shell_put_quoted(strbuf *sb, const char *s)
{
    sb_puts(sb, "'");
    for (; *s; s++) {
        if (*s == '\'')
            sb_puts(sb, "'\\''");
        else
            sb_append(sb, s, 1);
    }
    sb_puts(sb, "'");
}

void shell_put_command(strbuf *sb, const strlist *argv, const char *suffix)
{
    for (size_t i = 0; i < argv->n; i++) {
        if (i > 0)
            sb_puts(sb, " ");
        shell_put_quoted(sb, argv->v[i]);
    }
    sb_printf(sb, "%s\n", suffix);
}

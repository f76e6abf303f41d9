/* shell.h: writing commands into the POSIX shell scripts the grader runs
 * its build recipes as (build.c, build_cuda.c): every word quoted, so no
 * path or flag is ever split or expanded by the shell. */
#ifndef GRADER_SHELL_H
#define GRADER_SHELL_H

#include "base/strbuf.h"
#include "base/strlist.h"

/* Appends s in single quotes. */
void shell_put_quoted(strbuf *sb, const char *s);
/* Appends one command: argv's words quoted, then suffix (shell syntax
 * such as " || fail" or " &", written as is), then a newline. */
void shell_put_command(strbuf *sb, const strlist *argv, const char *suffix);

#endif

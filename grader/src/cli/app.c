/* app.c: see app.h. */
#include "cli/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/exit_codes.h"
#include "base/i18n.h"
#include "base/strbuf.h"
#include "base/utf8.h"

/* The message is one line whatever the arguments held: control
 * characters of an argument are shown, not sent to the terminal. */
int usage_error(const app *a, const char *fmt, ...)
{
    strbuf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&msg, _(fmt), ap);
    va_end(ap);
    char *shown = utf8_visible(sb_str(&msg), 400);
    fprintf(stderr, "grader: %s: %s", a->name, shown);
    fprintf(stderr, _("\nusage: %s\n"), a->usage);
    free(shown);
    sb_free(&msg);
    return EXIT_USAGE;
}

const exercise *find_exercise(const manifest *m, const char *id)
{
    const exercise *ex = manifest_find(m, id);
    if (ex == NULL) {
        char *shown = utf8_visible(id, 80);
        fprintf(stderr,
                _("grader: no exercise \"%s\" (run `grader list` for the "
                  "names)\n"),
                shown);
        free(shown);
    }
    return ex;
}

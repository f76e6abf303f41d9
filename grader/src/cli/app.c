/* app.c: see app.h. */
#include "cli/app.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/exit_codes.h"

int usage_error(const app *a, const char *fmt, ...)
{
    fprintf(stderr, "grader: %s: ", a->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\n", a->usage);
    return EXIT_USAGE;
}

const exercise *find_exercise(const manifest *m, const char *id)
{
    const exercise *ex = manifest_find(m, id);
    if (ex == NULL)
        fprintf(stderr,
                "grader: no exercise \"%s\" (run `grader list` for the "
                "names)\n",
                id);
    return ex;
}

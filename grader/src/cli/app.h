/* app.h: what every command handler gets (commands.h). The command table
 * in main.c opens what a command needs before its handler runs: the
 * workbook (strictly, or leniently for the commands that grade it from
 * pristine files), the result cache, and says how to write. */
#ifndef GRADER_APP_H
#define GRADER_APP_H

#include "cli/session.h"
#include "grade/result_cache.h"
#include "workbook/manifest.h"

typedef struct {
    const char *name;    /* the command, e.g. "check" */
    const char *usage;   /* its usage line, e.g. "grader check [EX]" */
    const char *root;    /* --root: where to look for the workbook */
    session s;           /* the workbook and the view grading reads */
    result_cache *cache; /* earlier results; NULL without a workbook */
    int color;           /* colour on stdout */
} app;

/* Says "grader: NAME: <what>" and the command's usage on stderr; returns
 * EXIT_USAGE. */
int usage_error(const app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The exercise id of manifest m, or NULL after saying so on stderr. */
const exercise *find_exercise(const manifest *m, const char *id);

#endif

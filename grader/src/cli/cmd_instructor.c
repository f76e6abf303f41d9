/* cmd_instructor.c: the instructor's commands: `grader verify` (every
 * starter fails, every solution passes), `grader pin` (record or check the
 * pristine files) and `grader export` (the student template). */
#include <stdio.h>
#include <string.h>

#include "base/exit_codes.h"
#include "cli/commands.h"
#include "grade/verify.h"
#include "integrity/pin.h"
#include "integrity/template.h"

int cmd_verify(app *a, int argc, char **argv)
{
    verify_options o = {.color = a->color, .mutants = 1};
    const char **ids = (const char **)argv;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--judge") == 0)
            o.judge = 1;
        else if (strcmp(argv[i], "--no-mutants") == 0)
            o.mutants = 0;
        else if (argv[i][0] == '-')
            return usage_error(a, "unknown option \"%s\"", argv[i]);
        else if (find_exercise(&a->s.wb.m, argv[i]) == NULL)
            return EXIT_USAGE;
        else
            ids[n++] = argv[i];
    }
    const graded_view v = workbook_view(&a->s.wb);
    return verify_exercises(&v, ids, n, &o);
}

int cmd_pin(app *a, int argc, char **argv)
{
    if (argc == 0)
        return pin_write(a->s.wb.root);
    if (argc == 1 && strcmp(argv[0], "--check") == 0)
        return pin_check(a->s.wb.root);
    return usage_error(a, "takes only --check, got \"%s\"", argv[0]);
}

int cmd_export(app *a, int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-')
        return usage_error(a, "takes one folder, the export's");
    return template_export(&a->s.wb, argv[0]);
}

/* commands.h: the handlers of the grader's commands, one per command,
 * named cmd_<command>. Each takes the command's own arguments (after its
 * name) and returns an exit code (exit_codes.h). main.c's table says
 * what each needs opened first (app.h). */
#ifndef GRADER_COMMANDS_H
#define GRADER_COMMANDS_H

#include "cli/app.h"

/* the student's (cmd_watch.c, cmd_course.c, cmd_grade.c, cmd_editor.c) */
int cmd_watch(app *a, int argc, char **argv);
int cmd_list(app *a, int argc, char **argv);
int cmd_next(app *a, int argc, char **argv);
int cmd_check(app *a, int argc, char **argv);
int cmd_hint(app *a, int argc, char **argv);
int cmd_grade(app *a, int argc, char **argv);
int cmd_reset(app *a, int argc, char **argv);
int cmd_compile_commands(app *a, int argc, char **argv);
/* results, no workbook needed (cmd_results.c) */
int cmd_report(app *a, int argc, char **argv);
int cmd_leaderboard(app *a, int argc, char **argv);
/* the instructor's (cmd_instructor.c) */
int cmd_verify(app *a, int argc, char **argv);
int cmd_pin(app *a, int argc, char **argv);
int cmd_export(app *a, int argc, char **argv);

#endif

/* compile_commands.h: `grader compile-commands` writes compile_commands.json
 * at the workbook root, so clangd (and any editor using it) sees each
 * exercise's include paths and flags exactly as the grader compiles it. */
#ifndef GRADER_COMPILE_COMMANDS_H
#define GRADER_COMPILE_COMMANDS_H

#include "workbook/workbook.h"

/* Returns an exit code; says what it wrote unless quiet. */
int compile_commands_main(const workbook *wb, int argc, char **argv);

#endif

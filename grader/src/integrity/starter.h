/* starter.h: `grader reset EX`: puts an exercise's editable files back to
 * their starters, from the pristine git objects (the pin's blob ids; a git
 * workbook without a pin: the root commit of HEAD's first-parent history,
 * where a clone of the template starts). Without .git there is no pristine
 * copy to take them from. */
#ifndef GRADER_STARTER_H
#define GRADER_STARTER_H

#include "workbook/workbook.h"

/* Resets exercise id of wb (known to the manifest); asks y/N on stdin
 * first unless yes. Says what it did. Returns 0 (reset, or nothing to
 * do), EXIT_SOME_FAILED (answered no), EXIT_USAGE (no pristine source) or
 * EXIT_INTERNAL. */
int starter_reset(const workbook *wb, const char *id, int yes);

#endif

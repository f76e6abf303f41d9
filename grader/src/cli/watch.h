/* watch.h: `grader watch`, the student's main loop: re-check the current
 * exercise on every save, show the verdict, move on when it passes. */
#ifndef GRADER_WATCH_H
#define GRADER_WATCH_H

#include "grade/result_cache.h"
#include "workbook/workbook.h"

/* grader watch [EX] [--poll SECONDS]. Returns an exit code. */
int watch_main(workbook *wb, result_cache *cache, int argc, char **argv,
               int color);

#endif

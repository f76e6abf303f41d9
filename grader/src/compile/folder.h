/* folder.h: the layout of an exercise's build folder.
 *
 *     BUILD_DIR/<id>[.<tag>]/    the folder (a tag for other builds than
 *                                the student's, inputs.h)
 *         tree/                  the staged inputs, mirroring the workbook
 *         <id>.test              the test program
 *         <id>.race, <id>.gpu    the race tier's and the GPU's (kind.h)
 *         build.sh, obj/         the cuda recipe's script and objects
 *         inspect/               objects of the inspection (tamper.h)
 *         run/<n>/               each test's scratch folder (runner.h) */
#ifndef GRADER_FOLDER_H
#define GRADER_FOLDER_H

#include "compile/inputs.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

/* Each returns a new path (the caller frees it). */
char *build_folder(const workbook *wb, const exercise *ex,
                   const build_options *o);
char *build_tree_path(const char *dir);
char *build_program_path(const char *dir, const exercise *ex, program_id p);

#endif

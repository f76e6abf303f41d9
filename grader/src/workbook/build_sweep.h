/* build_sweep.h: removing the build folders of workbooks that are gone.
 *
 * As root, builds live outside the workbook, in /tmp/llmlings-root/<hash
 * of the workbook's path> (see workbook.c), where nothing else would ever
 * remove them (the project's own test suites make dozens of temporary
 * workbooks). Each build folder records whose it is, and opening any
 * workbook removes the folders whose workbook no longer exists. */
#ifndef GRADER_BUILD_SWEEP_H
#define GRADER_BUILD_SWEEP_H

/* Records in build_dir that it belongs to the workbook at root (an
 * absolute path). Returns 0, or -1 with errno set. */
int build_sweep_mark(const char *build_dir, const char *root);

/* Removes every folder directly below base, other than `keep`, whose
 * record names a workbook that is gone (no folder, or no
 * exercises/manifest.json in it). Folders without a record and anything
 * that is not a plain folder are left alone.
 * Returns how many it removed. */
int build_sweep(const char *base, const char *keep);

#endif

/* checkers.h: what the checkers of the GPU kinds say, as one line for the
 * student: ThreadSanitizer's data race reports (the cuda race tier),
 * oclgrind's findings, and PoCL's temporary kernel paths in messages. */
#ifndef GRADER_CHECKERS_H
#define GRADER_CHECKERS_H

/* From a ThreadSanitizer report on stderr: "data race in KERNEL: ACCESS by
 * block (..) thread (..) at FILE:LINE and ACCESS by ... at FILE:LINE", or
 * NULL when there is no data race report. prefix is removed from paths. */
char *tsan_race_message(const char *err, const char *prefix);

/* From an oclgrind run's stderr: its first finding (invalid access, data
 * race, barrier divergence ...) as one line, or NULL. */
char *oclgrind_finding(const char *err, const char *prefix);

/* Replaces the PoCL cache paths in compiler messages about a kernel
 * (".../pocl-cache/tempfile_XXXX.cl:7:14") by "(your .cl file)", in place. */
void opencl_clean_paths(char *s);

#endif

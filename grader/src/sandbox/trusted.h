/* trusted.h: running the grader's own tools (the compiler, make, the
 * device probe) in the sandbox, all with one preset of limits.
 *
 * The tools are trusted, but what they read is not (they compile the
 * student's files), so they run sandboxed and as the run user like a
 * test, only with a tool's limits: 4 GiB resident, 64 processes, files up
 * to 512 MB, 64 KiB kept of each output stream, a CPU limit of twice the
 * wall-clock limit (make -j2 runs two compilers), and a fixed environment
 * (standard PATH, UTF-8 locale, TMPDIR). A tool that names what it writes
 * and reads gets Landlock's file rules too (sandbox.h): it writes only its
 * folder (TMPDIR is a folder in it) and reads only the system's folders
 * and the paths it names, so a student's #include of an organizer's file
 * fails. */
#ifndef GRADER_TRUSTED_H
#define GRADER_TRUSTED_H

#include "base/strbuf.h"
#include "sandbox/sandbox.h"

typedef struct {
    char *const *argv; /* argv[0] a path */
    const char *cwd;
    double limit_s;
    const char *writable;        /* the folder it writes; NULL: none */
    const char *const *readable; /* what else it reads (NULL-ended); NULL:
                                    reads are not restricted */
} trusted_spec;

/* Runs the tool. Returns 0 (res filled: the caller frees it with
 * sandbox_result_free) or -1 when it could not start (err says why). */
int trusted_run(const trusted_spec *t, sandbox_result *res, strbuf *err);

/* Nothing to read beyond the system's folders (a readable list). */
extern const char *const TRUSTED_READS_NOTHING[];

/* Whether the tool ran to the end and exited 0. */
int trusted_ok(const sandbox_result *res);

/* Appends the tool's output to log, then one line saying why it stopped
 * when it did not end normally: "<who> did not finish within N s", ran
 * out of memory, was killed, exited non-zero in silence. */
void trusted_log(const sandbox_result *res, const char *who, double limit_s,
                 strbuf *log);

#endif

/* trusted.h: running the grader's own tools (the compiler, make, the
 * device probe) in the sandbox, all with one preset of limits.
 *
 * The tools are trusted, but what they read is not (they compile the
 * student's files), so they run sandboxed and as the run user like a
 * test, only with a tool's limits: 4 GiB resident, 64 processes, files up
 * to 512 MB, 64 KiB kept of each output stream, a CPU limit of twice the
 * wall-clock limit (make -j2 runs two compilers), and a fixed environment
 * (standard PATH, UTF-8 locale, TMPDIR=/tmp). */
#ifndef GRADER_TRUSTED_H
#define GRADER_TRUSTED_H

#include "base/strbuf.h"
#include "sandbox/sandbox.h"

/* Runs argv (argv[0] a path) in cwd within limit_s seconds. Returns 0 (res
 * filled: the caller frees it with sandbox_result_free) or -1 when it
 * could not start (err says why). */
int trusted_run(char *const *argv, const char *cwd, double limit_s,
                sandbox_result *res, strbuf *err);

/* Whether the tool ran to the end and exited 0. */
int trusted_ok(const sandbox_result *res);

/* Appends the tool's output to log, then one line saying why it stopped
 * when it did not end normally: "<who> did not finish within N s", ran
 * out of memory, was killed, exited non-zero in silence. */
void trusted_log(const sandbox_result *res, const char *who, double limit_s,
                 strbuf *log);

#endif

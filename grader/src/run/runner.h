/* runner.h: one run of one test, as untrusted code.
 *
 * The test program runs alone (Criterion's --filter, or the race runner's)
 * in the sandbox (sandbox.h), with the limits and environment of its kind
 * and variant (kind.h), in a private scratch folder that is its working
 * directory, HOME and TMPDIR and the only folder it may write. The harness
 * writes its records into a private file there, with a secret nonce fresh
 * for each run (harness_records.h). What the run did is returned as facts;
 * the verdict is grade/verdict.h's to decide. */
#ifndef GRADER_RUNNER_H
#define GRADER_RUNNER_H

#include <stddef.h>

#include "base/strbuf.h"
#include "run/harness_records.h"
#include "sandbox/sandbox.h"
#include "workbook/manifest.h"

typedef struct {
    const exercise *ex;
    const char *dir;            /* the build folder: the scratch folder is
                                   its run/<index> */
    const char *tree;           /* the staged tree, with a trailing '/' */
    const char *program;        /* the program to start */
    const run_variant *variant; /* NULL: the test's first run */
    size_t index;               /* the test's position in the exercise */
    const char *test;           /* "suite/name" */
    double wall_limit_s;
    const char *const *env; /* set last ("NAME=VALUE", NULL-ended), after
                               the kind's and the variant's; or NULL */
    const char *preload;    /* LD_PRELOAD for a run without a wrapper, or
                               NULL */
    int record_checks;      /* judge mode: the harness writes its binary
                               check records (LL_OBS_FILE) into a private
                               file of the run, returned in checks */
    int perf_driver;        /* program is a performance driver
                               (LL_PERF_DRIVER): started without Criterion's
                               arguments */
    int perf_stops;         /* time it: LL_PERF_STOPS=1, and the sandbox
                               reads its stop points (sandbox.h) */
    int device_report;      /* judge mode, a kind with a device report
                               (kind.h), its plain build: the device
                               process reports on a pipe (the kind's
                               variable), returned in sr.report
                               (device_report.h parses it) */
} test_run_request;

typedef struct {
    sandbox_result sr;   /* how the process tree ended, what it printed,
                            the device report (device_report) */
    harness_records rec; /* what the harness recorded */
    char *checks;        /* record_checks: the check records (binary, may
                            be empty or cut off: check_log.h parses them);
                            else NULL */
    size_t checks_len;
} test_run;

/* Runs the test once. Returns 0 (out filled: test_run_free), 1 when the
 * variant's wrapper (oclgrind) is not installed and nothing ran, or -1
 * when the grader could not run it (err says why). */
int test_run_once(const test_run_request *q, test_run *out, strbuf *err);
void test_run_free(test_run *r);

#endif

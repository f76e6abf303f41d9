/* verdict.h: deciding verdicts and scores, from facts the student's code
 * cannot easily fake.
 *
 * A test's verdict comes from the sandbox's view of the process (deadline,
 * memory, signals, processes left behind) and the harness records (the
 * "done" record must carry the run's secret nonce). Criterion's opinion
 * only confirms a pass: a test passes when its body said "done", no check
 * failed, the runner exited 0 and left no process behind. Further runs of
 * a test (its kind's variants, kind.h) can only take a pass away or
 * explain a failure. An exercise's verdict and score follow from its
 * tests' (points split evenly, performance tiers for the performance-graded
 * tests).
 *
 * Nothing here runs anything or touches a file: every verdict has a unit
 * test (tests/unit/test_verdict.c). */
#ifndef GRADER_VERDICT_H
#define GRADER_VERDICT_H

#include <stddef.h>

#include "grade/results.h"
#include "run/check_log.h"
#include "run/device_report.h"
#include "run/harness_records.h"
#include "sandbox/sandbox.h"
#include "workbook/manifest.h"

/* What one run tells, with what the verdict needs to know about it. */
typedef struct {
    const sandbox_result *sr;   /* how the process tree ended */
    const harness_records *rec; /* what the harness recorded */
    double time_limit_s;        /* the wall-clock limit it ran under */
    long memory_limit_mb;       /* the exercise's memory limit */
    const char *timeout_hint;   /* added to a timeout's message; or NULL */
    const char *tree;           /* staged tree prefix, cut from messages */
    int real_gpu; /* ran where nothing tracks who wrote the GPU's results
                     (a real GPU, oclgrind): judge mode does not ask
                     (judge_gpu_work) */
    /* Judge mode, runs that the kind's device process reports on
     * (device_report.h): the report, or NULL with the reason it is not
     * usable (none came, malformed, too big). Ignored elsewhere. */
    int device_run;
    const device_report *device;
    const char *device_missing;
    const device_report_spec *device_spec; /* the kind's words for the
                                              messages (NULL: plain ones) */
} run_facts;

/* Sets t->verdict and t->message (t->message must be NULL) from one run. */
void verdict_decide(const run_facts *f, test_result *t);

/* Judge mode: the same run decided by its check records instead of its
 * own word. observed (len bytes, from the process that ran the student's
 * code) is compared with the reference run's expectations (judge_compare.h);
 * the first check that differs fails the test. When all agree so far, how
 * the process ended decides as in verdict_decide (deadline, memory,
 * crashes, sanitizers, a failed check it reported against itself, its exit
 * status, processes left behind), except that its "done" record, nonce and
 * skip claims count for nothing: missing or extra checks fail the test,
 * and so does a skip (only the reference run's skips are believed).
 *
 * Whether the GPU result came from a kernel: with expected_device (the
 * reference run's device report) and a device run (f->device_run), from
 * the two reports (judge_device_work), and a device run without a usable
 * report fails; otherwise from the GPU work records of the two check logs
 * (judge_gpu_work). Runs on a real GPU are not asked (f->real_gpu). */
void verdict_judge(const run_facts *f, const check_log *expected,
                   const device_report *expected_device, const void *observed,
                   size_t len, test_result *t);

/* Judge mode, a test that passed and is graded by the device's counters
 * (ps->judge_counters): its metric computed from the device report d,
 * which no code of the test process can change, added to t's metrics. A
 * condition of the formula that d breaks fails the test; incomplete counts
 * (uncounted accesses) earn no tier. The metric the process reported
 * itself (rec) is only cross-checked: a different one was forged, or its
 * counters reset, and the test earns no performance points (t->message
 * says so; metric judge_forged_metric keeps the claim). */
void verdict_judge_counters(const perf_spec *ps, const device_report *d,
                            const harness_records *rec, test_result *t);

/* The race tier's reading (READ_TSAN): ThreadSanitizer's exit status 66
 * and its report make a `race`; any other failure there says where it
 * happened. Applied after verdict_decide. */
void verdict_read_tsan(const sandbox_result *sr, const char *tree,
                       test_result *t);

/* Folds the result of a variant's run (later, consumed) into the test's
 * result t, as the variant's outcome says (kind.h). */
void verdict_combine(const run_variant *v, test_result *t, test_result *later);

/* Starts ex's result: id, title, chapter, hash and points, no tests. */
void result_init(const exercise *ex, const char *hash, exercise_result *r);
/* Gives r one test per name, each not run yet. */
void result_add_tests(exercise_result *r, char **names, size_t n);
/* Marks the whole exercise v (tampered, build error ...) with message
 * (taken over): every test not run, with the message, no points. */
void result_reject(exercise_result *r, exercise_verdict v, char *message);

/* Scores r's tests (points split evenly over them; each performance-graded
 * test by its metric's tier, with a message naming the metric and what the
 * next tier needs) and sets the exercise's verdict: passed when every test
 * passed, skipped when one was skipped, else failed. */
void score_exercise(const exercise *ex, exercise_result *r);

/* 1 when t passed, is graded by counters (a "lower is better" metric: the
 * simulator's counts, the same on every machine) and missed the top tier:
 * a reference must not, a mutant that only costs more traffic is caught by
 * it. Timed tiers depend on the machine and never count here. */
int below_counter_top_tier(const exercise *ex, const test_result *t);

#endif

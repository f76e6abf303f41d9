/* judge_compare.h: judge mode's comparison for one test: the observations
 * of the process that ran the student's code against the expectations of
 * the reference run, check by check, in order.
 *
 * The tolerances, the `what` texts and the kinds are taken from the
 * expectations (the reference run is trusted); the observing process only
 * supplies values. The rules per kind are those of the harness's local
 * checks (exercises/common/llmlings_harness.c), so a solution passes in
 * judge mode exactly when it passes locally on the same data. */
#ifndef GRADER_JUDGE_COMPARE_H
#define GRADER_JUDGE_COMPARE_H

#include <stddef.h>

#include "run/check_log.h"
#include "run/device_report.h"
#include "workbook/kind.h"

typedef enum {
    JUDGE_MATCH,    /* every expectation met, in order, and the body ended */
    JUDGE_MISMATCH, /* an observation differs from its expectation */
    JUDGE_SHORT,    /* fewer observations than expectations */
    JUDGE_EXTRA,    /* more observations than expectations */
    JUDGE_NO_END,   /* all matched, but the body never returned */
    JUDGE_CORRUPT,  /* the observation log is malformed */
} judge_status;

typedef struct {
    judge_status status;
    size_t matched; /* expectations met before the first problem */
    size_t expected;
    char *message; /* NULL for JUDGE_MATCH; else "file.c:12: what: expected
                      X, got Y" (valid UTF-8, one line); caller frees */
} judge_outcome;

/* Compares; always fills *out. */
void judge_compare(const check_log *expected, const check_log *observed,
                   judge_outcome *out);
void judge_outcome_free(judge_outcome *out);

/* After a match: whether the GPU result came from a kernel. Where the
 * reference run recorded GPU work (check_log.h: the CUDA simulator,
 * cltrack), the observed run must have recorded it too, copied back some
 * bytes a kernel wrote if the reference did, and copied back no bytes
 * only host code wrote if the reference did not; otherwise *out becomes a
 * JUDGE_MISMATCH saying "the result was not computed by a kernel". */
void judge_gpu_work(const check_log *expected, const check_log *observed,
                    judge_outcome *out);

/* The same question answered from device reports (device_report.h), which
 * the process running student code cannot write: the bytes copied back
 * that a kernel wrote (K) and that only host code wrote (H), totals over
 * the whole test. The student's run must copy back some kernel output if
 * the reference's did (K > 0), and no host-written bytes if the
 * reference's did not (H = 0; at most spec->host_bytes_slack times the
 * reference's K where origins are decided by content). The GPU work record in
 * the observed check log (the harness's, written from the test process) is
 * cross-checked: a second record, or one whose numbers differ from the
 * report's, is forged. Then the values: where the reference's array checks
 * observed kernel output copied back (at least 90% of the checked float
 * words the reports' kernel_words_sample covers are in the reference's
 * sample, and at least one is covered), at least half of those the
 * student's checks observed and its sample covers must be in its sample
 * (and, when none is covered, the reference must have had fewer than 8
 * covered). Otherwise *out becomes a JUDGE_MISMATCH saying why, in the
 * words of spec (the kind's device process and its host writes; NULL:
 * plain words). expected_log NULL: no value rule. */
void judge_device_work(const device_report *expected,
                       const device_report *observed,
                       const check_log *expected_log,
                       const check_log *observed_log,
                       const device_report_spec *spec, judge_outcome *out);

/* 1 when the two expectation logs differ in any value, count or order: the
 * test's expectations depend on its seed. */
int check_logs_differ(const check_log *a, const check_log *b);

#endif

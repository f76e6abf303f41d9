/* judge.h: judge mode, the organizer's trusted grading.
 *
 * In judge mode nothing the process that runs the student's code says
 * about itself decides a verdict. Its tests are built with -DLL_OBSERVE,
 * so each check only records the value it checks (llmlings.h); the
 * expected side comes from the same tests built with the reference
 * solution and run here, in processes that run no student code, on inputs
 * drawn from a seed chosen per grading run. verdict_judge (verdict.h)
 * compares the two, check by check.
 *
 * This module owns the expectations: for each test of an exercise, the
 * reference run's check records, kept in the state folder per reference
 * build and seed (state.h), so a class graded with one seed builds and
 * runs each reference once. */
#ifndef GRADER_JUDGE_H
#define GRADER_JUDGE_H

#include <stddef.h>

#include "base/strbuf.h"
#include "base/strlist.h"
#include "run/check_log.h"
#include "run/device_report.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

enum { JUDGE_SEED_HEX = 16 };

typedef struct {
    char seed[JUDGE_SEED_HEX + 1]; /* the inputs' seed: LL_SEED */
    char *reference;               /* absolute folder holding <id>/<file> of the
                                      reference solutions (solutions-private/) */
    char *env[2]; /* "LL_SEED=<seed>", NULL: every run's extra env */
} judge_options;

/* Sets up judge mode for the workbook at root: the seed is `seed` (1 to 16
 * hex digits) or, when NULL, a fresh random one. Returns 0, or -1 with a
 * one-line reason (no solutions-private/, a malformed seed, or no way to
 * keep student code from reading the organizer's files: sandbox.h). */
int judge_init(judge_options *o, const char *root, const char *seed,
               strbuf *err);
void judge_options_free(judge_options *o);
/* A short name of the seed for results and caches, which does not reveal
 * it: the first 16 hex digits of its SHA-256 (out: 17 bytes). */
void judge_seed_id(const judge_options *o, char out[17]);

/* The reference run's result for one test. */
typedef struct {
    char *data; /* its check records (check_log points into them) */
    size_t len;
    check_log log;
    char *skip_reason; /* the reference skipped it (missing hardware), so
                          the student's run is skipped too; else NULL */
    /* Kinds with a device report (kind.h): the reference run's, when its
     * simulator gave one (a simulator without a device process gives
     * none: its student runs are then judged by the GPU work record of
     * their check log, as before). */
    int has_device;
    device_report device;
    char *device_text; /* the report as read, for the cache */
} judge_expectation;

typedef struct {
    judge_expectation *v; /* one per test, in the order of `tests` */
    size_t n;
} judge_expectations;

/* The expectations of each test of ex (names "suite/name", in order), from
 * the cache or by building the reference solution and running each test
 * once. Returns 0, or -1 when the reference cannot give them (it does not
 * build, or a test of it does not pass with this seed: a problem of the
 * course, reported in err, never a student's loss). */
int judge_expect(const graded_view *v, const exercise *ex,
                 const judge_options *o, const strlist *tests,
                 judge_expectations *out, strbuf *err);
void judge_expectations_free(judge_expectations *e);

#endif

/* perf_judge.h: judge mode's performance measurement, from outside the
 * student's process.
 *
 * For an exercise whose manifest perf entry names a driver and a baseline
 * (grader/README.md, "The manifest"), the perf test's points in judge mode
 * come from here, never from a metric the test process reported. The
 * driver (LL_PERF_DRIVER, llmlings.h) is built four times: with the
 * student's code (-DLL_OBSERVE), with the baseline and with the empty stub
 * (baseline file, -DLL_PERF_NULL), all observing, and with the reference
 * solution (comparing, for the expected values). For each case and
 * repetition a fresh seed is drawn from the judge's; the reference's run
 * gives the expectations, then null, baseline and student run in turn,
 * each a fresh process that stops at its two stop points, where the
 * sandbox reads its clocks (sandbox.h). The student's timed output must
 * match the reference's (a memoized, stale or partial result fails), and
 * the figures are judged by perf_stats.h. A case whose first repetition
 * is far below the first tier is not repeated (a slow solution would take
 * long, and more runs cannot earn it a point). */
#ifndef GRADER_PERF_JUDGE_H
#define GRADER_PERF_JUDGE_H

#include "base/strbuf.h"
#include "compile/inputs.h"
#include "grade/judge.h"
#include "grade/results.h"
#include "workbook/manifest.h"
#include "workbook/workbook.h"

/* Measures ex's performance (ex->perf->driver set) and gives the perf
 * test t (passed on correctness) its metrics, or a message saying why it
 * earns no performance points. student is the build of the student's
 * code being graded (its edit base and folder tag). Returns 0, or -1 when
 * the grader or the course failed (the baseline or the reference does not
 * build or run: err). */
int perf_judge(const graded_view *v, const exercise *ex, const judge_options *j,
               const build_options *student, test_result *t, strbuf *err);

#endif

/* perf_stats.h: judge mode's performance figures from the clock readings
 * of its timed runs (pure arithmetic, no runs: tests/unit/test_perf_stats.c).
 *
 * Each timed run of a driver (perf_judge.h) gives three numbers: the CPU
 * time before its first stop point (setup), the time between its two stop
 * points on the exercise's clock (timed), and the CPU time after the
 * second (tail). For each case the runs alternate null (an empty stub:
 * the driver's own cost), baseline and student; one repetition's ratio is
 *
 *     (baseline timed - null timed) / (student timed - null timed)
 *
 * and the metric is the median over the cases of the median over the
 * repetitions, so one run disturbed by other programs decides nothing.
 * The student's setup and tail must not exceed the larger of the null's
 * and the baseline's by more than the slack (work done in a constructor,
 * or in a thread that goes on after the timed call returned); a metric
 * above the exercise's max_plausible is faster than the machine allows.
 * Either flags the measurement: it is reported, never scored. */
#ifndef GRADER_PERF_STATS_H
#define GRADER_PERF_STATS_H

#include <stddef.h>

/* CPU seconds of setup or tail any implementation may differ by (page
 * faults, scheduling), on top of PERF_SLACK_FRACTION of the timed time. */
#define PERF_SLACK_S 0.010
#define PERF_SLACK_FRACTION 0.25

typedef struct {
    double setup_cpu_s; /* start -> first stop, CPU */
    double timed_s;     /* first stop -> second stop, on the clock */
    double tail_cpu_s;  /* second stop -> exit, CPU */
} perf_sample;

/* One repetition of one case. */
typedef struct {
    perf_sample null, baseline, student;
} perf_round;

typedef enum {
    PERF_OK,
    PERF_WORK_BEFORE, /* setup above what the null and baseline need */
    PERF_WORK_AFTER,  /* tail above it */
    PERF_IMPLAUSIBLE, /* metric above max_plausible */
} perf_flag;

typedef struct {
    double ratio;      /* median over the repetitions */
    double student_s;  /* the student's median timed time */
    double baseline_s; /* the baseline's */
    double excess_before_s, excess_after_s; /* medians of the student's
                                               setup and tail above the
                                               others' (may be negative) */
} perf_case_figures;

/* The median of v[0..n) (sorted in place; the mean of the middle two when
 * n is even); 0 when n is 0. */
double perf_median(double *v, size_t n);
/* One round's ratio; +infinity when the student's time is not above the
 * null's (nothing measurable happened in the timed call). */
double perf_round_ratio(const perf_round *r);
/* The figures of one case from its n rounds. */
void perf_case(const perf_round *rounds, size_t n, perf_case_figures *out);
/* The metric: the median of the cases' ratios. */
double perf_metric(const perf_case_figures *cases, size_t n);
/* The first flag that holds for these figures (work before, unless
 * setup_free; work after; implausible), or PERF_OK. *which is the index of the
 * case that raised a work flag. */
perf_flag perf_judge_flag(const perf_case_figures *cases, size_t n,
                          double metric, double max_plausible, int setup_free,
                          size_t *which);

#endif

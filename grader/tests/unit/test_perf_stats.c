/* Unit tests for perf_stats.c: judge mode's ratio (null time taken off
 * both sides, medians over repetitions and cases), and the flags: work
 * before or after the timed call, and ratios beyond the machine's peak. */
#include <criterion/criterion.h>
#include <math.h>

#include "grade/perf_stats.h"

/* A round: the driver alone costs null_s; baseline and student add theirs. */
static perf_round round_of(double null_s, double base_s, double mine_s)
{
    perf_round r = {0};
    r.null = (perf_sample){0.010, null_s, 0.002};
    r.baseline = (perf_sample){0.015, null_s + base_s, 0.003};
    r.student = (perf_sample){0.010, null_s + mine_s, 0.002};
    return r;
}

Test(perf_stats, median_of_odd_and_even_counts)
{
    double odd[] = {5, 1, 3};
    double even[] = {4, 1, 3, 2};
    cr_expect_float_eq(perf_median(odd, 3), 3.0, 1e-12, "median of 5 1 3");
    cr_expect_float_eq(perf_median(even, 4), 2.5, 1e-12, "median of 4 1 3 2");
    cr_expect_float_eq(perf_median(odd, 0), 0.0, 1e-12, "median of none");
}

Test(perf_stats, the_null_time_is_taken_off_both_sides)
{
    /* 0.1 s of driver; baseline 0.2 s of work, student 0.4 s: ratio 0.5,
     * not (0.3 / 0.5) = 0.6 */
    const perf_round r = round_of(0.1, 0.2, 0.4);
    cr_expect_float_eq(perf_round_ratio(&r), 0.5, 1e-9, "expected 0.5, got %g",
                       perf_round_ratio(&r));
}

Test(perf_stats, nothing_measured_is_an_infinite_ratio)
{
    const perf_round r = round_of(0.1, 0.2, 0.0);
    cr_expect(isinf(perf_round_ratio(&r)), "expected inf, got %g",
              perf_round_ratio(&r));
}

Test(perf_stats, one_disturbed_repetition_does_not_decide)
{
    perf_round rounds[5];
    for (int i = 0; i < 5; i++)
        rounds[i] = round_of(0.001, 0.1, 0.2);
    rounds[2] = round_of(0.001, 0.1, 2.0); /* another program ran then */
    perf_case_figures f;
    perf_case(rounds, 5, &f);
    cr_expect_float_eq(f.ratio, 0.5, 1e-9, "expected 0.5, got %g", f.ratio);
    cr_expect_float_eq(f.student_s, 0.201, 1e-9, "expected 0.201, got %g",
                       f.student_s);
}

Test(perf_stats, the_metric_is_the_median_over_cases)
{
    const perf_case_figures c[3] = {
        {.ratio = 0.9}, {.ratio = 0.2}, {.ratio = 0.4}};
    cr_expect_float_eq(perf_metric(c, 3), 0.4, 1e-12, "expected 0.4, got %g",
                       perf_metric(c, 3));
}

Test(perf_stats, an_honest_measurement_is_not_flagged)
{
    perf_round rounds[3];
    for (int i = 0; i < 3; i++)
        rounds[i] = round_of(0.001, 0.1, 0.2);
    perf_case_figures f;
    perf_case(rounds, 3, &f);
    size_t which = 9;
    cr_expect_eq(perf_judge_flag(&f, 1, f.ratio, 2.5, 0, &which), PERF_OK);
}

Test(perf_stats, work_after_the_timed_call_is_flagged)
{
    perf_round rounds[3];
    for (int i = 0; i < 3; i++) {
        rounds[i] = round_of(0.001, 0.1, 0.01);
        rounds[i].student.tail_cpu_s = 0.5; /* a thread went on working */
    }
    perf_case_figures f[2];
    perf_case(rounds, 3, &f[1]);
    for (int i = 0; i < 3; i++)
        rounds[i] = round_of(0.001, 0.1, 0.2);
    perf_case(rounds, 3, &f[0]);
    size_t which = 0;
    cr_expect_eq(perf_judge_flag(f, 2, 1.0, 2.5, 0, &which), PERF_WORK_AFTER);
    cr_expect_eq(which, 1, "expected the second case, got %zu", which);
}

Test(perf_stats, work_before_the_timed_call_is_flagged)
{
    perf_round rounds[3];
    for (int i = 0; i < 3; i++) {
        rounds[i] = round_of(0.001, 0.1, 0.1);
        rounds[i].student.setup_cpu_s = 0.3; /* the stop came late */
    }
    perf_case_figures f;
    perf_case(rounds, 3, &f);
    size_t which = 9;
    cr_expect_eq(perf_judge_flag(&f, 1, f.ratio, 2.5, 0, &which),
                 PERF_WORK_BEFORE);
}

Test(perf_stats, work_before_is_allowed_when_setup_is_free)
{
    perf_round rounds[3];
    for (int i = 0; i < 3; i++) {
        rounds[i] = round_of(0.001, 0.1, 0.1);
        rounds[i].student.setup_cpu_s = 0.3; /* an engine's own set-up */
    }
    perf_case_figures f;
    perf_case(rounds, 3, &f);
    size_t which = 9;
    cr_expect_eq(perf_judge_flag(&f, 1, f.ratio, 2.5, 1, &which), PERF_OK);
}

Test(perf_stats, small_differences_outside_are_within_the_slack)
{
    perf_round rounds[3];
    for (int i = 0; i < 3; i++) {
        rounds[i] = round_of(0.001, 0.1, 0.2);
        /* 40 ms more: within 25 % of the student's 0.2 s */
        rounds[i].student.tail_cpu_s = rounds[i].baseline.tail_cpu_s + 0.04;
    }
    perf_case_figures f;
    perf_case(rounds, 3, &f);
    size_t which = 9;
    cr_expect_eq(perf_judge_flag(&f, 1, f.ratio, 2.5, 0, &which), PERF_OK);
}

Test(perf_stats, a_ratio_beyond_the_peak_is_flagged)
{
    const perf_case_figures c = {.ratio = 40, .student_s = 0.001};
    size_t which = 9;
    cr_expect_eq(perf_judge_flag(&c, 1, 40, 2.5, 0, &which), PERF_IMPLAUSIBLE);
    cr_expect_eq(perf_judge_flag(&c, 1, 2.4, 2.5, 0, &which), PERF_OK);
}

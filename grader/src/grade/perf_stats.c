/* perf_stats.c: see perf_stats.h. */
#include "grade/perf_stats.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double perf_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double perf_round_ratio(const perf_round *r)
{
    const double base = r->baseline.timed_s - r->null.timed_s;
    const double mine = r->student.timed_s - r->null.timed_s;
    if (!(mine > 0))
        return INFINITY;
    return (base > 0 ? base : 0) / mine;
}

static double larger(double a, double b)
{
    return a > b ? a : b;
}

void perf_case(const perf_round *rounds, size_t n, perf_case_figures *out)
{
    const size_t cap = n ? n : 1;
    double *ratio = xcalloc(cap, sizeof *ratio);
    double *mine = xcalloc(cap, sizeof *mine);
    double *base = xcalloc(cap, sizeof *base);
    double *before = xcalloc(cap, sizeof *before);
    double *after = xcalloc(cap, sizeof *after);
    for (size_t i = 0; i < n; i++) {
        const perf_round *r = &rounds[i];
        ratio[i] = perf_round_ratio(r);
        mine[i] = r->student.timed_s;
        base[i] = r->baseline.timed_s;
        before[i] = r->student.setup_cpu_s -
                    larger(r->null.setup_cpu_s, r->baseline.setup_cpu_s);
        after[i] = r->student.tail_cpu_s -
                   larger(r->null.tail_cpu_s, r->baseline.tail_cpu_s);
    }
    out->ratio = perf_median(ratio, n);
    out->student_s = perf_median(mine, n);
    out->baseline_s = perf_median(base, n);
    out->excess_before_s = perf_median(before, n);
    out->excess_after_s = perf_median(after, n);
    free(ratio);
    free(mine);
    free(base);
    free(before);
    free(after);
}

double perf_metric(const perf_case_figures *cases, size_t n)
{
    double *v = xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = cases[i].ratio;
    const double m = perf_median(v, n);
    free(v);
    return m;
}

perf_flag perf_judge_flag(const perf_case_figures *cases, size_t n,
                          double metric, double max_plausible, int setup_free,
                          size_t *which)
{
    for (size_t i = 0; i < n; i++) {
        const double slack =
            larger(PERF_SLACK_S, PERF_SLACK_FRACTION * cases[i].student_s);
        *which = i;
        if (!setup_free && cases[i].excess_before_s > slack)
            return PERF_WORK_BEFORE;
        if (cases[i].excess_after_s > slack)
            return PERF_WORK_AFTER;
    }
    *which = 0;
    return metric > max_plausible ? PERF_IMPLAUSIBLE : PERF_OK;
}

/* Tests for 27_softmax. Students: read them, do not edit them.
 *
 * Expected values: by hand, from golden_softmax.h (NumPy in float64, see
 * exercises/common/golden/attention.py) and, for the rows the grader draws
 * (ll_rand_*: other rows when it grades), from a direct computation in
 * double below (max, then exp and sum, then divide).
 *
 * Tolerance, derived per element (u = 2^-24, the float32 rounding unit).
 * Let m be the row's max and t_j = exp(x_j - m) <= 1, S = sum_j t_j >= 1.
 *   - x_j - m rounds once: an absolute error u |x_j - m|, i.e. a relative
 *     error u |x_j - m| in t_j; expf adds at most 2u.
 *   - online softmax rescales the partial sum by exp(old max - new max)
 *     whenever the max grows: the exponents of the rescalings applied to a
 *     term add up to (m - its max at the time), so each term t_j ends with
 *     a relative error of at most (|x_j - m| + 3n + 2) u over all its
 *     subtractions, exps, multiplications and additions (two-pass
 *     softmax: less). Weighted by t_j, and since z e^-z <= 1/e, the sum S
 *     is off by at most (n/e + 3n + 2) u S <= (3.5 n + 2) u S.
 *   - the division (or a reciprocal and a multiply) adds 2u; the
 *     expected value, rounded once from double, u.
 * So y_i = t_i / S may be off by (|x_i - m| + 3.5 n + 7) u y_i, plus 1e-37
 * for results below float32's normal range; the state's sum by
 * (3.5 n + 6) u S (merge: less), its max not at all (comparisons are
 * exact). For a row of 100 that is about 2e-5 relative; the reference
 * solution's error is ~1e-7. Every bug below is off by far more: a max
 * missed or started at 0 (overflow to inf, or a sum of denormals that has
 * lost its precision), a sum not re-based, a masked entry turned into NaN.
 */
#include "golden_softmax.h"
#include "llmlings.h"
#include "softmax.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U 0x1p-24 /* the float32 unit roundoff */

/* ---- oracles (double precision, written the plain way) ------------------ */

/* The exact state of x[0..n): the max of the unmasked entries and the sum of
 * exp(x_j - max) in double. */
static softmax_state exact_state(const float *x, int n)
{
    float m = -INFINITY;
    for (int i = 0; i < n; i++)
        if (x[i] > m)
            m = x[i];
    double s = 0.0;
    for (int i = 0; i < n && m != -INFINITY; i++)
        s += exp((double)x[i] - (double)m);
    return (softmax_state){m, (float)s};
}

/* The bound on the state's sum after n logits (see the header comment). */
static double sum_tol(softmax_state want, int n)
{
    return (3.5 * n + 6.0) * U * (double)want.sum;
}

/* The softmax of x[0..n) in double, rounded once, and each element's bound
 * (see the header comment). A fully masked row gives zeros, exactly. */
static void softmax_oracle(const float *x, int n, float *want, float *tol)
{
    const softmax_state st = exact_state(x, n);
    double s = 0.0;
    for (int j = 0; j < n && st.max != -INFINITY; j++)
        s += exp((double)x[j] - (double)st.max);
    for (int i = 0; i < n; i++) {
        if (st.max == -INFINITY || x[i] == -INFINITY) {
            want[i] = 0.0f;
            tol[i] = 0.0f;
            continue;
        }
        const double d = (double)x[i] - (double)st.max;
        const double y = exp(d) / s;
        want[i] = (float)y;
        tol[i] = (float)((fabs(d) + 3.5 * n + 7.0) * U * y + 1e-37);
    }
}

/* ---- seeded rows -------------------------------------------------------- */

static float *alloc_floats(int n)
{
    return ll_alloc(sizeof(float) * (size_t)n);
}

/* n seeded logits uniform in [lo, hi). */
static float *random_row(int n, float lo, float hi)
{
    float *x = alloc_floats(n);
    ll_rand_floats(x, (size_t)n, lo, hi);
    return x;
}

/* Formats up to the first 6 entries of x after `fname(`, for messages. */
static void describe(char *what, size_t cap, const char *fname, const float *x,
                     int n, const char *note)
{
    char row[160];
    ll_format_floats(row, sizeof row, x, (size_t)(n < 6 ? n : 6));
    snprintf(what, cap, "%s(%s%s, n = %d)%s%s", fname, row, n > 6 ? "..." : "",
             n, note[0] ? ": " : "", note);
}

/* Runs fn on a copy of x[0..n) and compares it with the double oracle. */
static void check_row(void (*fn)(float *, int), const char *fname,
                      const float *x, int n, const char *note)
{
    float *got = alloc_floats(n), *want = alloc_floats(n),
          *tol = alloc_floats(n);
    memcpy(got, x, sizeof(float) * (size_t)n);
    fn(got, n);
    LL_ORACLE
    {
        softmax_oracle(x, n, want, tol);
    }
    char what[320];
    describe(what, sizeof what, fname, x, n, note);
    LL_CHECK_FLOATS_WITHIN(got, want, tol, (size_t)n, what);
    free(tol);
    free(want);
    free(got);
}

/* Runs fn on every golden row, compared with NumPy's result. */
static void check_golden_rows(void (*fn)(float *, int), const char *fname)
{
    for (int i = 0; i < GOLDEN_SOFTMAX_COUNT; i++) {
        const golden_softmax_t *c = &golden_softmaxs[i];
        float *got = alloc_floats(c->n), *tol = alloc_floats(c->n);
        memcpy(got, c->x, sizeof(float) * (size_t)c->n);
        fn(got, c->n);
        LL_ORACLE
        {
            float *ignored = alloc_floats(c->n);
            softmax_oracle(c->x, c->n, ignored, tol);
            free(ignored);
        }
        char what[320];
        describe(what, sizeof what, fname, c->x, c->n,
                 "golden row (expected: NumPy)");
        LL_CHECK_FLOATS_WITHIN(got, c->y, tol, (size_t)c->n, what);
        free(tol);
        free(got);
    }
}

/* A seeded row with its largest entry `peak` above the others at index at,
 * the others in [-5, 5). */
static float *row_with_peak(int n, int at, float peak)
{
    float *x = random_row(n, -5.0f, 5.0f);
    x[at] = peak;
    return x;
}

/* The rows every softmax variant must get right: random lengths, a value
 * range the grader picks, ties, a far peak first, in the middle and last,
 * rows far below and far above 0, and masked entries. */
static void check_seeded_rows(void (*fn)(float *, int), const char *fname)
{
    char note[96];
    for (int r = 0; r < 4; r++) {
        const int n = r == 0 ? 1 : (int)ll_rand_int(2, 100);
        const float range = ll_rand_float(1.0f, 30.0f);
        float *x = random_row(n, -range, range);
        snprintf(note, sizeof note, "random row in [-%.3g, %.3g)",
                 (double)range, (double)range);
        check_row(fn, fname, x, n, note);
        free(x);
    }

    /* ties: the max appears twice */
    const int nt = (int)ll_rand_int(3, 40);
    float *tie = random_row(nt, -4.0f, 4.0f);
    tie[ll_rand_int(0, nt - 1)] = 6.0f;
    tie[ll_rand_int(0, nt - 1)] = 6.0f;
    check_row(fn, fname, tie, nt, "the max 6 appears (up to) twice");
    free(tie);

    /* a peak far above the rest: first, somewhere, last */
    const int np = (int)ll_rand_int(3, 50);
    const int where[3] = {0, (int)ll_rand_int(1, np - 2), np - 1};
    for (int w = 0; w < 3; w++) {
        const float peak = ll_rand_float(100.0f, 1e4f);
        float *x = row_with_peak(np, where[w], peak);
        snprintf(note, sizeof note, "x[%d] = %.6g is far above the rest",
                 where[w], (double)peak);
        check_row(fn, fname, x, np, note);
        free(x);
    }

    /* every logit far below 0, then far above 0: exp(x) alone underflows
     * to denormals and 0, or overflows to inf */
    for (int sign = -1; sign <= 1; sign += 2) {
        const int n = (int)ll_rand_int(2, 30);
        const float c = (float)sign * ll_rand_float(95.0f, 2000.0f);
        float *x = random_row(n, c - 3.0f, c + 3.0f);
        snprintf(note, sizeof note, "every logit within 3 of %.6g", (double)c);
        check_row(fn, fname, x, n, note);
        free(x);
    }
}

/* A seeded row of n logits in [-8, 8) with about half of them masked
 * (-INFINITY), always at least one visible. */
static float *masked_row(int n)
{
    float *x = random_row(n, -8.0f, 8.0f);
    for (int i = 0; i < n; i++)
        if (ll_rand_int(0, 1) == 1)
            x[i] = -INFINITY;
    x[ll_rand_int(0, n - 1)] = ll_rand_float(-8.0f, 8.0f);
    return x;
}

/* ---- softmax ------------------------------------------------------------ */

LL_TEST(softmax, hand_values)
{
    float a[3] = {1.0f, 2.0f, 3.0f};
    const float ea[3] = {0.0900305732f, 0.244728471f, 0.665240956f};
    softmax(a, 3);
    LL_CHECK_FLOATS_NEAR(a, ea, 3, 0.0f, 2e-6f, "softmax([1, 2, 3])");

    float b[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    const float eb[4] = {0.25f, 0.25f, 0.25f, 0.25f};
    softmax(b, 4);
    LL_CHECK_FLOATS_NEAR(b, eb, 4, 0.0f, 2e-6f, "softmax([0, 0, 0, 0])");

    float c[1] = {42.0f};
    softmax(c, 1);
    LL_CHECK_FLOAT_NEAR(c[0], 1.0f, 1e-7, "softmax([42]) (length 1)");

    const int n = (int)ll_rand_int(2, 6);
    float *x = random_row(n, -3.0f, 3.0f);
    check_row(softmax, "softmax", x, n, "");
    free(x);
}

LL_TEST(softmax, matches_numpy)
{
    check_golden_rows(softmax, "softmax");
    check_seeded_rows(softmax, "softmax");
}

LL_TEST(softmax, large_logits)
{
    /* exp(1e4) overflows float32 (max ~3.4e38 = e^88.7): subtract the max */
    float a[4] = {1e4f, -1e4f, 0.0f, 1e4f};
    const float ea[4] = {0.5f, 0.0f, 0.0f, 0.5f};
    softmax(a, 4);
    LL_CHECK_FLOATS_NEAR(a, ea, 4, 0.0f, 2e-6f, "softmax([1e4, -1e4, 0, 1e4])");

    /* exp(-1e4) underflows to 0: 0/0 unless the max is subtracted */
    float b[3] = {-1e4f, -1e4f, -1e4f};
    const float eb[3] = {1.0f / 3, 1.0f / 3, 1.0f / 3};
    softmax(b, 3);
    LL_CHECK_FLOATS_NEAR(b, eb, 3, 0.0f, 2e-6f, "softmax([-1e4, -1e4, -1e4])");

    /* the max is last: a loop that stops one early misses it */
    const float peak = ll_rand_float(200.0f, 1e4f);
    float c[3] = {0.0f, 1.0f, peak};
    check_row(softmax, "softmax", c, 3, "the max is the last entry");
    float c2[3] = {peak - ll_rand_float(0.0f, 8.0f),
                   peak - ll_rand_float(0.0f, 8.0f), peak};
    check_row(softmax, "softmax", c2, 3, "three large logits");
    /* far below 0: exp(x) alone is 0 or denormal */
    const float low = -ll_rand_float(95.0f, 1e4f);
    float d[2] = {low, low - ll_rand_float(0.0f, 3.0f)};
    check_row(softmax, "softmax", d, 2, "both far below 0");
}

LL_TEST(softmax, fully_masked_row)
{
    float a[3] = {-INFINITY, -INFINITY, -INFINITY};
    const float ea[3] = {0.0f, 0.0f, 0.0f};
    softmax(a, 3);
    LL_CHECK_FLOATS_NEAR(a, ea, 3, 0.0f, 0.0f,
                         "softmax([-inf, -inf, -inf]) (a fully masked row "
                         "becomes zeros, not NaN)");

    float b[3] = {-INFINITY, 2.0f, -INFINITY};
    const float eb[3] = {0.0f, 1.0f, 0.0f};
    softmax(b, 3);
    LL_CHECK_FLOATS_NEAR(b, eb, 3, 0.0f, 0.0f, "softmax([-inf, 2, -inf])");

    const int n = (int)ll_rand_int(2, 40);
    float *x = masked_row(n);
    check_row(softmax, "softmax", x, n, "-inf entries are masked");
    free(x);
    const int nm = (int)ll_rand_int(1, 16);
    float *all = alloc_floats(nm);
    for (int i = 0; i < nm; i++)
        all[i] = -INFINITY;
    check_row(softmax, "softmax", all, nm, "every entry masked");
    free(all);
}

/* ---- the online state --------------------------------------------------- */

/* Checks a state: its max exactly, its sum within the bound for n logits. */
static void check_state(softmax_state got, softmax_state want, int n,
                        const char *what)
{
    char w[400];
    snprintf(w, sizeof w, "%s: .max", what);
    LL_CHECK_FLOAT_NEAR(got.max, want.max, 0.0, w);
    snprintf(w, sizeof w, "%s: .sum (the sum of exp(x - max))", what);
    LL_CHECK_FLOAT_NEAR(got.sum, want.sum, sum_tol(want, n), w);
}

/* softmax_state_add of x[0..n), in order, from the empty state. */
static softmax_state add_all(const float *x, int n)
{
    softmax_state s = softmax_state_empty();
    for (int j = 0; j < n; j++)
        s = softmax_state_add(s, x[j]);
    return s;
}

static int ascending(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

LL_TEST(online, state_of_a_row)
{
    check_state(softmax_state_empty(), (softmax_state){-INFINITY, 0.0f}, 0,
                "softmax_state_empty()");

    /* the golden rows' states, compared as two whole arrays */
    enum { G = GOLDEN_SOFTMAX_COUNT };
    float max[G], sum[G], want_max[G], want_sum[G], sum_bound[G];
    for (int i = 0; i < G; i++) {
        const softmax_state s =
            add_all(golden_softmaxs[i].x, golden_softmaxs[i].n);
        max[i] = s.max;
        sum[i] = s.sum;
    }
    LL_ORACLE
    {
        for (int i = 0; i < G; i++) {
            const golden_softmax_t *c = &golden_softmaxs[i];
            want_max[i] = c->max;
            want_sum[i] = c->sum;
            sum_bound[i] =
                (float)sum_tol((softmax_state){c->max, c->sum}, c->n);
        }
    }
    LL_CHECK_FLOATS_NEAR(max, want_max, G, 0.0f, 0.0f,
                         "state after softmax_state_add of golden row [i] "
                         "(lengths 1 to 100): .max");
    LL_CHECK_FLOATS_WITHIN(sum, want_sum, sum_bound, G,
                           "state after softmax_state_add of golden row [i] "
                           "(lengths 1 to 100): .sum");

    /* seeded rows: random order, ascending (a new max at every step, so
     * every add re-bases the sum), descending */
    softmax_state want = {0.0f, 0.0f};
    const int n = (int)ll_rand_int(2, 100);
    float *x = random_row(n, -20.0f, 20.0f);
    const char *order[3] = {"in random order", "ascending (each is a new max)",
                            "descending"};
    for (int o = 0; o < 3; o++) {
        if (o == 1)
            qsort(x, (size_t)n, sizeof *x, ascending);
        if (o == 2)
            for (int i = 0; i < n / 2; i++) {
                const float t = x[i];
                x[i] = x[n - 1 - i];
                x[n - 1 - i] = t;
            }
        const softmax_state got = add_all(x, n);
        LL_ORACLE
        {
            want = exact_state(x, n);
        }
        char what[320];
        describe(what, sizeof what, "state after adding", x, n, order[o]);
        check_state(got, want, n, what);
    }
    free(x);
}

LL_TEST(online, masked_logits)
{
    softmax_state s = softmax_state_add(softmax_state_empty(), -INFINITY);
    check_state(s, (softmax_state){-INFINITY, 0.0f}, 0, "empty state + (-inf)");
    s = softmax_state_add(s, 1.0f);
    check_state(s, (softmax_state){1.0f, 1.0f}, 1, "empty + (-inf) + 1");
    s = softmax_state_add(s, -INFINITY);
    check_state(s, (softmax_state){1.0f, 1.0f}, 1,
                "empty + (-inf) + 1 + (-inf)");
    s = softmax_state_add(s, 3.0f); /* new max: the old sum is rescaled */
    check_state(s, (softmax_state){3.0f, 1.13533528f}, 2, /* 1 + e^-2 */
                "empty + (-inf) + 1 + (-inf) + 3");
    s = softmax_state_add(s, 3.0f);
    check_state(s, (softmax_state){3.0f, 2.13533528f}, 3, "... + 3 + 3");

    /* a seeded row with masked entries anywhere, the first one included */
    const int n = (int)ll_rand_int(3, 40);
    float *x = masked_row(n);
    x[0] = -INFINITY;
    softmax_state want = {0.0f, 0.0f};
    LL_ORACLE
    {
        want = exact_state(x, n);
    }
    char what[320];
    describe(what, sizeof what, "state after adding", x, n,
             "-inf entries add nothing");
    check_state(add_all(x, n), want, n, what);
    free(x);
}

/* The merged states of x[0..k) and x[k..n), for every split k (and both
 * orders), against the state of the whole row, as whole arrays. */
static void check_every_split(const float *x, int n, const char *row)
{
    const int splits = 2 * (n + 1);
    float *max = alloc_floats(splits), *sum = alloc_floats(splits);
    for (int k = 0; k <= n; k++) {
        const softmax_state a = exact_state(x, k),
                            b = exact_state(x + k, n - k);
        const softmax_state ab = softmax_state_merge(a, b),
                            ba = softmax_state_merge(b, a);
        max[2 * k] = ab.max;
        sum[2 * k] = ab.sum;
        max[2 * k + 1] = ba.max;
        sum[2 * k + 1] = ba.sum;
    }
    float *want_max = alloc_floats(splits), *want_sum = alloc_floats(splits),
          *bound = alloc_floats(splits);
    LL_ORACLE
    {
        const softmax_state whole = exact_state(x, n);
        for (int i = 0; i < splits; i++) {
            want_max[i] = whole.max;
            want_sum[i] = whole.sum;
            bound[i] = (float)sum_tol(whole, n);
        }
    }
    char what[400];
    snprintf(what, sizeof what,
             "%s, n = %d: element [2k] is merge(state of x[0..k), state of "
             "x[k..n)), element [2k+1] the other order; .max",
             row, n);
    LL_CHECK_FLOATS_NEAR(max, want_max, (size_t)splits, 0.0f, 0.0f, what);
    snprintf(what, sizeof what,
             "%s, n = %d: element [2k] is merge(state of x[0..k), state of "
             "x[k..n)), element [2k+1] the other order; .sum",
             row, n);
    LL_CHECK_FLOATS_WITHIN(sum, want_sum, bound, (size_t)splits, what);
    free(bound);
    free(want_sum);
    free(want_max);
    free(sum);
    free(max);
}

LL_TEST(online, merge)
{
    const softmax_state e = softmax_state_empty();
    check_state(softmax_state_merge(e, e), (softmax_state){-INFINITY, 0.0f}, 0,
                "merge(empty, empty)");
    for (int i = 0; i < GOLDEN_SOFTMAX_COUNT; i++)
        check_every_split(golden_softmaxs[i].x, golden_softmaxs[i].n,
                          "golden row");
    const int n = (int)ll_rand_int(2, 60);
    float *x = random_row(n, -30.0f, 30.0f);
    check_every_split(x, n, "seeded row in [-30, 30)");
    free(x);
}

LL_TEST(online, softmax_online)
{
    float a[4] = {1e4f, -1e4f, 0.0f, 1e4f};
    const float ea[4] = {0.5f, 0.0f, 0.0f, 0.5f};
    softmax_online(a, 4);
    LL_CHECK_FLOATS_NEAR(a, ea, 4, 0.0f, 2e-6f,
                         "softmax_online([1e4, -1e4, 0, 1e4])");

    float b[2] = {-INFINITY, -INFINITY};
    const float eb[2] = {0.0f, 0.0f};
    softmax_online(b, 2);
    LL_CHECK_FLOATS_NEAR(b, eb, 2, 0.0f, 0.0f, "softmax_online([-inf, -inf])");

    check_golden_rows(softmax_online, "softmax_online");
    check_seeded_rows(softmax_online, "softmax_online");
    const int n = (int)ll_rand_int(2, 40);
    float *x = masked_row(n);
    check_row(softmax_online, "softmax_online", x, n,
              "-inf entries are masked");
    free(x);
}

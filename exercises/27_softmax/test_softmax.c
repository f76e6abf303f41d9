/* Tests for 27_softmax. Students: read them, do not edit them.
 *
 * Expected values: by hand, or from golden_softmax.h (NumPy in float64, see
 * exercises/common/golden/attention.py).
 *
 * Tolerance: |got - want| <= 1e-6 + 1e-5 * |want|. A float32 softmax of n
 * entries rounds each x[i] - max (relative error 2^-24 of a difference up
 * to 60 here, so up to ~4e-6 relative in exp), each expf (~1 ulp) and the
 * running sum (at most n * 2^-24 ~ 6e-6 relative for n = 100, far less in
 * practice). Measured with the reference solution: 2e-6 relative at
 * most (tiny outputs, where x[i] - max is large), 5e-7 for the sum.
 */
#include "golden_softmax.h"
#include "llmlings.h"
#include "softmax.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ATOL 1e-6f
#define RTOL 1e-5f

enum { MAXN = 128 };

/* Runs fn on a copy of the golden row `c` and checks it against c->y. */
static void check_golden(void (*fn)(float *, int), const char *fname,
                         const golden_softmax_t *c)
{
    float x[MAXN];
    char what[96];
    memcpy(x, c->x, sizeof(float) * (size_t)c->n);
    fn(x, c->n);
    snprintf(what, sizeof what, "%s of a random row of length %d (max %g)",
             fname, c->n, (double)c->max);
    LL_CHECK_FLOATS_NEAR(x, c->y, (size_t)c->n, ATOL, RTOL, what);
}

static void check_state(softmax_state got, float want_max, float want_sum,
                        const char *what)
{
    LL_CHECK(got.max == want_max, "%s: expected max %.9g, got %.9g", what,
             (double)want_max, (double)got.max);
    LL_CHECK(fabsf(got.sum - want_sum) <= ATOL + RTOL * fabsf(want_sum),
             "%s: expected sum %.9g, got %.9g (max %.9g)", what,
             (double)want_sum, (double)got.sum, (double)got.max);
}

/* The state of x[lo..hi) computed directly (max, then a sum in double):
 * a different algorithm from the online update being tested. */
static softmax_state direct_state(const float *x, int lo, int hi)
{
    float m = -INFINITY;
    for (int i = lo; i < hi; i++)
        m = x[i] > m ? x[i] : m;
    double s = 0.0;
    for (int i = lo; i < hi && m != -INFINITY; i++)
        s += exp((double)x[i] - (double)m);
    return (softmax_state){m, (float)s};
}

LL_TEST(softmax, hand_values)
{
    float a[3] = {1.0f, 2.0f, 3.0f};
    const float ea[3] = {0.0900305732f, 0.244728471f, 0.665240956f};
    softmax(a, 3);
    LL_CHECK_FLOATS_NEAR(a, ea, 3, ATOL, RTOL, "softmax([1, 2, 3])");

    float b[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    const float eb[4] = {0.25f, 0.25f, 0.25f, 0.25f};
    softmax(b, 4);
    LL_CHECK_FLOATS_NEAR(b, eb, 4, ATOL, RTOL, "softmax([0, 0, 0, 0])");

    float c[1] = {42.0f};
    softmax(c, 1);
    LL_CHECK_FLOAT_NEAR(c[0], 1.0f, ATOL, "softmax([42]) (length 1)");
}

LL_TEST(softmax, matches_numpy)
{
    for (int i = 0; i < GOLDEN_SOFTMAX_COUNT; i++)
        check_golden(softmax, "softmax", &golden_softmaxs[i]);
}

LL_TEST(softmax, large_logits)
{
    /* exp(1e4) overflows float32 (max ~3.4e38 = e^88.7): subtract the max */
    float a[4] = {1e4f, -1e4f, 0.0f, 1e4f};
    const float ea[4] = {0.5f, 0.0f, 0.0f, 0.5f};
    softmax(a, 4);
    LL_CHECK_FLOATS_NEAR(a, ea, 4, ATOL, RTOL, "softmax([1e4, -1e4, 0, 1e4])");

    /* exp(-1e4) underflows to 0: 0/0 unless the max is subtracted */
    float b[3] = {-1e4f, -1e4f, -1e4f};
    const float eb[3] = {1.0f / 3, 1.0f / 3, 1.0f / 3};
    softmax(b, 3);
    LL_CHECK_FLOATS_NEAR(b, eb, 3, ATOL, RTOL, "softmax([-1e4, -1e4, -1e4])");
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
    LL_CHECK_FLOATS_NEAR(b, eb, 3, ATOL, RTOL, "softmax([-inf, 2, -inf])");
}

LL_TEST(online, state_of_a_row)
{
    softmax_state e = softmax_state_empty();
    check_state(e, -INFINITY, 0.0f, "softmax_state_empty()");
    for (int i = 0; i < GOLDEN_SOFTMAX_COUNT; i++) {
        const golden_softmax_t *c = &golden_softmaxs[i];
        softmax_state s = softmax_state_empty();
        for (int j = 0; j < c->n; j++)
            s = softmax_state_add(s, c->x[j]);
        char what[96];
        snprintf(what, sizeof what,
                 "state after adding a random row of length %d", c->n);
        check_state(s, c->max, c->sum, what);
    }
}

LL_TEST(online, masked_logits)
{
    softmax_state s = softmax_state_add(softmax_state_empty(), -INFINITY);
    check_state(s, -INFINITY, 0.0f, "empty state + (-inf)");
    s = softmax_state_add(s, 1.0f);
    check_state(s, 1.0f, 1.0f, "empty + (-inf) + 1");
    s = softmax_state_add(s, -INFINITY);
    check_state(s, 1.0f, 1.0f, "empty + (-inf) + 1 + (-inf)");
    s = softmax_state_add(s, 3.0f); /* new max: the old sum is rescaled */
    check_state(s, 3.0f, 1.0f + expf(-2.0f), "empty + (-inf) + 1 + (-inf) + 3");
    s = softmax_state_add(s, 3.0f);
    check_state(s, 3.0f, 2.0f + expf(-2.0f), "... + 3 + 3");
}

LL_TEST(online, merge)
{
    const softmax_state e = softmax_state_empty();
    check_state(softmax_state_merge(e, e), -INFINITY, 0.0f,
                "merge(empty, empty)");
    for (int i = 0; i < GOLDEN_SOFTMAX_COUNT; i++) {
        const golden_softmax_t *c = &golden_softmaxs[i];
        for (int k = 0; k <= c->n; k++) { /* every split, empty parts too */
            const softmax_state a = direct_state(c->x, 0, k);
            const softmax_state b = direct_state(c->x, k, c->n);
            char what[128];
            snprintf(what, sizeof what,
                     "merge(state of x[0..%d), state of x[%d..%d))", k, k,
                     c->n);
            check_state(softmax_state_merge(a, b), c->max, c->sum, what);
            snprintf(what, sizeof what,
                     "merge(state of x[%d..%d), state of x[0..%d))", k, c->n,
                     k);
            check_state(softmax_state_merge(b, a), c->max, c->sum, what);
        }
    }
}

LL_TEST(online, softmax_online)
{
    for (int i = 0; i < GOLDEN_SOFTMAX_COUNT; i++)
        check_golden(softmax_online, "softmax_online", &golden_softmaxs[i]);

    float a[4] = {1e4f, -1e4f, 0.0f, 1e4f};
    const float ea[4] = {0.5f, 0.0f, 0.0f, 0.5f};
    softmax_online(a, 4);
    LL_CHECK_FLOATS_NEAR(a, ea, 4, ATOL, RTOL,
                         "softmax_online([1e4, -1e4, 0, 1e4])");

    float b[2] = {-INFINITY, -INFINITY};
    const float eb[2] = {0.0f, 0.0f};
    softmax_online(b, 2);
    LL_CHECK_FLOATS_NEAR(b, eb, 2, 0.0f, 0.0f, "softmax_online([-inf, -inf])");
}

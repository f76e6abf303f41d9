/* Tests for 28_norms. Students: read them, do not edit them.
 *
 * Expected values: by hand, from golden_norms.h (NumPy in float64, see
 * exercises/common/golden/attention.py) and, for the vectors the grader
 * draws (ll_rand_*: other ones each time it grades), from the formulas
 * evaluated in double below.
 *
 * Tolerances, derived per element (u = 2^-24, the float32 rounding unit;
 * float32 code in any summation order stays inside them):
 *
 *   RMSNorm: the sum of squares of n terms is off by at most (n + 1) u
 *   relative (all terms are positive), the mean, + eps and sqrtf add 3u
 *   and sqrt halves the error so far; 1/rms, x * inv, * weight and the
 *   once-rounded expected value add 4u more:
 *       |got - want| <= ((n + 3) / 2 + 6) u |want|           (~3e-6 at n 100)
 *   eps inside or outside the root, or a mean over n - 1, is off by much
 *   more in the tests where eps is as large as the mean square.
 *
 *   LayerNorm: the mean of n terms is off by at most
 *   delta = (n + 1) u mean(|x|) absolute, and every centred value x_i - mu
 *   carries that error (times weight * inv_std in the output). The
 *   variance of the centred values is off by (n + 3) u relative plus
 *   delta^2 (the shift adds n delta^2 to the sum of squares: first-order
 *   terms cancel because the centred values sum to 0); the root halves
 *   that, and 1/std, the products and the bias add their own roundings:
 *       |got - want| <= |w_i| inv (delta + u |c_i|)
 *                     + |w_i c_i| inv (((n + 3) / 2 + 5) u + delta^2 / (2 var))
 *                     + 2 u |want|
 *   with c_i = x_i - mu, var = variance + eps, inv = 1 / sqrt(var). Where
 *   the mean is large next to the spread (x ~ 1000 +- 1) delta dominates:
 *   ~7e-3 absolute there, while the one-pass E[x^2] - E[x]^2 is off by the
 *   whole variance (the float32 sum of x^2 ~ 1e6 has errors of ~1 per
 *   term). The reference solution's errors are ~100 times below every
 *   bound.
 */
#include "golden_norms.h"
#include "llmlings.h"
#include "norms.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U 0x1p-24 /* the float32 unit roundoff */

/* ---- oracles (double precision) ----------------------------------------- */

static void rmsnorm_oracle(const float *x, const float *w, int n, float eps,
                           float *want, float *tol)
{
    double ss = 0.0;
    for (int i = 0; i < n; i++)
        ss += (double)x[i] * x[i];
    const double inv = 1.0 / sqrt(ss / n + (double)eps);
    for (int i = 0; i < n; i++) {
        const double y = (double)w[i] * x[i] * inv;
        want[i] = (float)y;
        tol[i] = (float)(((n + 3) / 2.0 + 6.0) * U * fabs(y) + 1e-37);
    }
}

static void layernorm_oracle(const float *x, const float *w, const float *b,
                             int n, float eps, float *want, float *tol)
{
    double sum = 0.0, abs_sum = 0.0;
    for (int i = 0; i < n; i++) {
        sum += x[i];
        abs_sum += fabs((double)x[i]);
    }
    const double mu = sum / n;
    double ss = 0.0;
    for (int i = 0; i < n; i++)
        ss += ((double)x[i] - mu) * ((double)x[i] - mu);
    const double var = ss / n + (double)eps, inv = 1.0 / sqrt(var);
    const double delta = (n + 1) * U * abs_sum / n; /* error of the mean */
    for (int i = 0; i < n; i++) {
        const double c = (double)x[i] - mu;
        const double y = (double)w[i] * c * inv + (double)b[i];
        want[i] = (float)y;
        tol[i] = (float)(fabs((double)w[i]) * inv * (delta + U * fabs(c)) +
                         fabs((double)w[i] * c) * inv *
                             (((n + 3) / 2.0 + 5.0) * U +
                              delta * delta / (2.0 * var)) +
                         2.0 * U * fabs(y) + 1e-37);
    }
}

/* ---- seeded data -------------------------------------------------------- */

static float *alloc_floats(int n)
{
    return ll_alloc(sizeof(float) * (size_t)n);
}

static float *random_floats(int n, float lo, float hi)
{
    float *x = alloc_floats(n);
    ll_rand_floats(x, (size_t)n, lo, hi);
    return x;
}

/* One normalization problem: x, weight, bias (LayerNorm only), n, eps. */
typedef struct {
    int n;
    float eps;
    float *x, *w, *b;
    const char *kind; /* for messages */
} norm_case;

/* x uniform in [center - spread, center + spread), weights in [-1.5, 1.5),
 * biases in [-1, 1). */
static norm_case random_case(int n, float center, float spread, float eps,
                             const char *kind)
{
    norm_case c = {n, eps, NULL, NULL, NULL, kind};
    c.x = random_floats(n, center - spread, center + spread);
    c.w = random_floats(n, -1.5f, 1.5f);
    c.b = random_floats(n, -1.0f, 1.0f);
    return c;
}

static void free_case(norm_case *c)
{
    free(c->x);
    free(c->w);
    free(c->b);
}

/* Runs rmsnorm (in place when in_place) and compares it with the oracle,
 * or with NumPy's `golden` values when given (the bound is the same). */
static void check_rmsnorm(const norm_case *c, int in_place, const float *golden)
{
    float *out = alloc_floats(c->n);
    if (in_place) {
        memcpy(out, c->x, sizeof(float) * (size_t)c->n);
        rmsnorm(out, out, c->w, c->n, c->eps);
    } else {
        rmsnorm(out, c->x, c->w, c->n, c->eps);
    }
    float *want = alloc_floats(c->n), *tol = alloc_floats(c->n);
    LL_ORACLE
    {
        rmsnorm_oracle(c->x, c->w, c->n, c->eps, want, tol);
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)c->n);
    }
    char row[120], what[320];
    ll_format_floats(row, sizeof row, c->x, (size_t)(c->n < 4 ? c->n : 4));
    snprintf(what, sizeof what,
             "rmsnorm(%s, x = %s%s, n = %d, eps = %g) of %s%s",
             in_place ? "x" : "out", row, c->n > 4 ? "..." : "", c->n,
             (double)c->eps, c->kind, golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)c->n, what);
    free(tol);
    free(want);
    free(out);
}

static void check_layernorm(const norm_case *c, int in_place,
                            const float *golden)
{
    float *out = alloc_floats(c->n);
    if (in_place) {
        memcpy(out, c->x, sizeof(float) * (size_t)c->n);
        layernorm(out, out, c->w, c->b, c->n, c->eps);
    } else {
        layernorm(out, c->x, c->w, c->b, c->n, c->eps);
    }
    float *want = alloc_floats(c->n), *tol = alloc_floats(c->n);
    LL_ORACLE
    {
        layernorm_oracle(c->x, c->w, c->b, c->n, c->eps, want, tol);
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)c->n);
    }
    char row[120], what[320];
    ll_format_floats(row, sizeof row, c->x, (size_t)(c->n < 4 ? c->n : 4));
    snprintf(what, sizeof what,
             "layernorm(%s, x = %s%s, n = %d, eps = %g) of %s%s",
             in_place ? "x" : "out", row, c->n > 4 ? "..." : "", c->n,
             (double)c->eps, c->kind, golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)c->n, what);
    free(tol);
    free(want);
    free(out);
}

static norm_case golden_rms_case(int i)
{
    const golden_rmsnorm_t *g = &golden_rmsnorms[i];
    return (norm_case){g->n,          g->eps, (float *)g->x,
                       (float *)g->w, NULL,   "a golden vector"};
}

static norm_case golden_ln_case(int i)
{
    const golden_layernorm_t *g = &golden_layernorms[i];
    return (norm_case){g->n,          g->eps,        (float *)g->x,
                       (float *)g->w, (float *)g->b, "a golden vector"};
}

enum { OFFSET_CASE = 3 }; /* golden_layernorms[3]: x = 1000 + uniform(-1, 1) */

/* Seeded vectors of the usual kind: lengths 1 to 200, a scale the grader
 * picks, eps 1e-5 or 1e-6. */
static void seeded_cases(void (*check)(const norm_case *, int, const float *),
                         int in_place)
{
    for (int r = 0; r < 3; r++) {
        const int n = r == 0 ? 1 : (int)ll_rand_int(2, 200);
        const float spread = ll_rand_float(0.5f, 4.0f);
        const float center = ll_rand_float(-0.5f, 0.5f);
        norm_case c = random_case(n, center, spread, r == 2 ? 1e-6f : 1e-5f,
                                  "a seeded vector");
        check(&c, in_place, NULL);
        free_case(&c);
    }
}

/* ---- RMSNorm ------------------------------------------------------------ */

LL_TEST(rmsnorm, hand_values)
{
    const float x[2] = {3.0f, 4.0f}, ones[2] = {1.0f, 1.0f};
    const float w[2] = {2.0f, 0.5f};
    float out[2];
    /* mean of squares (9 + 16) / 2 = 12.5, rms = 3.5355339 */
    const float e1[2] = {0.848528137f, 1.13137085f};
    rmsnorm(out, x, ones, 2, 0.0f);
    LL_CHECK_FLOATS_NEAR(out, e1, 2, 0.0f, 1e-6f,
                         "rmsnorm([3, 4], weight [1, 1], eps 0)");
    const float e2[2] = {1.69705627f, 0.565685425f};
    rmsnorm(out, x, w, 2, 0.0f);
    LL_CHECK_FLOATS_NEAR(out, e2, 2, 0.0f, 1e-6f,
                         "rmsnorm([3, 4], weight [2, 0.5], eps 0)");

    /* eps keeps the all-zero vector finite: 0 / sqrt(0 + eps) = 0 */
    const float z[3] = {0.0f, 0.0f, 0.0f}, w3[3] = {1.0f, 1.0f, 1.0f};
    float out3[3] = {1.0f, 1.0f, 1.0f};
    rmsnorm(out3, z, w3, 3, 1e-5f);
    LL_CHECK_FLOATS_NEAR(out3, z, 3, 0.0f, 0.0f,
                         "rmsnorm([0, 0, 0], eps 1e-5) (must be 0, not NaN)");

    norm_case c = random_case((int)ll_rand_int(2, 6), 0.0f, 2.0f, 1e-5f,
                              "a small seeded vector");
    check_rmsnorm(&c, 0, NULL);
    free_case(&c);
}

LL_TEST(rmsnorm, matches_numpy)
{
    for (int i = 0; i < GOLDEN_RMSNORM_COUNT; i++) {
        const norm_case c = golden_rms_case(i);
        check_rmsnorm(&c, 0, golden_rmsnorms[i].y);
    }
    seeded_cases(check_rmsnorm, 0);
}

LL_TEST(rmsnorm, eps_inside_the_root)
{
    /* mean(x^2) about as large as eps: eps added outside the square root,
     * or forgotten, is off by a factor, not by a rounding */
    for (int r = 0; r < 2; r++) {
        const float eps = r == 0 ? 1e-5f : 1e-4f;
        const float spread = sqrtf(3.0f * eps) * ll_rand_float(0.3f, 2.0f);
        norm_case c = random_case((int)ll_rand_int(4, 64), 0.0f, spread, eps,
                                  "a seeded vector with mean(x^2) ~ eps");
        check_rmsnorm(&c, 0, NULL);
        free_case(&c);
    }
}

LL_TEST(rmsnorm, in_place)
{
    for (int i = 0; i < GOLDEN_RMSNORM_COUNT; i++) {
        const norm_case c = golden_rms_case(i);
        check_rmsnorm(&c, 1, golden_rmsnorms[i].y);
    }
    seeded_cases(check_rmsnorm, 1);
}

/* ---- LayerNorm ---------------------------------------------------------- */

/* layernorm of fixed inputs against hand-computed values (tolerance: the
 * derived bound). */
static void check_layernorm_hand(const float *x, const float *w, const float *b,
                                 int n, float eps, const float *hand,
                                 const char *what)
{
    float out[8], ignored[8], tol[8];
    layernorm(out, x, w, b, n, eps);
    LL_ORACLE
    {
        layernorm_oracle(x, w, b, n, eps, ignored, tol);
    }
    LL_CHECK_FLOATS_WITHIN(out, hand, tol, (size_t)n, what);
}

LL_TEST(layernorm, hand_values)
{
    const float x[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    const float ones[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    const float zeros[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    const float twos[4] = {2.0f, 2.0f, 2.0f, 2.0f};
    /* mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25 */
    const float e1[4] = {-1.34164079f, -0.447213595f, 0.447213595f,
                         1.34164079f};
    check_layernorm_hand(x, ones, zeros, 4, 0.0f, e1,
                         "layernorm([1, 2, 3, 4], weight 1, bias 0, eps 0)");
    const float e2[4] = {-1.68328157f, 0.105572809f, 1.89442719f, 3.68328157f};
    check_layernorm_hand(x, twos, ones, 4, 0.0f, e2,
                         "layernorm([1, 2, 3, 4], weight 2, bias 1, eps 0)");

    /* a constant vector has variance 0: eps avoids 0/0, the output is bias */
    const float c[3] = {5.0f, 5.0f, 5.0f}, b[3] = {0.1f, 0.2f, 0.3f};
    check_layernorm_hand(c, ones, b, 3, 1e-5f, b,
                         "layernorm([5, 5, 5], weight 1, bias [0.1, 0.2, "
                         "0.3], eps 1e-5) (must equal the bias)");

    norm_case r = random_case((int)ll_rand_int(2, 6), 0.0f, 2.0f, 1e-5f,
                              "a small seeded vector");
    check_layernorm(&r, 0, NULL);
    free_case(&r);
}

LL_TEST(layernorm, matches_numpy)
{
    for (int i = 0; i < GOLDEN_LAYERNORM_COUNT; i++) {
        if (i == OFFSET_CASE)
            continue; /* its own test below */
        const norm_case c = golden_ln_case(i);
        check_layernorm(&c, 0, golden_layernorms[i].y);
    }
    seeded_cases(check_layernorm, 0);
}

LL_TEST(layernorm, large_mean)
{
    /* mean >> spread: compute the variance from x - mean, not as
     * E[x^2] - E[x]^2 */
    const norm_case g = golden_ln_case(OFFSET_CASE);
    check_layernorm(&g, 0, golden_layernorms[OFFSET_CASE].y);
    const float center = ll_rand_float(300.0f, 3000.0f);
    norm_case c = random_case((int)ll_rand_int(16, 100),
                              ll_rand_int(0, 1) ? center : -center, 1.0f, 1e-5f,
                              "a seeded vector of mean >> spread");
    check_layernorm(&c, 0, NULL);
    free_case(&c);
}

LL_TEST(layernorm, eps_inside_the_root)
{
    /* a variance about as large as eps, around a nonzero mean */
    for (int r = 0; r < 2; r++) {
        const float eps = r == 0 ? 1e-5f : 1e-4f;
        const float spread = sqrtf(3.0f * eps) * ll_rand_float(0.3f, 2.0f);
        norm_case c =
            random_case((int)ll_rand_int(4, 64), ll_rand_float(-1.0f, 1.0f),
                        spread, eps, "a seeded vector with a variance ~ eps");
        check_layernorm(&c, 0, NULL);
        free_case(&c);
    }
}

LL_TEST(layernorm, in_place)
{
    for (int i = 0; i < GOLDEN_LAYERNORM_COUNT; i++) {
        const norm_case c = golden_ln_case(i);
        check_layernorm(&c, 1, golden_layernorms[i].y);
    }
    seeded_cases(check_layernorm, 1);
}

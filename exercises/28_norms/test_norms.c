/* Tests for 28_norms. Students: read them, do not edit them.
 *
 * Expected values: by hand, or from golden_norms.h (NumPy in float64, see
 * exercises/common/golden/attention.py).
 *
 * Tolerances (float32 sums of n <= 100 terms, each rounding at most 2^-24
 * relative; the reference solution's measured error is below 4e-6
 * relative):
 *   RMSNorm    |got - want| <= 1e-6 + 1e-5 * |want|
 *   LayerNorm  |got - want| <= 1e-5 + 1e-4 * |want|  (x - mean cancels:
 *              outputs near 0 carry the absolute error of the mean)
 *   LayerNorm of x ~ 1000 +- 1: 1e-3 absolute. The inputs themselves are
 *              only exact to 6e-5 (a float32 ulp at 1000), so the mean and
 *              the centred values carry ~1e-4 of absolute error; the
 *              two-pass algorithm stays within 2e-4. One pass with
 *              E[x^2] - E[x]^2 loses everything there (errors of 100s).
 */
#include "golden_norms.h"
#include "llmlings.h"
#include "norms.h"

#include <stdio.h>
#include <string.h>

enum { MAXN = 128, OFFSET_CASE = 3 };

LL_TEST(rmsnorm, hand_values)
{
    const float x[2] = {3.0f, 4.0f}, ones[2] = {1.0f, 1.0f};
    const float w[2] = {2.0f, 0.5f};
    float out[2];
    /* mean of squares (9 + 16) / 2 = 12.5, rms = 3.5355339 */
    const float e1[2] = {0.848528137f, 1.13137085f};
    rmsnorm(out, x, ones, 2, 0.0f);
    LL_CHECK_FLOATS_NEAR(out, e1, 2, 1e-6f, 1e-5f,
                         "rmsnorm([3, 4], weight [1, 1], eps 0)");
    const float e2[2] = {1.69705627f, 0.565685425f};
    rmsnorm(out, x, w, 2, 0.0f);
    LL_CHECK_FLOATS_NEAR(out, e2, 2, 1e-6f, 1e-5f,
                         "rmsnorm([3, 4], weight [2, 0.5], eps 0)");

    /* eps keeps the all-zero vector finite: 0 / sqrt(0 + eps) = 0 */
    const float z[3] = {0.0f, 0.0f, 0.0f}, w3[3] = {1.0f, 1.0f, 1.0f};
    float out3[3] = {1.0f, 1.0f, 1.0f};
    rmsnorm(out3, z, w3, 3, 1e-5f);
    LL_CHECK_FLOATS_NEAR(out3, z, 3, 0.0f, 0.0f,
                         "rmsnorm([0, 0, 0], eps 1e-5) (must be 0, not NaN)");
}

LL_TEST(rmsnorm, matches_numpy)
{
    for (int i = 0; i < GOLDEN_RMSNORM_COUNT; i++) {
        const golden_rmsnorm_t *c = &golden_rmsnorms[i];
        float out[MAXN];
        char what[96];
        rmsnorm(out, c->x, c->w, c->n, c->eps);
        snprintf(what, sizeof what,
                 "rmsnorm of a random x of length %d, eps %g", c->n,
                 (double)c->eps);
        LL_CHECK_FLOATS_NEAR(out, c->y, (size_t)c->n, 1e-6f, 1e-5f, what);
    }
}

LL_TEST(rmsnorm, in_place)
{
    for (int i = 0; i < GOLDEN_RMSNORM_COUNT; i++) {
        const golden_rmsnorm_t *c = &golden_rmsnorms[i];
        float x[MAXN];
        char what[96];
        memcpy(x, c->x, sizeof(float) * (size_t)c->n);
        rmsnorm(x, x, c->w, c->n, c->eps);
        snprintf(what, sizeof what, "rmsnorm(x, x, ...) in place, length %d",
                 c->n);
        LL_CHECK_FLOATS_NEAR(x, c->y, (size_t)c->n, 1e-6f, 1e-5f, what);
    }
}

LL_TEST(layernorm, hand_values)
{
    const float x[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    const float ones[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    const float zeros[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    const float twos[4] = {2.0f, 2.0f, 2.0f, 2.0f};
    float out[4];
    /* mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25 */
    const float e1[4] = {-1.34164079f, -0.447213595f, 0.447213595f,
                         1.34164079f};
    layernorm(out, x, ones, zeros, 4, 0.0f);
    LL_CHECK_FLOATS_NEAR(out, e1, 4, 1e-5f, 1e-4f,
                         "layernorm([1, 2, 3, 4], weight 1, bias 0, eps 0)");
    const float e2[4] = {-1.68328157f, 0.105572809f, 1.89442719f, 3.68328157f};
    layernorm(out, x, twos, ones, 4, 0.0f);
    LL_CHECK_FLOATS_NEAR(out, e2, 4, 1e-5f, 1e-4f,
                         "layernorm([1, 2, 3, 4], weight 2, bias 1, eps 0)");

    /* a constant vector has variance 0: eps avoids 0/0, the output is bias */
    const float c[3] = {5.0f, 5.0f, 5.0f}, b[3] = {0.1f, 0.2f, 0.3f};
    layernorm(out, c, ones, b, 3, 1e-5f);
    LL_CHECK_FLOATS_NEAR(out, b, 3, 1e-5f, 1e-4f,
                         "layernorm([5, 5, 5], weight 1, bias [0.1, 0.2, "
                         "0.3], eps 1e-5) (must equal the bias)");
}

LL_TEST(layernorm, matches_numpy)
{
    for (int i = 0; i < GOLDEN_LAYERNORM_COUNT; i++) {
        if (i == OFFSET_CASE)
            continue; /* its own test below */
        const golden_layernorm_t *c = &golden_layernorms[i];
        float out[MAXN];
        char what[96];
        layernorm(out, c->x, c->w, c->b, c->n, c->eps);
        snprintf(what, sizeof what,
                 "layernorm of a random x of length %d, eps %g", c->n,
                 (double)c->eps);
        LL_CHECK_FLOATS_NEAR(out, c->y, (size_t)c->n, 1e-5f, 1e-4f, what);
    }
}

LL_TEST(layernorm, large_mean)
{
    const golden_layernorm_t *c = &golden_layernorms[OFFSET_CASE];
    float out[MAXN];
    layernorm(out, c->x, c->w, c->b, c->n, c->eps);
    LL_CHECK_FLOATS_NEAR(out, c->y, (size_t)c->n, 1e-3f, 0.0f,
                         "layernorm of x = 1000 + uniform(-1, 1), length 64 "
                         "(mean >> spread: compute the variance from x - "
                         "mean, not as E[x^2] - E[x]^2)");
}

LL_TEST(layernorm, in_place)
{
    for (int i = 0; i < GOLDEN_LAYERNORM_COUNT; i++) {
        const golden_layernorm_t *c = &golden_layernorms[i];
        float x[MAXN];
        char what[96];
        memcpy(x, c->x, sizeof(float) * (size_t)c->n);
        layernorm(x, x, c->w, c->b, c->n, c->eps);
        snprintf(what, sizeof what, "layernorm(x, x, ...) in place, length %d",
                 c->n);
        LL_CHECK_FLOATS_NEAR(x, c->y, (size_t)c->n,
                             i == OFFSET_CASE ? 1e-3f : 1e-5f,
                             i == OFFSET_CASE ? 0.0f : 1e-4f, what);
    }
}

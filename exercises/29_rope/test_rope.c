/* Tests for 29_rope. Students: read them, do not edit them.
 *
 * Expected values: by hand, or from golden_rope.h (NumPy in float64 using
 * complex multiplication, see exercises/common/golden/attention.py).
 *
 * Tolerance: 1e-4 absolute (inputs are in [-1, 1]). In float32 the angle
 * pos * freq is rounded to 2^-24 relative, i.e. ~6e-5 radians at pos 1000,
 * and cosf/sinf add about one ulp; the reference solution's measured error
 * is 7e-6 at pos 1000 and below 5e-7 for pos <= 37. Any other pairing or
 * frequency convention is off by O(1).
 */
#include "golden_rope.h"
#include "llmlings.h"
#include "rope.h"

#include <stdio.h>
#include <string.h>

#define TOL 1e-4f

enum { MAXN = 256 };

static void check_case(const golden_rope_t *c)
{
    float x[MAXN];
    char what[128];
    const int n = c->n_heads * c->head_dim;
    memcpy(x, c->x, sizeof(float) * (size_t)n);
    rope(x, c->n_heads, c->head_dim, c->pos);
    snprintf(what, sizeof what,
             "rope of random x, n_heads %d, head_dim %d, pos %d", c->n_heads,
             c->head_dim, c->pos);
    LL_CHECK_FLOATS_NEAR(x, c->y, (size_t)n, TOL, 0.0f, what);
}

LL_TEST(rope, hand_values)
{
    float a[4] = {1.0f, 0.0f, 0.0f, 1.0f}; /* two heads of size 2 */
    const float ea[4] = {0.540302306f, 0.841470985f, -0.841470985f,
                         0.540302306f};
    rope(a, 2, 2, 1); /* angle 1 rad for the only pair of each head */
    LL_CHECK_FLOATS_NEAR(a, ea, 4, TOL, 0.0f,
                         "rope([1, 0 | 0, 1], 2 heads, head_dim 2, pos 1)");

    float b[4] = {1.0f, 0.0f, 1.0f, 0.0f}; /* one head of size 4 */
    /* pair 0 turns by 1 rad, pair 1 by 10000^(-2/4) = 0.01 rad */
    const float eb[4] = {0.540302306f, 0.841470985f, 0.999950000f,
                         0.00999983333f};
    rope(b, 1, 4, 1);
    LL_CHECK_FLOATS_NEAR(b, eb, 4, TOL, 0.0f,
                         "rope([1, 0, 1, 0], 1 head, head_dim 4, pos 1)");

    float c[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    const float ec[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    rope(c, 1, 4, 0);
    LL_CHECK_FLOATS_NEAR(c, ec, 4, TOL, 0.0f,
                         "rope([1, 2, 3, 4], pos 0) (angle 0: unchanged)");
}

LL_TEST(rope, matches_numpy)
{
    for (int i = 0; i < GOLDEN_ROPE_COUNT; i++)
        if (golden_ropes[i].pos < 100)
            check_case(&golden_ropes[i]);
}

LL_TEST(rope, far_positions)
{
    for (int i = 0; i < GOLDEN_ROPE_COUNT; i++)
        if (golden_ropes[i].pos >= 100)
            check_case(&golden_ropes[i]);
}

/* The reason RoPE exists: the dot product of a query rotated to position m
 * and a key rotated to position n depends only on m - n. */
LL_TEST(rope, relative_position)
{
    static const int pairs[3][2] = {{10, 7}, {3, 0}, {50, 47}};
    for (int p = 0; p < 3; p++) {
        float q[24], k[24];
        memcpy(q, golden_rope_rel_q, sizeof q);
        memcpy(k, golden_rope_rel_k, sizeof k);
        rope(q, 2, 12, pairs[p][0]);
        rope(k, 2, 12, pairs[p][1]);
        for (int h = 0; h < 2; h++) {
            float dot = 0.0f;
            for (int j = 0; j < 12; j++)
                dot += q[h * 12 + j] * k[h * 12 + j];
            char what[128];
            snprintf(what, sizeof what,
                     "head %d: <rope(q, %d), rope(k, %d)> (any positions "
                     "3 apart give the same value)",
                     h, pairs[p][0], pairs[p][1]);
            LL_CHECK_FLOAT_NEAR(dot, golden_rope_rel_dot[h], 1e-4, what);
        }
    }
}

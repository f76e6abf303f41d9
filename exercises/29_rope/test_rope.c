/* Tests for 29_rope. Students: read them, do not edit them.
 *
 * Expected values: by hand, from golden_rope.h (NumPy in float64 using
 * complex multiplication, see exercises/common/golden/attention.py) and,
 * for the vectors and positions the grader draws (ll_rand_*: others each
 * time it grades), from the rotation evaluated in double below.
 *
 * Tolerance, derived per element (u = 2^-24, the float32 rounding unit).
 * Pair p of a head is turned by a = pos * 10000^(-e), e = 2p / head_dim.
 * In float32, e is rounded (an error of up to e u, which changes
 * 10000^(-e) by ln(10000) e u = 9.3 e u relative), powf, the division and
 * pos * freq add about 4u: the angle is off by at most
 * (9.3 e + 4) u |a| radians (~1e-4 at position 1000). cosf and sinf add
 * 2u, the two products and their sum 2u of |x0 c| + |x1 s|, the expected
 * value's own rounding u |y|. So, with r the length of the input pair,
 *     |got - want| <= r ((9.3 e + 4) u |a| + 2u) + 2u (|x0 c| + |x1 s|)
 *                     + u |y|
 * which is below 2e-6 up to position 37 and 3e-4 at position 1000. The
 * reference solution's error is 7e-6 at position 1000. Any other pairing,
 * frequency or direction is off by O(1).
 */
#include "golden_rope.h"
#include "llmlings.h"
#include "rope.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U 0x1p-24 /* the float32 unit roundoff */

/* ---- the oracle: the rotation in double, and its bound ------------------ */

static void rope_oracle(const float *x, int n_heads, int head_dim, int pos,
                        float *want, float *tol)
{
    for (int h = 0; h < n_heads; h++)
        for (int i = 0; i < head_dim; i += 2) {
            const int at = h * head_dim + i;
            const double e = (double)i / head_dim;
            const double a = pos * pow(10000.0, -e);
            const double c = cos(a), s = sin(a);
            const double x0 = x[at], x1 = x[at + 1];
            const double y0 = x0 * c - x1 * s, y1 = x0 * s + x1 * c;
            const double r = sqrt(x0 * x0 + x1 * x1);
            const double common = r * ((9.3 * e + 4.0) * U * fabs(a) + 2.0 * U);
            want[at] = (float)y0;
            want[at + 1] = (float)y1;
            tol[at] = (float)(common + 2.0 * U * (fabs(x0 * c) + fabs(x1 * s)) +
                              U * fabs(y0) + 1e-37);
            tol[at + 1] =
                (float)(common + 2.0 * U * (fabs(x0 * s) + fabs(x1 * c)) +
                        U * fabs(y1) + 1e-37);
        }
}

static float *alloc_floats(int n)
{
    return ll_alloc(sizeof(float) * (size_t)n);
}

/* Rotates a copy of x[0 .. n_heads * head_dim) and compares it with the
 * oracle, or with NumPy's `golden` values when given (the same bound). */
static void check_rope(const float *x, int n_heads, int head_dim, int pos,
                       const float *golden, const char *kind)
{
    const int n = n_heads * head_dim;
    float *got = alloc_floats(n), *want = alloc_floats(n),
          *tol = alloc_floats(n);
    memcpy(got, x, sizeof(float) * (size_t)n);
    rope(got, n_heads, head_dim, pos);
    LL_ORACLE
    {
        rope_oracle(x, n_heads, head_dim, pos, want, tol);
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)n);
    }
    char row[120], what[320];
    ll_format_floats(row, sizeof row, x, (size_t)(n < 4 ? n : 4));
    snprintf(what, sizeof what,
             "rope(x = %s%s, n_heads = %d, head_dim = %d, pos = %d) of %s: "
             "element [h * head_dim + i]%s",
             row, n > 4 ? "..." : "", n_heads, head_dim, pos, kind,
             golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(got, want, tol, (size_t)n, what);
    free(tol);
    free(want);
    free(got);
}

/* A seeded case: n_heads heads of head_dim values in [-1, 1). */
static void check_seeded(int n_heads, int head_dim, int pos)
{
    const int n = n_heads * head_dim;
    float *x = alloc_floats(n);
    ll_rand_floats(x, (size_t)n, -1.0f, 1.0f);
    check_rope(x, n_heads, head_dim, pos, NULL, "a seeded x");
    free(x);
}

static int random_head_dim(void)
{
    return 2 * (int)ll_rand_int(1, 32); /* even, 2 .. 64 */
}

LL_TEST(rope, hand_values)
{
    float a[4] = {1.0f, 0.0f, 0.0f, 1.0f}; /* two heads of size 2 */
    const float ea[4] = {0.540302306f, 0.841470985f, -0.841470985f,
                         0.540302306f};
    rope(a, 2, 2, 1); /* angle 1 rad for the only pair of each head */
    LL_CHECK_FLOATS_NEAR(a, ea, 4, 1e-6f, 0.0f,
                         "rope([1, 0 | 0, 1], 2 heads, head_dim 2, pos 1)");

    float b[4] = {1.0f, 0.0f, 1.0f, 0.0f}; /* one head of size 4 */
    /* pair 0 turns by 1 rad, pair 1 by 10000^(-2/4) = 0.01 rad */
    const float eb[4] = {0.540302306f, 0.841470985f, 0.999950000f,
                         0.00999983333f};
    rope(b, 1, 4, 1);
    LL_CHECK_FLOATS_NEAR(b, eb, 4, 1e-6f, 0.0f,
                         "rope([1, 0, 1, 0], 1 head, head_dim 4, pos 1)");

    float c[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    const float ec[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    rope(c, 1, 4, 0);
    LL_CHECK_FLOATS_NEAR(c, ec, 4, 0.0f, 0.0f,
                         "rope([1, 2, 3, 4], pos 0) (angle 0: unchanged)");

    check_seeded(1, 2, (int)ll_rand_int(1, 50)); /* a single pair */
    check_seeded(1, 4, (int)ll_rand_int(1, 50));
}

LL_TEST(rope, matches_numpy)
{
    for (int i = 0; i < GOLDEN_ROPE_COUNT; i++) {
        const golden_rope_t *c = &golden_ropes[i];
        if (c->pos < 100)
            check_rope(c->x, c->n_heads, c->head_dim, c->pos, c->y,
                       "a golden x");
    }
    /* many heads, one head, head sizes 2 to 64, position 0 too */
    check_seeded((int)ll_rand_int(2, 8), random_head_dim(),
                 (int)ll_rand_int(1, 99));
    check_seeded(1, random_head_dim(), (int)ll_rand_int(1, 99));
    check_seeded((int)ll_rand_int(8, 32), 2 * (int)ll_rand_int(1, 4),
                 (int)ll_rand_int(1, 99));
    check_seeded((int)ll_rand_int(1, 4), random_head_dim(), 0);
}

LL_TEST(rope, far_positions)
{
    for (int i = 0; i < GOLDEN_ROPE_COUNT; i++) {
        const golden_rope_t *c = &golden_ropes[i];
        if (c->pos >= 100)
            check_rope(c->x, c->n_heads, c->head_dim, c->pos, c->y,
                       "a golden x");
    }
    check_seeded((int)ll_rand_int(1, 4), random_head_dim(),
                 (int)ll_rand_int(100, 4096));
}

/* The dot products, head by head, of q rotated to position m and k rotated
 * to position n (both [n_heads x head_dim]). */
static void rotated_dots(float *dots, const float *q, const float *k,
                         int n_heads, int head_dim, int m, int n)
{
    const int len = n_heads * head_dim;
    float *qr = alloc_floats(len), *kr = alloc_floats(len);
    memcpy(qr, q, sizeof(float) * (size_t)len);
    memcpy(kr, k, sizeof(float) * (size_t)len);
    rope(qr, n_heads, head_dim, m);
    rope(kr, n_heads, head_dim, n);
    for (int h = 0; h < n_heads; h++) {
        double dot = 0.0;
        for (int j = 0; j < head_dim; j++)
            dot += (double)qr[h * head_dim + j] * kr[h * head_dim + j];
        dots[h] = (float)dot;
    }
    free(kr);
    free(qr);
}

/* The same dots in double, with their bounds: the rotation bounds of q and
 * k carried through the dot product. */
static void dots_oracle(float *want, float *tol, const float *q, const float *k,
                        int n_heads, int head_dim, int m, int n)
{
    const int len = n_heads * head_dim;
    float *qr = alloc_floats(len), *kr = alloc_floats(len),
          *qt = alloc_floats(len), *kt = alloc_floats(len);
    rope_oracle(q, n_heads, head_dim, m, qr, qt);
    rope_oracle(k, n_heads, head_dim, n, kr, kt);
    for (int h = 0; h < n_heads; h++) {
        double dot = 0.0, bound = 0.0;
        for (int j = 0; j < head_dim; j++) {
            const int at = h * head_dim + j;
            dot += (double)qr[at] * kr[at];
            bound += fabs((double)qr[at]) * kt[at] +
                     fabs((double)kr[at]) * qt[at] + qt[at] * kt[at] +
                     2.0 * U * fabs((double)qr[at] * kr[at]);
        }
        want[h] = (float)dot;
        tol[h] = (float)(bound + 1e-37);
    }
    free(kt);
    free(qt);
    free(kr);
    free(qr);
}

/* The reason RoPE exists: the dot product of a query rotated to position m
 * and a key rotated to position n depends only on m - n. */
LL_TEST(rope, relative_position)
{
    static const int pairs[3][2] = {{10, 7}, {3, 0}, {50, 47}};
    for (int p = 0; p < 3; p++) {
        float dots[2], tol[2], ignored[2];
        rotated_dots(dots, golden_rope_rel_q, golden_rope_rel_k, 2, 12,
                     pairs[p][0], pairs[p][1]);
        LL_ORACLE
        {
            dots_oracle(ignored, tol, golden_rope_rel_q, golden_rope_rel_k, 2,
                        12, pairs[p][0], pairs[p][1]);
        }
        char what[160];
        snprintf(what, sizeof what,
                 "<rope(q, %d), rope(k, %d)> of head [h] (any positions 3 "
                 "apart give the same value; expected: NumPy)",
                 pairs[p][0], pairs[p][1]);
        LL_CHECK_FLOATS_WITHIN(dots, golden_rope_rel_dot, tol, 2, what);
    }

    /* a seeded q and k, at two pairs of positions the same distance apart */
    enum { HEADS = 3 };
    const int head_dim = random_head_dim();
    const int len = HEADS * head_dim, gap = (int)ll_rand_int(0, 40);
    float *q = alloc_floats(len), *k = alloc_floats(len);
    ll_rand_floats(q, (size_t)len, -1.0f, 1.0f);
    ll_rand_floats(k, (size_t)len, -1.0f, 1.0f);
    for (int r = 0; r < 2; r++) {
        const int n = (int)ll_rand_int(0, 300), m = n + gap;
        float dots[HEADS], want[HEADS], tol[HEADS];
        rotated_dots(dots, q, k, HEADS, head_dim, m, n);
        LL_ORACLE
        {
            /* rotating q by m - n and leaving k alone gives the same dot */
            dots_oracle(want, tol, q, k, HEADS, head_dim, gap, 0);
            float ignored[HEADS], tol_mn[HEADS];
            dots_oracle(ignored, tol_mn, q, k, HEADS, head_dim, m, n);
            for (int h = 0; h < HEADS; h++)
                tol[h] += tol_mn[h];
        }
        char what[200];
        snprintf(what, sizeof what,
                 "<rope(q, %d), rope(k, %d)> of head [h], head_dim %d "
                 "(expected: <rope(q, %d), k>, the same distance)",
                 m, n, head_dim, gap);
        LL_CHECK_FLOATS_WITHIN(dots, want, tol, HEADS, what);
    }
    free(k);
    free(q);
}

/* Tests for 37_ffn_swiglu. Students: read them, do not edit them.
 *
 * Small cases are worked out by hand below; the layer test also compares
 * with the NumPy oracle (golden/llama_golden.h) on weights from
 * tinymodel.h. Everything else is drawn from the grader's seeded generator
 * (ll_rand_*: when it grades, the grader may draw other values than the
 * ones you see) and compared with the same computation in double
 * precision, within bounds derived as follows (u = 2^-24, the unit
 * roundoff of float).
 *
 * matmul: a float dot product of n terms, summed in any order, is within
 * gamma_n * sum_j |w_ij x_j| of the exact one, gamma_n = n u / (1 - n u)
 * (Higham, Accuracy and Stability of Numerical Algorithms, 3.1). Rounding
 * the exact value to float adds u |y_i|, so we allow
 *     |y_i - y_exact| <= (n + 2) u sum_j |w_ij x_j|        (+ 1e-35)
 * A missing, repeated or misplaced term is far larger than that.
 *
 * silu: expf, the addition and the division each round once (expf to 1
 * ulp, glibc), and the relative errors add up: 8 u |silu(v)| is more
 * than any correct float formula needs; an approximation of e^-v, or a
 * formula that overflows to inf / inf for large v, is off by far more.
 * Below v = -88.7, e^-v overflows float and silu(v) becomes -0 where the
 * exact value is below 3e-37 in magnitude: hence 1e-36 more.
 *
 * swiglu_ffn: with a = W1 x, b = W3 x, h = silu(a) b, out = W2 h, the
 * errors of a and b (bounded as for matmul, call them da, db) reach h as
 *     dh_j <= 1.1 da_j |b_j| + |silu(a_j)| db_j + 10 u |silu(a_j) b_j|
 * (|silu'| <= 1.1; silu and the product round), and out as
 *     |dout_i| <= (hidden + 2) u sum_j |W2_ij h_j| + sum_j |W2_ij| dh_j
 * We allow twice that bound, to cover the second-order terms. */
#include "ffn.h"
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define U (1.0 / 16777216.0) /* 2^-24 */

static float *floats(size_t n)
{
    return ll_alloc(n * sizeof(float));
}

/* n seeded floats in [lo, hi). */
static float *random_floats(size_t n, float lo, float hi)
{
    float *v = floats(n);
    ll_rand_floats(v, n, lo, hi);
    return v;
}

/* y (d) = W (d, n) x in double, and sum_j |w_ij x_j| per row. */
static void exact_matvec(const float *w, const float *x, int n, int d,
                         double *y, double *abs_sum)
{
    for (int i = 0; i < d; i++) {
        double acc = 0, mag = 0;
        for (int j = 0; j < n; j++) {
            const double t = (double)w[(size_t)i * n + j] * x[j];
            acc += t;
            mag += fabs(t);
        }
        y[i] = acc;
        abs_sum[i] = mag;
    }
}

static double exact_silu(double v)
{
    return v / (1.0 + exp(-v));
}

/* ---- matmul
 * ------------------------------------------------------------------ */

LL_TEST(ffn, matmul_by_hand)
{
    /* W (2, 3) . x (3) */
    const float w[] = {1, 2, 3, 4, 5, 6};
    const float x[] = {1, 0, -1};
    float out[2] = {99, 99};
    matmul(out, x, w, 3, 2);
    const float want[] = {-2, -2};
    LL_CHECK_FLOATS_NEAR(out, want, 2, 0.0f, 0.0f, "W(2x3) . {1, 0, -1}");
    /* W (3, 2) . x (2): the same numbers read with the other shape */
    const float y[] = {1, -1};
    float out3[3] = {99, 99, 99};
    matmul(out3, y, w, 2, 3);
    const float want3[] = {-1, -1, -1};
    LL_CHECK_FLOATS_NEAR(out3, want3, 3, 0.0f, 0.0f, "W(3x2) . {1, -1}");
    /* a seeded 2 x 3 case, small integers: exact in float */
    float ws[6], xs[3], got[2], exact[2];
    for (int i = 0; i < 6; i++)
        ws[i] = (float)ll_rand_int(-9, 9);
    for (int j = 0; j < 3; j++)
        xs[j] = (float)ll_rand_int(-9, 9);
    matmul(got, xs, ws, 3, 2);
    LL_ORACLE
    {
        for (int i = 0; i < 2; i++)
            exact[i] = ws[3 * i] * xs[0] + ws[3 * i + 1] * xs[1] +
                       ws[3 * i + 2] * xs[2];
    }
    char what[160];
    snprintf(what, sizeof what,
             "matmul of W = {{%g, %g, %g}, {%g, %g, %g}} and x = {%g, %g, %g}",
             ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], xs[0], xs[1], xs[2]);
    LL_CHECK_FLOATS_NEAR(got, exact, 2, 0.0f, 0.0f, what);
}

/* matmul of a seeded d x n case against double precision; the output
 * buffer is filled with NaN first and has 4 guard floats after d. */
static void check_matmul(int n, int d)
{
    float *w = random_floats((size_t)n * d, -1.0f, 1.0f);
    float *x = random_floats((size_t)n, -2.0f, 2.0f);
    float *out = floats((size_t)d + 4);
    for (int i = 0; i < d + 4; i++)
        out[i] = i < d ? NAN : 1234.5f;
    matmul(out, x, w, n, d);
    float *want = floats((size_t)d + 4), *tol = floats((size_t)d + 4);
    LL_ORACLE
    {
        double *y = ll_alloc((size_t)d * sizeof *y);
        double *mag = ll_alloc((size_t)d * sizeof *mag);
        exact_matvec(w, x, n, d, y, mag);
        for (int i = 0; i < d + 4; i++) {
            want[i] = i < d ? (float)y[i] : 1234.5f;
            tol[i] = i < d ? (float)((n + 2) * U * mag[i] + 1e-35) : 0.0f;
        }
        free(mag);
        free(y);
    }
    char what[160];
    snprintf(what, sizeof what,
             "matmul(xout, x, w, n = %d, d = %d): xout[i] vs a double-"
             "precision sum (xout[d..d+3] must stay untouched)",
             n, d);
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)d + 4, what);
    free(tol);
    free(want);
    free(out);
    free(x);
    free(w);
}

LL_TEST(ffn, matmul_matches_double_precision)
{
    check_matmul(67, 13);
    check_matmul(1, 1);
    check_matmul(1, 9);
    check_matmul(9, 1);
    for (int i = 0; i < 6; i++)
        check_matmul((int)ll_rand_int(1, 300), (int)ll_rand_int(1, 80));
}

/* ---- silu
 * ---------------------------------------------------------------------- */

LL_TEST(ffn, silu_values)
{
    /* silu(v) = v / (1 + e^-v) */
    LL_CHECK_FLOAT_NEAR(silu(0.0f), 0.0, 0, "silu(0)");
    LL_CHECK_FLOAT_NEAR(silu(1.0f), 0.7310585786, 8 * U * 0.74, "silu(1)");
    LL_CHECK_FLOAT_NEAR(silu(-1.0f), -0.2689414214, 8 * U * 0.27, "silu(-1)");
    LL_CHECK_FLOAT_NEAR(silu(2.0f), 1.7615941560, 8 * U * 1.77, "silu(2)");
    LL_CHECK_FLOAT_NEAR(silu(-20.0f), -4.1223073e-8, 8 * U * 4.2e-8,
                        "silu(-20)");
    LL_CHECK_FLOAT_NEAR(silu(100.0f), 100.0, 8 * U * 100,
                        "silu(100): e^100 overflows float, yet silu is 100");
    const float big = silu(-200.0f); /* e^200 overflows float: still 0 */
    LL_CHECK_FLOAT_NEAR(big, 0.0, 0, "silu(-200): e^200 overflows, 0 (or -0)");
    /* seeded values, from -30 to 30, and a few far out */
    float v[64], got[64], want[64], tol[64];
    for (int i = 0; i < 64; i++) {
        v[i] = i < 56 ? ll_rand_float(-30.0f, 30.0f)
                      : ll_rand_float(-150.0f, 150.0f);
        got[i] = silu(v[i]);
    }
    LL_ORACLE
    {
        for (int i = 0; i < 64; i++) {
            const double s = exact_silu(v[i]);
            want[i] = (float)s;
            tol[i] = (float)(8 * U * fabs(s) + 1e-36);
        }
    }
    char buf[200], what[260];
    snprintf(what, sizeof what, "silu(v[i]) for seeded v = %s",
             ll_format_floats(buf, sizeof buf, v, 64));
    LL_CHECK_FLOATS_WITHIN(got, want, tol, 64, what);
}

/* ---- swiglu
 * ------------------------------------------------------------------- */

LL_TEST(ffn, swiglu_by_hand)
{
    /* dim 2, hidden 3, x = {1, -1}
     * W1 = {{1,0},{0,1},{2,0}}  -> a = { 1, -1, 2}
     * W3 = {{1,1},{2,0},{0,-1}} -> b = { 0,  2, 1}
     * h = silu(a) * b = {0, -0.5378828427, 1.7615941560}
     * W2 = {{1,2,0},{3,-1,5}}   -> out = {-1.0757656854, 9.3458536225} */
    const float x[] = {1, -1};
    const float w1[] = {1, 0, 0, 1, 2, 0};
    const float w3[] = {1, 1, 2, 0, 0, -1};
    const float w2[] = {1, 2, 0, 3, -1, 5};
    float hb[3], hb2[3], out[2] = {99, 99};
    swiglu_ffn(out, x, w1, w2, w3, 2, 3, hb, hb2);
    const float want[] = {-1.0757656854f, 9.3458536225f};
    LL_CHECK_FLOATS_NEAR(out, want, 2, 1e-6f, 1e-6f,
                         "swiglu_ffn, dim 2, hidden 3");
    /* dim 1, hidden 1: out = w2 * silu(w1 x) * (w3 x), seeded */
    const float a = ll_rand_float(-3, 3), b = ll_rand_float(-3, 3),
                c = ll_rand_float(-3, 3), d = ll_rand_float(-3, 3);
    float h1, h2, o = 99;
    swiglu_ffn(&o, &a, &b, &c, &d, 1, 1, &h1, &h2);
    double e = 0;
    LL_ORACLE
    {
        e = c * exact_silu((double)b * a) * ((double)d * a);
    }
    char what[160];
    snprintf(what, sizeof what,
             "swiglu_ffn, dim 1, hidden 1: x %g, w1 %g, w2 %g, w3 %g", a, b, c,
             d);
    LL_CHECK_FLOAT_NEAR(o, e, 1e-5 * fabs(e) + 1e-30, what);
}

/* out = W2 (silu(W1 x) * W3 x) in double, with the bound of the header
 * comment per element. */
static void oracle_swiglu(const float *x, const float *w1, const float *w2,
                          const float *w3, int dim, int hidden, float *want,
                          float *tol)
{
    double *a = ll_alloc((size_t)hidden * sizeof *a);
    double *ma = ll_alloc((size_t)hidden * sizeof *ma);
    double *b = ll_alloc((size_t)hidden * sizeof *b);
    double *mb = ll_alloc((size_t)hidden * sizeof *mb);
    exact_matvec(w1, x, dim, hidden, a, ma);
    exact_matvec(w3, x, dim, hidden, b, mb);
    const double g = (dim + 2) * U;
    for (int i = 0; i < dim; i++) {
        double acc = 0, mag = 0, prop = 0;
        for (int j = 0; j < hidden; j++) {
            const double s = exact_silu(a[j]), h = s * b[j];
            const double w = w2[(size_t)i * hidden + j];
            const double dh = 1.1 * g * ma[j] * fabs(b[j]) +
                              fabs(s) * g * mb[j] + 10 * U * fabs(h);
            acc += w * h;
            mag += fabs(w * h);
            prop += fabs(w) * dh;
        }
        want[i] = (float)acc;
        tol[i] = (float)(2 * ((hidden + 2) * U * mag + prop) + 1e-35);
    }
    free(mb);
    free(b);
    free(ma);
    free(a);
}

/* swiglu_ffn on seeded weights of the given shape, scratch buffers of
 * exactly hidden floats, against oracle_swiglu. */
static void check_swiglu(int dim, int hidden, const float *x, const float *w1,
                         const float *w2, const float *w3, const char *name)
{
    float *hb = floats((size_t)hidden), *hb2 = floats((size_t)hidden);
    float *out = floats((size_t)dim);
    for (int i = 0; i < dim; i++)
        out[i] = NAN;
    swiglu_ffn(out, x, w1, w2, w3, dim, hidden, hb, hb2);
    float *want = floats((size_t)dim), *tol = floats((size_t)dim);
    LL_ORACLE
    {
        oracle_swiglu(x, w1, w2, w3, dim, hidden, want, tol);
    }
    char what[200];
    snprintf(what, sizeof what,
             "swiglu_ffn(dim %d, hidden_dim %d), %s: out[i] vs double "
             "precision",
             dim, hidden, name);
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)dim, what);
    free(tol);
    free(want);
    free(out);
    free(hb2);
    free(hb);
}

static void check_random_swiglu(int dim, int hidden)
{
    float *x = random_floats((size_t)dim, -2.0f, 2.0f);
    float *w1 = random_floats((size_t)hidden * dim, -1.0f, 1.0f);
    float *w2 = random_floats((size_t)dim * hidden, -1.0f, 1.0f);
    float *w3 = random_floats((size_t)hidden * dim, -1.0f, 1.0f);
    check_swiglu(dim, hidden, x, w1, w2, w3, "seeded weights");
    free(w3);
    free(w2);
    free(w1);
    free(x);
}

LL_TEST(ffn, swiglu_matches_double_precision)
{
    check_random_swiglu(1, 1);
    check_random_swiglu(1, 7);
    check_random_swiglu(7, 1);
    check_random_swiglu(16, 48);
    for (int i = 0; i < 5; i++)
        check_random_swiglu((int)ll_rand_int(1, 64), (int)ll_rand_int(1, 160));
}

/* The w1, w2, w3 matrices of layer `layer` of a checkpoint in memory. */
static void layer_weights(const tm_shape *s, const unsigned char *buf,
                          int layer, const float *w[3])
{
    tm_tensor t[TM_MAX_TENSORS];
    const int n = tm_tensors(s, t);
    const float *p = (const float *)(buf + 28);
    const size_t per_layer = (size_t)s->hidden_dim * (size_t)s->dim;
    for (int i = 0; i < n; i++) {
        const int k = strcmp(t[i].name, "w1") == 0   ? 0
                      : strcmp(t[i].name, "w2") == 0 ? 1
                      : strcmp(t[i].name, "w3") == 0 ? 2
                                                     : -1;
        if (k >= 0)
            w[k] = p + (size_t)layer * per_layer;
        p += t[i].count;
    }
}

LL_TEST(ffn, swiglu_matches_the_oracle_on_a_model_layer)
{
    size_t size = 0;
    unsigned char *buf = tm_checkpoint_build(&TM_SHAPES[0], &size);
    LL_CHECK_NOT_NULL(buf, "tm_checkpoint_build (test setup)");
    LL_CHECK_UINT_EQ(tm_fnv1a(buf, size), LLG_SHAPES[0].checkpoint_fnv,
                     "fingerprint of the test model (test setup)");
    const float *w[3] = {NULL, NULL, NULL};
    layer_weights(&TM_SHAPES[0], buf, LLG_FFN_LAYER, w);
    float x[32], out[32], hb[96], hb2[96];
    for (int i = 0; i < 32; i++)
        x[i] = (float)((i * 37) % 17 - 8) / 8.0f;
    swiglu_ffn(out, x, w[0], w[1], w[2], 32, 96, hb, hb2);
    LL_CHECK_FLOATS_NEAR(out, LLG_FFN_OUT, 32, 1e-5f, 1e-4f,
                         "SwiGLU of layer 1 of shape mha vs NumPy");
    free(buf);
    /* a seeded layer of a model with seeded weights */
    tm_shape s = TM_SHAPES[ll_rand_int(0, TM_N_SHAPES - 1)];
    s.seed = ll_rand_u64();
    buf = tm_checkpoint_build(&s, &size);
    LL_CHECK_NOT_NULL(buf, "tm_checkpoint_build (test setup)");
    const int layer = (int)ll_rand_int(0, s.n_layers - 1);
    layer_weights(&s, buf, layer, w);
    float *xs = random_floats((size_t)s.dim, -2.0f, 2.0f);
    char name[96];
    snprintf(name, sizeof name, "layer %d of a seeded model of shape %s", layer,
             s.name);
    check_swiglu(s.dim, s.hidden_dim, xs, w[0], w[1], w[2], name);
    free(xs);
    free(buf);
}

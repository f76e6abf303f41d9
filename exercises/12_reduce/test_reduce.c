/* Tests for 12_reduce. Students: read them, do not edit them.
 *
 * Besides the fixed cases, each test draws sizes and values of its own
 * from the grader's seeded generator (ll_rand_*): when it grades, the
 * grader may pick others than the ones you see. Expected values are
 * computed by hand or in double precision, never by a float loop.
 *
 * Tolerances (u = 2^-24, the unit roundoff of float):
 *   - a float sum of n terms in any order is within (n-1) u sum|x| of the
 *     exact sum (Higham, Accuracy and Stability of Numerical Algorithms,
 *     4.2); pairwise summation with a plain loop below 8 elements is
 *     within (ceil(log2 n) + 8) u sum|x|, Kahan summation within
 *     2 u sum|x|. The stability tests allow the pairwise bound: a plain
 *     loop is thousands of times further off.
 *   - the seeded reductions sum short lines (at most 7 elements), where
 *     every order is fine: they allow (n + 1) u sum|x| (the sum, plus half
 *     an ulp for rounding the double oracle to float), divided by n for a
 *     mean, plus u |mean| for the division. A missing or extra element is
 *     off by about |x| ~ 0.5, far more.
 *   - max picks one of the elements: exact. */
#include "llmlings.h"
#include "reduce.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const double U = 0x1p-24;

/* The pairwise bound above for n terms whose magnitudes sum to abs_sum. */
static double pairwise_bound(size_t n, double abs_sum)
{
    return (ceil(log2((double)n)) + 8.0) * U * abs_sum;
}

/* The exact sum of 1 followed by n-1 copies of tiny. */
static double one_then_tiny(size_t n, float tiny)
{
    return 1.0 + (double)(n - 1) * (double)tiny;
}

LL_TEST(reduce, stable_sum_keeps_small_terms)
{
    /* 1.0 followed by about a million copies of a tiny t, seeded in
     * [6e-9, 1.2e-8]. In float, 1.0f + t == 1.0f (t is below half an ulp
     * of 1, 5.96e-8), so a left-to-right loop returns exactly 1.0; the
     * true sum is 1 + (n-1) t ~ 1.01. */
    const size_t n = 1000001 + (size_t)ll_rand_int(0, 5000);
    const float tiny = ll_rand_float(6e-9f, 1.2e-8f);
    float *x = ll_alloc(n * sizeof *x);
    x[0] = 1.0f;
    for (size_t i = 1; i < n; i++)
        x[i] = tiny;
    char what[200];
    snprintf(what, sizeof what,
             "sum_stable(1 followed by %zu copies of %.9g) (a plain float "
             "loop gives exactly 1)",
             n - 1, (double)tiny);
    LL_CHECK_FLOAT_NEAR(sum_stable(x, n, 1), one_then_tiny(n, tiny),
                        pairwise_bound(n, one_then_tiny(n, tiny)), what);
    free(x);
}

LL_TEST(reduce, stable_sum_counts_past_2_pow_24)
{
    /* 2^24 + 2k ones (k seeded). Past 2^24 = 16777216 a float cannot
     * represent odd integers, so x + 1 rounds back to x and a plain loop
     * stops at 16777216. The exact sum is even, so it is a float; we allow
     * one ulp (2) of it. */
    const size_t extra = 2 * (size_t)ll_rand_int(500, 1500);
    const size_t n = ((size_t)1 << 24) + extra;
    float *x = ll_alloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = 1.0f;
    char what[160];
    snprintf(what, sizeof what,
             "sum_stable of 2^24 + %zu ones (a plain float loop gives "
             "16777216)",
             extra);
    LL_CHECK_FLOAT_NEAR(sum_stable(x, n, 1), (double)n, 2.0, what);
    free(x);

    /* every third element: the stride must be honoured */
    float y[10] = {1, 100, 100, 2, 100, 100, 3, 100, 100, 4};
    LL_CHECK_FLOAT_NEAR(sum_stable(y, 4, 3), 10.0, 0.0,
                        "sum_stable(y, 4, stride 3) of 1,_,_,2,_,_,3,_,_,4");
    LL_CHECK_FLOAT_NEAR(sum_stable(y, 0, 1), 0.0, 0.0, "sum_stable(n = 0)");
    LL_CHECK_FLOAT_NEAR(sum_stable(y, 1, 5), 1.0, 0.0,
                        "sum_stable(y, 1, stride 5)");

    /* seeded: a long strided sum (more than one block of a pairwise sum,
     * odd lengths too) with 1000 poisoned slots between the terms */
    const size_t m = (size_t)ll_rand_int(9, 3000);
    const ptrdiff_t stride = (ptrdiff_t)ll_rand_int(2, 5);
    float *z = ll_alloc(m * (size_t)stride * sizeof *z);
    for (size_t i = 0; i < m * (size_t)stride; i++)
        z[i] = i % (size_t)stride ? 1000.0f : ll_rand_float(-1.0f, 1.0f);
    double exact = 0.0, abs_sum = 0.0;
    LL_ORACLE
    {
        for (size_t i = 0; i < m; i++) {
            exact += z[i * (size_t)stride];
            abs_sum += fabs(z[i * (size_t)stride]);
        }
    }
    snprintf(what, sizeof what, "sum_stable(x, %zu, stride %td) of seeded x", m,
             stride);
    LL_CHECK_FLOAT_NEAR(sum_stable(z, m, stride), exact,
                        (double)(m + 1) * U * abs_sum, what);
    free(z);
}

static tensor *make(int ndim, const size_t *shape, const float *values)
{
    tensor *t = tensor_create(DTYPE_F32, ndim, shape);
    LL_CHECK_NOT_NULL(t, "tensor_create (09_tensor) in the test setup");
    memcpy(t->data, values, tensor_nbytes(t));
    return t;
}

/* Checks r's header: ndim dims of the given shape, a new F32 owner. */
static void check_header(const tensor *r, int ndim, const size_t *shape,
                         const char *what)
{
    char w[300];
    LL_CHECK_NOT_NULL(r, what);
    snprintf(w, sizeof w, "%s: ndim", what);
    LL_CHECK_INT_EQ(r->ndim, ndim, w);
    for (int d = 0; d < ndim; d++) {
        snprintf(w, sizeof w, "%s: shape[%d]", what, d);
        LL_CHECK_UINT_EQ(r->shape[d], shape[d], w);
    }
    LL_CHECK(r->dtype == DTYPE_F32 && r->owns_data,
             "%s: the result should be a new F32 tensor owning its data", what);
}

static void check_result(tensor *r, int ndim, const size_t *shape,
                         const float *want, float tol, const char *what)
{
    check_header(r, ndim, shape, what);
    LL_CHECK_FLOATS_NEAR((const float *)r->data, want, tensor_numel(r), tol,
                         0.0f, what);
}

/* The oracle: reduce the line of a view (shape/strides of nd dims over
 * base) at output index out_idx along axis, in double; *bound gets the
 * tolerance (see the header comment). */
static float oracle_line(const float *base, int nd, const size_t *shape,
                         const ptrdiff_t *strides, int axis, reduce_op op,
                         const size_t *out_idx, float *bound)
{
    ptrdiff_t off = 0;
    for (int d = 0, k = 0; d < nd; d++)
        if (d != axis)
            off += (ptrdiff_t)out_idx[k++] * strides[d];
    const size_t n = shape[axis];
    double sum = 0.0, abs_sum = 0.0, max = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const double x = base[off + (ptrdiff_t)i * strides[axis]];
        sum += x;
        abs_sum += fabs(x);
        max = x > max ? x : max;
    }
    const double sum_bound = (double)(n + 1) * U * abs_sum;
    if (op == REDUCE_MAX) {
        *bound = 0.0f;
        return (float)max;
    }
    if (op == REDUCE_SUM) {
        *bound = (float)sum_bound;
        return (float)sum;
    }
    const double mean = sum / (double)n;
    *bound = (float)(sum_bound / (double)n + U * fabs(mean));
    return (float)mean;
}

/* tensor_reduce(view, given, op), where the view has nd dims of the given
 * shape and strides over buf and given is axis or axis - nd: checks the
 * result's header and every element against the oracle. */
static void check_reduce(float *buf, int nd, const size_t *shape,
                         const ptrdiff_t *strides, int axis, int given,
                         reduce_op op)
{
    static const char *names[3] = {"SUM", "MAX", "MEAN"};
    tensor *t = tensor_from_data(DTYPE_F32, nd, shape, buf);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    for (int d = 0; d < nd; d++)
        t->strides[d] = strides[d];
    size_t oshape[4], on = 1;
    for (int d = 0, k = 0; d < nd; d++)
        if (d != axis) {
            oshape[k++] = shape[d];
            on *= shape[d];
        }
    char what[300];
    size_t len = (size_t)snprintf(what, sizeof what, "tensor_reduce(a (");
    for (int d = 0; d < nd; d++)
        len += (size_t)snprintf(what + len, sizeof what - len, "%s%zu",
                                d ? "," : "", shape[d]);
    len += (size_t)snprintf(what + len, sizeof what - len,
                            ") view with strides (");
    for (int d = 0; d < nd; d++)
        len += (size_t)snprintf(what + len, sizeof what - len, "%s%td",
                                d ? "," : "", strides[d]);
    snprintf(what + len, sizeof what - len, "), axis %d, %s)", given,
             names[op]);
    tensor *r = tensor_reduce(t, given, op);
    check_header(r, nd - 1, oshape, what);
    float *want = ll_alloc(on * sizeof *want),
          *tol = ll_alloc(on * sizeof *tol);
    LL_ORACLE
    {
        size_t idx[4] = {0};
        for (size_t k = 0; k < on; k++) {
            want[k] =
                oracle_line(buf, nd, shape, strides, axis, op, idx, &tol[k]);
            for (int d = nd - 2; d >= 0; d--) {
                if (++idx[d] < oshape[d])
                    break;
                idx[d] = 0;
            }
        }
    }
    LL_CHECK_FLOATS_WITHIN((const float *)r->data, want, tol, on, what);
    free(tol);
    free(want);
    tensor_free(r);
    tensor_free(t);
}

LL_TEST(reduce, sum_along_each_axis)
{
    const size_t s23[2] = {2, 3};
    const float v[6] = {1, 2, 3, 4, 5, 6};
    tensor *t = make(2, s23, v);
    const size_t s3[1] = {3}, s2[1] = {2};
    const float col[3] = {5, 7, 9}, row[2] = {6, 15};
    tensor *r = tensor_reduce(t, 0, REDUCE_SUM);
    check_result(r, 1, s3, col, 0.0f, "sum over axis 0 of [[1,2,3],[4,5,6]]");
    tensor_free(r);
    r = tensor_reduce(t, 1, REDUCE_SUM);
    check_result(r, 1, s2, row, 0.0f, "sum over axis 1 of [[1,2,3],[4,5,6]]");
    tensor_free(r);
    r = tensor_reduce(t, -1, REDUCE_SUM);
    check_result(r, 1, s2, row, 0.0f, "sum over axis -1 of [[1,2,3],[4,5,6]]");
    tensor_free(r);
    r = tensor_reduce(t, -2, REDUCE_SUM);
    check_result(r, 1, s3, col, 0.0f, "sum over axis -2 of [[1,2,3],[4,5,6]]");
    tensor_free(r);
    /* 1-D -> a 0-D scalar */
    tensor *u = make(1, s3, col);
    r = tensor_reduce(u, 0, REDUCE_SUM);
    const float all[1] = {21};
    check_result(r, 0, NULL, all, 0.0f, "sum of the 1-D [5,7,9]");
    tensor_free(r);
    tensor_free(u);
    LL_CHECK_NULL(tensor_reduce(t, 2, REDUCE_SUM),
                  "tensor_reduce axis 2 of 2-D");
    LL_CHECK_NULL(tensor_reduce(t, -3, REDUCE_SUM),
                  "tensor_reduce axis -3 of 2-D");
    LL_CHECK_NULL(tensor_reduce(t, 0, (reduce_op)7),
                  "tensor_reduce with an unknown op 7");
    tensor_free(t);

    /* seeded: a row-major (r,c), summed over each axis */
    const size_t sr[2] = {(size_t)ll_rand_int(2, 7), (size_t)ll_rand_int(2, 7)};
    const ptrdiff_t rm[2] = {(ptrdiff_t)sr[1], 1};
    float *buf = ll_alloc(sr[0] * sr[1] * sizeof *buf);
    ll_rand_floats(buf, sr[0] * sr[1], -1.0f, 1.0f);
    check_reduce(buf, 2, sr, rm, 0, 0, REDUCE_SUM);
    check_reduce(buf, 2, sr, rm, 1, -1, REDUCE_SUM);
    free(buf);

    int8_t q[6] = {1, 2, 3, 4, 5, 6};
    tensor *qi = tensor_from_data(DTYPE_I8, 2, s23, q);
    LL_CHECK_NOT_NULL(qi, "tensor_from_data (09_tensor) in the test setup");
    LL_CHECK_NULL(tensor_reduce(qi, 0, REDUCE_SUM),
                  "tensor_reduce of an I8 tensor");
    tensor_free(qi);

    /* an empty axis: the sum of nothing is 0, the max -infinity */
    float dummy[1] = {0};
    const size_t s30[2] = {3, 0};
    tensor *e = tensor_from_data(DTYPE_F32, 2, s30, dummy);
    LL_CHECK_NOT_NULL(e, "tensor_from_data (09_tensor) in the test setup");
    const float zeros[3] = {0, 0, 0};
    const float ninf[3] = {-INFINITY, -INFINITY, -INFINITY};
    r = tensor_reduce(e, 1, REDUCE_SUM);
    check_result(r, 1, s3, zeros, 0.0f, "sum over the empty axis 1 of a (3,0)");
    tensor_free(r);
    r = tensor_reduce(e, 1, REDUCE_MAX);
    check_result(r, 1, s3, ninf, 0.0f, "max over the empty axis 1 of a (3,0)");
    tensor_free(r);
    tensor_free(e);
}

LL_TEST(reduce, max_of_negative_numbers)
{
    const size_t s23[2] = {2, 3};
    const float v[6] = {-5, -2, -9, -1, -7, -3};
    tensor *t = make(2, s23, v);
    const size_t s2[1] = {2}, s3[1] = {3};
    const float m1[2] = {-2, -1}, m0[3] = {-1, -2, -3};
    tensor *r = tensor_reduce(t, 1, REDUCE_MAX);
    check_result(r, 1, s2, m1, 0.0f,
                 "max over axis 1 of [[-5,-2,-9],[-1,-7,-3]]");
    tensor_free(r);
    r = tensor_reduce(t, 0, REDUCE_MAX);
    check_result(r, 1, s3, m0, 0.0f,
                 "max over axis 0 of [[-5,-2,-9],[-1,-7,-3]]");
    tensor_free(r);
    tensor_free(t);

    /* seeded: negative numbers, the largest at a seeded place of each
     * row (first, last or in between) */
    const size_t rows = (size_t)ll_rand_int(2, 5),
                 cols = (size_t)ll_rand_int(2, 9);
    const size_t s[2] = {rows, cols};
    float *x = ll_alloc(rows * cols * sizeof *x);
    ll_rand_floats(x, rows * cols, -100.0f, -1.0f);
    for (size_t i = 0; i < rows; i++)
        x[i * cols + (size_t)ll_rand_int(0, (long long)cols - 1)] =
            ll_rand_float(-0.99f, -0.01f);
    t = make(2, s, x);
    float *want = ll_alloc(rows * sizeof *want);
    LL_ORACLE
    {
        for (size_t i = 0; i < rows; i++) {
            want[i] = x[i * cols];
            for (size_t j = 1; j < cols; j++)
                want[i] = fmaxf(want[i], x[i * cols + j]);
        }
    }
    char what[120];
    snprintf(what, sizeof what,
             "max over axis 1 of a seeded negative (%zu,%zu)", rows, cols);
    const size_t sr[1] = {rows};
    r = tensor_reduce(t, 1, REDUCE_MAX);
    check_result(r, 1, sr, want, 0.0f, what);
    tensor_free(r);
    tensor_free(t);
    free(want);
    free(x);
}

LL_TEST(reduce, mean_of_a_permuted_view)
{
    /* t = arange(24) as (2,3,4); v = t permuted to (4,2,3), v[a][b][c] =
     * t[b][c][a] = 12b + 4c + a. Mean over v's last axis (c = 0..2):
     * 12b + a + 4 (the mean of 0,4,8). */
    const size_t s234[3] = {2, 3, 4};
    float v[24];
    for (int i = 0; i < 24; i++)
        v[i] = (float)i;
    tensor *t = make(3, s234, v);
    tensor p = *t; /* a view by hand: no 10_views needed */
    p.owns_data = false;
    p.shape[0] = 4, p.shape[1] = 2, p.shape[2] = 3;
    p.strides[0] = 1, p.strides[1] = 12, p.strides[2] = 4;
    tensor *r = tensor_reduce(&p, 2, REDUCE_MEAN);
    const size_t s42[2] = {4, 2};
    const float want[8] = {4, 16, 5, 17, 6, 18, 7, 19};
    check_result(r, 2, s42, want, 1e-6f,
                 "mean over axis 2 of arange(24).reshape(2,3,4)"
                 ".permute(2,0,1)");
    tensor_free(r);
    tensor_free(t);

    /* the same view over seeded values: the mean over each axis */
    const size_t vs[3] = {4, 2, 3};
    const ptrdiff_t vst[3] = {1, 12, 4};
    float *buf = ll_alloc(24 * sizeof *buf);
    ll_rand_floats(buf, 24, -1.0f, 1.0f);
    for (int axis = 0; axis < 3; axis++)
        check_reduce(buf, 3, vs, vst, axis, axis, REDUCE_MEAN);
    free(buf);
}

LL_TEST(reduce, any_axis_of_a_seeded_view)
{
    /* a 1-4 dim view with seeded sizes, its dimensions in a seeded order
     * of the buffer (a permuted view), reduced along a seeded axis (given
     * negative half of the time) with each op */
    const int nd = (int)ll_rand_int(1, 4);
    size_t shape[4], order[4];
    for (int d = 0; d < nd; d++)
        shape[d] = (size_t)ll_rand_int(1, 7);
    ll_rand_permutation(order, (size_t)nd);
    ptrdiff_t strides[4], stride = 1;
    for (int k = nd - 1; k >= 0; k--) { /* order[k] is the k-th in memory */
        strides[order[k]] = stride;
        stride *= (ptrdiff_t)shape[order[k]];
    }
    float *buf = ll_alloc((size_t)stride * sizeof *buf);
    ll_rand_floats(buf, (size_t)stride, -1.0f, 1.0f);
    const int axis = (int)ll_rand_int(0, nd - 1);
    const int given = ll_rand_int(0, 1) ? axis - nd : axis;
    for (int op = REDUCE_SUM; op <= REDUCE_MEAN; op++)
        check_reduce(buf, nd, shape, strides, axis, given, (reduce_op)op);
    free(buf);
}

LL_TEST(reduce, reductions_use_the_stable_sum)
{
    /* (n, 2): column 0 is 1, t, t, ...; column 1 is all t (t seeded, below
     * half an ulp of 1). Summing over axis 0 walks each column with
     * stride 2. */
    const size_t n = 300001 + (size_t)ll_rand_int(0, 5000);
    const float tiny = ll_rand_float(6e-9f, 1.2e-8f);
    float *x = ll_alloc(2 * n * sizeof *x);
    for (size_t i = 0; i < 2 * n; i++)
        x[i] = tiny;
    x[0] = 1.0f;
    const size_t shape[2] = {n, 2};
    tensor *t = tensor_from_data(DTYPE_F32, 2, shape, x);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    tensor *r = tensor_reduce(t, 0, REDUCE_SUM);
    char what[200];
    snprintf(what, sizeof what, "tensor_reduce(axis 0, SUM) of a (%zu,2)", n);
    LL_CHECK_NOT_NULL(r, what);
    float got[2] = {((const float *)r->data)[0], ((const float *)r->data)[1]};
    snprintf(what, sizeof what, "sum over axis 0, column 0 (1 then %zu x %.9g)",
             n - 1, (double)tiny);
    LL_CHECK_FLOAT_NEAR(got[0], one_then_tiny(n, tiny),
                        pairwise_bound(n, one_then_tiny(n, tiny)), what);
    snprintf(what, sizeof what, "sum over axis 0, column 1 (%zu x %.9g)", n,
             (double)tiny);
    LL_CHECK_FLOAT_NEAR(got[1], (double)n * tiny,
                        pairwise_bound(n, (double)n * tiny), what);
    tensor_free(r);
    r = tensor_reduce(t, 0, REDUCE_MEAN);
    snprintf(what, sizeof what, "tensor_reduce(axis 0, MEAN) of a (%zu,2)", n);
    LL_CHECK_NOT_NULL(r, what);
    LL_CHECK_FLOAT_NEAR(((const float *)r->data)[0],
                        one_then_tiny(n, tiny) / (double)n,
                        (pairwise_bound(n, one_then_tiny(n, tiny)) +
                         U * one_then_tiny(n, tiny)) /
                            (double)n,
                        "mean over axis 0, column 0");
    tensor_free(r);
    tensor_free(t);
    free(x);
}

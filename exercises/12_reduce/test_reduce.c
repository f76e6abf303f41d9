/* Tests for 12_reduce. Students: read them, do not edit them.
 *
 * The expected values of the stability tests are computed by hand or in
 * double precision, never by a float loop. */
#include "llmlings.h"
#include "reduce.h"

#include <stdlib.h>

/* 1.0 followed by n-1 copies of 1e-8f. In float, 1.0f + 1e-8f == 1.0f
 * (1e-8 is below half an ulp of 1, 5.96e-8), so a left-to-right loop
 * returns exactly 1.0; the true sum is 1 + (n-1)*1e-8f ~ 1.01.
 * Tolerance: a pairwise sum's worst-case error is about
 * log2(n) * 2^-24 * sum|x| = 20 * 6e-8 * 1.01 ~ 1.2e-6 for n ~ 1e6; we
 * allow 2e-6, 5000 times less than the naive loop's error of 0.01. */
static float *one_then_tiny(size_t n)
{
    float *x = malloc(n * sizeof *x);
    LL_CHECK_NOT_NULL(x, "malloc in the test setup");
    x[0] = 1.0f;
    for (size_t i = 1; i < n; i++)
        x[i] = 1e-8f;
    return x;
}

static double one_then_tiny_exact(size_t n)
{
    return 1.0 + (double)(n - 1) * (double)1e-8f;
}

LL_TEST(reduce, stable_sum_keeps_small_terms)
{
    const size_t n = 1000001;
    float *x = one_then_tiny(n);
    const float s = sum_stable(x, n, 1);
    LL_CHECK_FLOAT_NEAR(s, one_then_tiny_exact(n), 2e-6,
                        "sum_stable(1 followed by 1e6 copies of 1e-8) "
                        "(a plain float loop gives exactly 1)");
    free(x);
}

LL_TEST(reduce, stable_sum_counts_past_2_pow_24)
{
    /* 2^24 + 2000 ones. Past 2^24 = 16777216 a float cannot represent
     * odd integers, so x + 1 rounds back to x and a plain loop stops at
     * 16777216. The exact sum 16779216 is even, so it is a float. */
    const size_t n = (1u << 24) + 2000;
    float *x = malloc(n * sizeof *x);
    LL_CHECK_NOT_NULL(x, "malloc in the test setup");
    for (size_t i = 0; i < n; i++)
        x[i] = 1.0f;
    LL_CHECK_FLOAT_NEAR(sum_stable(x, n, 1), 16779216.0, 2.0,
                        "sum_stable of 2^24 + 2000 ones (a plain float loop "
                        "gives 16777216)");
    /* every third element: the stride must be honoured */
    float y[10] = {1, 100, 100, 2, 100, 100, 3, 100, 100, 4};
    LL_CHECK_FLOAT_NEAR(sum_stable(y, 4, 3), 10.0, 0.0,
                        "sum_stable(y, 4, stride 3) of 1,_,_,2,_,_,3,_,_,4");
    LL_CHECK_FLOAT_NEAR(sum_stable(y, 0, 1), 0.0, 0.0, "sum_stable(n = 0)");
    free(x);
}

static tensor *make(int ndim, const size_t *shape, const float *values)
{
    tensor *t = tensor_create(DTYPE_F32, ndim, shape);
    LL_CHECK_NOT_NULL(t, "tensor_create (09_tensor) in the test setup");
    memcpy(t->data, values, tensor_nbytes(t));
    return t;
}

static void check_result(tensor *r, int ndim, const size_t *shape,
                         const float *want, float tol, const char *what)
{
    LL_CHECK_NOT_NULL(r, what);
    LL_CHECK(r->ndim == ndim, "%s: expected ndim %d, got %d", what, ndim,
             r->ndim);
    for (int d = 0; d < ndim; d++)
        LL_CHECK(r->shape[d] == shape[d], "%s: shape[%d] expected %zu, got %zu",
                 what, d, shape[d], r->shape[d]);
    LL_CHECK(r->dtype == DTYPE_F32 && r->owns_data,
             "%s: the result should be a new F32 tensor owning its data", what);
    LL_CHECK_FLOATS_NEAR((const float *)r->data, want, tensor_numel(r), tol,
                         0.0f, what);
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
    tensor_free(t);
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
    float want[8];
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 2; b++)
            want[a * 2 + b] = (float)(12 * b + a + 4);
    check_result(r, 2, s42, want, 1e-6f,
                 "mean over axis 2 of arange(24).reshape(2,3,4)"
                 ".permute(2,0,1)");
    tensor_free(r);
    tensor_free(t);
}

LL_TEST(reduce, reductions_use_the_stable_sum)
{
    /* (n, 2): column 0 is 1, 1e-8, 1e-8, ...; column 1 is all 1e-8.
     * Summing over axis 0 walks each column with stride 2. */
    const size_t n = 300001;
    float *x = malloc(2 * n * sizeof *x);
    LL_CHECK_NOT_NULL(x, "malloc in the test setup");
    for (size_t i = 0; i < 2 * n; i++)
        x[i] = 1e-8f;
    x[0] = 1.0f;
    const size_t shape[2] = {n, 2};
    tensor *t = tensor_from_data(DTYPE_F32, 2, shape, x);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    tensor *r = tensor_reduce(t, 0, REDUCE_SUM);
    LL_CHECK_NOT_NULL(r, "tensor_reduce(axis 0, SUM) of a (300001,2)");
    const float *s = r->data;
    LL_CHECK_FLOAT_NEAR(s[0], one_then_tiny_exact(n), 2e-6,
                        "sum over axis 0, column 0 (1 then 300000 x 1e-8)");
    LL_CHECK_FLOAT_NEAR(s[1], (double)n * (double)1e-8f, 1e-9,
                        "sum over axis 0, column 1 (300001 x 1e-8)");
    tensor_free(r);
    r = tensor_reduce(t, 0, REDUCE_MEAN);
    LL_CHECK_NOT_NULL(r, "tensor_reduce(axis 0, MEAN) of a (300001,2)");
    LL_CHECK_FLOAT_NEAR(((const float *)r->data)[0],
                        one_then_tiny_exact(n) / (double)n, 1e-11,
                        "mean over axis 0, column 0");
    tensor_free(r);
    tensor_free(t);
    free(x);
}

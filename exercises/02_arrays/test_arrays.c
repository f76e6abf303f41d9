/* Tests for 02_arrays. Students: read them, do not edit them.
 *
 * Besides the fixed cases, each test draws shapes and values of its own from
 * the grader's seeded generator (ll_rand_*), sizes of 1 included.
 *
 * column_sum on seeded floats: the header fixes the order (row 0 first), but
 * a sum in another order or in double is as correct, so the result is
 * compared with the exact sum (in double) within the error bound of a float
 * sum of n terms in any order (Higham, Accuracy and Stability of Numerical
 * Algorithms, 4.2): |error| <= (n - 1) * 2^-24 * sum |x_i|. We allow
 * n * 2^-24 * sum |x_i| (+ 1e-30): with values in [-1, 1) and n <= 40 that
 * is below 3e-5, while a missing, extra or wrong term (|x| ~ 0.5 on average)
 * or an int accumulator is off by far more. */
#include "arrays.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Flat indices become floats so that whole arrays of them can be compared
 * with one check that names the first wrong element (exact below 2^24). */
static float as_float(size_t index)
{
    return (float)index;
}

LL_TEST(arrays, idx2_row_major)
{
    /* A 3 x 4 matrix: row i starts at i * 4. */
    LL_CHECK_UINT_EQ(idx2(1, 2, 4), 6, "idx2(1, 2, cols=4)");
    LL_CHECK_UINT_EQ(idx2(0, 0, 4), 0, "idx2(0, 0, cols=4)");
    LL_CHECK_UINT_EQ(idx2(0, 3, 4), 3, "idx2(0, 3, cols=4)");
    LL_CHECK_UINT_EQ(idx2(1, 0, 4), 4, "idx2(1, 0, cols=4)");
    LL_CHECK_UINT_EQ(idx2(2, 3, 4), 11, "idx2(2, 3, cols=4) (last of 3x4)");
    LL_CHECK_UINT_EQ(idx2(5, 0, 1), 5, "idx2(5, 0, cols=1) (a column vector)");
    LL_CHECK_UINT_EQ(idx2(999, 999, 1000), 999999, "idx2(999, 999, 1000)");

    /* A seeded element of a seeded (large) shape. */
    const size_t rows = (size_t)ll_rand_int(1, 100000);
    const size_t cols = (size_t)ll_rand_int(1, 100000);
    const size_t i = (size_t)ll_rand_int(0, (long long)rows - 1);
    const size_t j = (size_t)ll_rand_int(0, (long long)cols - 1);
    char what[96];
    snprintf(what, sizeof what, "idx2(%zu, %zu, cols=%zu) (%zu rows)", i, j,
             cols, rows);
    LL_CHECK_UINT_EQ(idx2(i, j, cols), i * cols + j, what);
}

/* Transposes a seeded rows x cols matrix into an exact-size heap buffer
 * (ASan reports a write past it) and compares the whole result. */
static void check_transpose(size_t rows, size_t cols)
{
    const size_t n = rows * cols;
    float *src = ll_alloc(n * sizeof *src);
    ll_rand_floats(src, n, -100.0f, 100.0f);
    float *dst = ll_alloc(n * sizeof *dst);
    for (size_t e = 0; e < n; e++)
        dst[e] = NAN;
    float *want = ll_alloc(n * sizeof *want);
    LL_ORACLE
    {
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++)
                want[j * rows + i] = src[i * cols + j];
    }
    transpose(src, dst, rows, cols);
    char what[128];
    snprintf(what, sizeof what,
             "transpose of a seeded %zux%zu matrix (dst is %zux%zu: element "
             "[j*%zu + i] is src(i, j))",
             rows, cols, cols, rows, rows);
    LL_CHECK_FLOATS_NEAR(dst, want, n, 0.0f, 0.0f, what);
    free(want);
    free(dst);
    free(src);
}

LL_TEST(arrays, transpose_rectangular)
{
    /* 2 x 3:  | 1 2 3 |  ->  3 x 2:  | 1 4 |
     *         | 4 5 6 |              | 2 5 |
     *                                | 3 6 | */
    const float src[6] = {1, 2, 3, 4, 5, 6};
    const float want[6] = {1, 4, 2, 5, 3, 6};
    /* Exactly rows * cols floats: writing one past the end is caught by
     * AddressSanitizer. */
    float *dst = ll_alloc(6 * sizeof *dst);
    for (int i = 0; i < 6; i++)
        dst[i] = NAN;
    transpose(src, dst, 2, 3);
    LL_CHECK_FLOATS_NEAR(dst, want, 6, 0.0f, 0.0f,
                         "transpose of 2x3 {1..6} (3x2, row-major)");
    free(dst);

    /* A 1 x 4 row becomes a 4 x 1 column with the same flat order. */
    const float row[4] = {9, 8, 7, 6};
    float col[4] = {0, 0, 0, 0};
    transpose(row, col, 1, 4);
    LL_CHECK_FLOATS_NEAR(col, row, 4, 0.0f, 0.0f, "transpose of a 1x4 row");

    /* 3 x 4 with distinct values 10*i + j. */
    float m[12], t[12], want_t[12];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            m[i * 4 + j] = (float)(10 * i + j);
            want_t[j * 3 + i] = (float)(10 * i + j);
        }
    transpose(m, t, 3, 4);
    LL_CHECK_FLOATS_NEAR(t, want_t, 12, 0.0f, 0.0f,
                         "transpose of 3x4 m(i,j) = 10*i + j");

    /* No rows: nothing to write. */
    float untouched[4] = {5, 5, 5, 5};
    const float fives[4] = {5, 5, 5, 5};
    transpose(row, untouched, 0, 4);
    LL_CHECK_FLOATS_NEAR(untouched, fives, 4, 0.0f, 0.0f,
                         "dst after transpose with rows = 0 (untouched)");

    /* Seeded shapes: a column, a row, and one of any shape. */
    check_transpose((size_t)ll_rand_int(2, 9), 1);
    check_transpose(1, (size_t)ll_rand_int(2, 9));
    check_transpose((size_t)ll_rand_int(2, 17), (size_t)ll_rand_int(2, 17));
}

LL_TEST(arrays, column_sum_strides_down)
{
    /* | 1  2  3  4 |
     * | 5  6  7  8 |
     * | 9 10 11 12 |   column 2: 3 + 7 + 11 = 21 */
    const float m[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    LL_CHECK_FLOAT_NEAR(column_sum(m, 3, 4, 2), 21.0, 0.0,
                        "column_sum of column 2 of the 3x4 matrix 1..12");
    LL_CHECK_FLOAT_NEAR(column_sum(m, 3, 4, 0), 15.0, 0.0,
                        "column_sum of column 0 (1 + 5 + 9)");
    LL_CHECK_FLOAT_NEAR(column_sum(m, 3, 4, 3), 24.0, 0.0,
                        "column_sum of column 3 (4 + 8 + 12)");
    /* The same buffer read as 4 x 3: column 1 is 2 + 5 + 8 + 11. */
    LL_CHECK_FLOAT_NEAR(column_sum(m, 4, 3, 1), 26.0, 0.0,
                        "column_sum of column 1 of the buffer read as 4x3");
    LL_CHECK_FLOAT_NEAR(column_sum(m, 0, 4, 1), 0.0, 0.0,
                        "column_sum with 0 rows");

    /* Every column of a seeded matrix (error bound: header comment). */
    const size_t rows = (size_t)ll_rand_int(1, 40);
    const size_t cols = (size_t)ll_rand_int(1, 9);
    float *s = ll_alloc(rows * cols * sizeof *s);
    ll_rand_floats(s, rows * cols, -1.0f, 1.0f);
    float *got = ll_alloc(cols * sizeof *got);
    float *want = ll_alloc(cols * sizeof *want);
    float *tol = ll_alloc(cols * sizeof *tol);
    for (size_t j = 0; j < cols; j++)
        got[j] = column_sum(s, rows, cols, j);
    LL_ORACLE
    {
        for (size_t j = 0; j < cols; j++) {
            double sum = 0.0, abs_sum = 0.0;
            for (size_t i = 0; i < rows; i++) {
                sum += s[i * cols + j];
                abs_sum += fabs(s[i * cols + j]);
            }
            want[j] = (float)sum;
            tol[j] = (float)((double)rows * ldexp(1.0, -24) * abs_sum + 1e-30);
        }
    }
    char what[128];
    snprintf(what, sizeof what,
             "column_sum(m, %zu, %zu, j) of a seeded matrix (element [j])",
             rows, cols);
    LL_CHECK_FLOATS_WITHIN(got, want, tol, cols, what);
    free(tol);
    free(want);
    free(got);
    free(s);
}

/* idx3 over every (i, j, k) of shape d (row-major order) with strides s,
 * compared with i*s[0] + j*s[1] + k*s[2]. */
static void check_idx3_all(const size_t d[3], const size_t s[3],
                           const char *strides_name)
{
    const size_t n = d[0] * d[1] * d[2];
    float *got = ll_alloc(n * sizeof *got);
    float *want = ll_alloc(n * sizeof *want);
    size_t e = 0;
    for (size_t i = 0; i < d[0]; i++)
        for (size_t j = 0; j < d[1]; j++)
            for (size_t k = 0; k < d[2]; k++)
                got[e++] = as_float(idx3(i, j, k, s));
    LL_ORACLE
    {
        e = 0;
        for (size_t i = 0; i < d[0]; i++)
            for (size_t j = 0; j < d[1]; j++)
                for (size_t k = 0; k < d[2]; k++)
                    want[e++] = as_float(i * s[0] + j * s[1] + k * s[2]);
    }
    char what[200];
    snprintf(what, sizeof what,
             "idx3(i, j, k, %s {%zu, %zu, %zu}) over shape (%zu, %zu, %zu) "
             "(element [i*%zu + j*%zu + k])",
             strides_name, s[0], s[1], s[2], d[0], d[1], d[2], d[1] * d[2],
             d[2]);
    LL_CHECK_FLOATS_NEAR(got, want, n, 0.0f, 0.0f, what);
    free(want);
    free(got);
}

LL_TEST(arrays, strides_and_idx3)
{
    size_t s[3] = {99, 99, 99};
    strides3(2, 3, 4, s);
    LL_CHECK_UINT_EQ(s[0], 12, "strides3(2, 3, 4)[0]");
    LL_CHECK_UINT_EQ(s[1], 4, "strides3(2, 3, 4)[1]");
    LL_CHECK_UINT_EQ(s[2], 1, "strides3(2, 3, 4)[2]");
    LL_CHECK_UINT_EQ(
        idx3(1, 2, 3, s), 23,
        "idx3(1, 2, 3) with strides {12, 4, 1} (the last element)");
    LL_CHECK_UINT_EQ(idx3(1, 0, 2, s), 14, "idx3(1, 0, 2) with {12, 4, 1}");

    strides3(5, 1, 7, s);
    LL_CHECK_UINT_EQ(s[0], 7, "strides3(5, 1, 7)[0]");
    LL_CHECK_UINT_EQ(s[1], 7, "strides3(5, 1, 7)[1]");
    LL_CHECK_UINT_EQ(s[2], 1, "strides3(5, 1, 7)[2]");

    /* A permuted (non-contiguous) view: idx3 must use the strides given. */
    const size_t perm[3] = {1, 2, 6};
    LL_CHECK_UINT_EQ(idx3(1, 2, 3, perm), 23, "idx3(1, 2, 3) with {1, 2, 6}");
    LL_CHECK_UINT_EQ(idx3(1, 0, 0, perm), 1, "idx3(1, 0, 0) with {1, 2, 6}");

    /* A seeded shape (sizes of 1 likely): its row-major strides, and idx3
     * over all of it, which must visit 0, 1, 2, ... in order. */
    const size_t d[3] = {(size_t)ll_rand_int(1, 5), (size_t)ll_rand_int(1, 5),
                         (size_t)ll_rand_int(1, 5)};
    strides3(d[0], d[1], d[2], s);
    char what[96];
    snprintf(what, sizeof what, "strides3(%zu, %zu, %zu)[0]", d[0], d[1], d[2]);
    LL_CHECK_UINT_EQ(s[0], d[1] * d[2], what);
    snprintf(what, sizeof what, "strides3(%zu, %zu, %zu)[1]", d[0], d[1], d[2]);
    LL_CHECK_UINT_EQ(s[1], d[2], what);
    snprintf(what, sizeof what, "strides3(%zu, %zu, %zu)[2]", d[0], d[1], d[2]);
    LL_CHECK_UINT_EQ(s[2], 1, what);
    check_idx3_all(d, s, "strides3's");

    /* The same shape with seeded strides of any order (0 included: a
     * broadcast dimension). */
    const size_t any[3] = {(size_t)ll_rand_int(0, 50),
                           (size_t)ll_rand_int(0, 50),
                           (size_t)ll_rand_int(0, 50)};
    check_idx3_all(d, any, "seeded strides");
}

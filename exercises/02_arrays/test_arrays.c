/* Tests for 02_arrays. Students: read them, do not edit them. */
#include "arrays.h"
#include "llmlings.h"

#include <math.h>
#include <stdlib.h>

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
    float *dst = malloc(6 * sizeof *dst);
    LL_CHECK_NOT_NULL(dst, "malloc");
    for (int i = 0; i < 6; i++)
        dst[i] = NAN;
    transpose(src, dst, 2, 3);
    float got[6];
    for (int i = 0; i < 6; i++)
        got[i] = dst[i];
    free(dst);
    LL_CHECK_FLOATS_NEAR(got, want, 6, 0.0f, 0.0f,
                         "transpose of 2x3 {1..6} (3x2, row-major)");

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

    /* Every element of a 2x3x4 array visited once through idx3: the flat
     * indices must cover 0..23 exactly once. */
    strides3(2, 3, 4, s);
    int seen[24] = {0};
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 3; j++)
            for (size_t k = 0; k < 4; k++) {
                size_t f = idx3(i, j, k, s);
                LL_CHECK(f < 24, "idx3(%zu, %zu, %zu) = %zu is outside 0..23",
                         i, j, k, f);
                seen[f]++;
            }
    for (int f = 0; f < 24; f++)
        LL_CHECK(seen[f] == 1,
                 "flat index %d: expected to be hit once by idx3 over the "
                 "2x3x4 array, was hit %d times",
                 f, seen[f]);
}

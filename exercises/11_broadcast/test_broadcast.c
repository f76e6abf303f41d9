/* Tests for 11_broadcast. Students: read them, do not edit them. */
#include "broadcast.h"
#include "llmlings.h"

#include <stdio.h>
#include <string.h>

static const char *shape_str(char *buf, size_t cap, int nd, const size_t *s)
{
    size_t len = (size_t)snprintf(buf, cap, "(");
    for (int d = 0; d < nd && len < cap; d++)
        len +=
            (size_t)snprintf(buf + len, cap - len, "%s%zu", d ? "," : "", s[d]);
    if (len < cap)
        snprintf(buf + len, cap - len, nd == 1 ? ",)" : ")");
    return buf;
}

static void check_bshape(int nda, const size_t *a, int ndb, const size_t *b,
                         int ndw, const size_t *want)
{
    char sa[64], sb[64], sw[64], sg[64], err[128] = "";
    int nd = -1;
    size_t got[TENSOR_MAX_DIMS] = {0};
    const int rc = broadcast_shape(nda, a, ndb, b, &nd, got, err, sizeof err);
    shape_str(sa, sizeof sa, nda, a);
    shape_str(sb, sizeof sb, ndb, b);
    shape_str(sw, sizeof sw, ndw, want);
    LL_CHECK(rc == 0,
             "broadcast_shape %s with %s: expected 0 (-> %s), got %d "
             "(\"%s\")",
             sa, sb, sw, rc, err);
    const int same =
        nd == ndw && memcmp(got, want, sizeof *want * (size_t)ndw) == 0;
    LL_CHECK(same, "broadcast_shape %s with %s: expected %s, got %s", sa, sb,
             sw, nd >= 0 && nd <= 4 ? shape_str(sg, sizeof sg, nd, got) : "?");
}

LL_TEST(broadcast, output_shapes)
{
    const size_t s23[2] = {2, 3}, s3[1] = {3}, s41[2] = {4, 1}, s15[2] = {1, 5},
                 s45[2] = {4, 5}, s213[3] = {2, 1, 3}, s243[3] = {2, 4, 3},
                 s8161[4] = {8, 1, 6, 1}, s715[3] = {7, 1, 5},
                 s8765[4] = {8, 7, 6, 5};
    check_bshape(2, s23, 1, s3, 2, s23);
    check_bshape(1, s3, 2, s23, 2, s23);
    check_bshape(2, s41, 2, s15, 2, s45);
    check_bshape(3, s213, 2, s41, 3, s243);
    check_bshape(4, s8161, 3, s715, 4, s8765);
    check_bshape(0, NULL, 2, s23, 2, s23); /* a scalar goes with anything */
}

LL_TEST(broadcast, incompatible_shapes_are_an_error)
{
    const size_t s23[2] = {2, 3}, s2[1] = {2}, s34[2] = {3, 4}, s43[2] = {4, 3};
    char err[128];
    int nd = 0;
    size_t out[TENSOR_MAX_DIMS];
    memset(err, 0, sizeof err);
    int rc = broadcast_shape(2, s23, 1, s2, &nd, out, err, sizeof err);
    LL_CHECK_INT_EQ(rc, -1, "broadcast_shape (2,3) with (2,) (3 vs 2)");
    LL_CHECK(strstr(err, "incompatible") != NULL,
             "error message for (2,3) with (2,): expected it to contain "
             "\"incompatible\", got \"%s\"",
             err);
    rc = broadcast_shape(2, s34, 2, s43, &nd, out, NULL, 0);
    LL_CHECK_INT_EQ(rc, -1, "broadcast_shape (3,4) with (4,3), err NULL");

    float x[6] = {0}, y[2] = {0};
    tensor *a = tensor_from_data(DTYPE_F32, 2, s23, x);
    tensor *b = tensor_from_data(DTYPE_F32, 1, s2, y);
    LL_CHECK(a && b, "tensor_from_data (09_tensor) in the test setup");
    tensor *c = tensor_add(a, b);
    LL_CHECK_NULL(c, "tensor_add of (2,3) and (2,)");
    tensor_free(c);
    int8_t q[3] = {1, 2, 3};
    const size_t s3[1] = {3};
    tensor *qi = tensor_from_data(DTYPE_I8, 1, s3, q);
    LL_CHECK_NOT_NULL(qi, "tensor_from_data(I8) in the test setup");
    c = tensor_mul(a, qi);
    LL_CHECK_NULL(c, "tensor_mul of an F32 and an I8 tensor");
    tensor_free(c);
    tensor_free(qi);
    tensor_free(b);
    tensor_free(a);
}

LL_TEST(broadcast, broadcast_strides_use_zero)
{
    float x[3] = {0};
    const size_t s31[2] = {3, 1}, s3[1] = {3}, s234[3] = {2, 3, 4};
    tensor *t = tensor_from_data(DTYPE_F32, 2, s31, x);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    ptrdiff_t st[3] = {-9, -9, -9};
    LL_CHECK_INT_EQ(broadcast_strides(t, 3, s234, st), 0,
                    "broadcast_strides of a (3,1) to (2,3,4)");
    LL_CHECK(st[0] == 0 && st[1] == 1 && st[2] == 0,
             "broadcast_strides (3,1) -> (2,3,4): expected (0,1,0), got "
             "(%td,%td,%td)",
             st[0], st[1], st[2]);
    tensor_free(t);

    t = tensor_from_data(DTYPE_F32, 1, s3, x);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    t->strides[0] = 2; /* a strided view: its stride must be kept */
    const size_t s53[2] = {5, 3};
    LL_CHECK_INT_EQ(broadcast_strides(t, 2, s53, st), 0,
                    "broadcast_strides of a (3,) with stride 2 to (5,3)");
    LL_CHECK(st[0] == 0 && st[1] == 2,
             "broadcast_strides (3,) stride 2 -> (5,3): expected (0,2), got "
             "(%td,%td)",
             st[0], st[1]);
    const size_t s52[2] = {5, 2};
    LL_CHECK_INT_EQ(broadcast_strides(t, 2, s52, st), -1,
                    "broadcast_strides of a (3,) to (5,2)");
    tensor_free(t);
}

LL_TEST(broadcast, add_a_row_to_every_row)
{
    float x[6] = {1, 2, 3, 4, 5, 6}, y[3] = {10, 20, 30};
    const size_t s23[2] = {2, 3}, s3[1] = {3};
    tensor *a = tensor_from_data(DTYPE_F32, 2, s23, x);
    tensor *b = tensor_from_data(DTYPE_F32, 1, s3, y);
    LL_CHECK(a && b, "tensor_from_data (09_tensor) in the test setup");
    tensor *c = tensor_add(a, b);
    LL_CHECK_NOT_NULL(c, "tensor_add of (2,3) and (3,)");
    LL_CHECK(c->ndim == 2 && c->shape[0] == 2 && c->shape[1] == 3,
             "tensor_add (2,3)+(3,): expected shape (2,3), got ndim %d "
             "(%zu,%zu)",
             c->ndim, c->shape[0], c->shape[1]);
    LL_CHECK(c->owns_data && c->dtype == DTYPE_F32,
             "tensor_add: the result should be a new F32 tensor that owns "
             "its data");
    const float want[6] = {11, 22, 33, 14, 25, 36};
    LL_CHECK_FLOATS_NEAR((const float *)c->data, want, 6, 0.0f, 0.0f,
                         "[[1,2,3],[4,5,6]] + [10,20,30]");
    tensor_free(c);
    c = tensor_add(b, a); /* the other order gives the same */
    LL_CHECK_NOT_NULL(c, "tensor_add of (3,) and (2,3)");
    LL_CHECK_FLOATS_NEAR((const float *)c->data, want, 6, 0.0f, 0.0f,
                         "[10,20,30] + [[1,2,3],[4,5,6]]");
    tensor_free(c);
    tensor_free(b);
    tensor_free(a);
}

LL_TEST(broadcast, mul_column_by_row_is_an_outer_product)
{
    float x[4] = {1, 2, 3, 4}, y[5] = {1, -1, 0.5f, 10, 0};
    const size_t s41[2] = {4, 1}, s15[2] = {1, 5};
    tensor *a = tensor_from_data(DTYPE_F32, 2, s41, x);
    tensor *b = tensor_from_data(DTYPE_F32, 2, s15, y);
    LL_CHECK(a && b, "tensor_from_data (09_tensor) in the test setup");
    tensor *c = tensor_mul(a, b);
    LL_CHECK_NOT_NULL(c, "tensor_mul of (4,1) and (1,5)");
    LL_CHECK(c->ndim == 2 && c->shape[0] == 4 && c->shape[1] == 5,
             "tensor_mul (4,1)*(1,5): expected shape (4,5), got ndim %d "
             "(%zu,%zu)",
             c->ndim, c->shape[0], c->shape[1]);
    float want[20];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++)
            want[i * 5 + j] = x[i] * y[j];
    LL_CHECK_FLOATS_NEAR((const float *)c->data, want, 20, 0.0f, 0.0f,
                         "outer product [1,2,3,4]^T * [1,-1,0.5,10,0]");
    tensor_free(c);
    tensor_free(b);
    tensor_free(a);
}

LL_TEST(broadcast, views_and_scalars)
{
    float x[6] = {0, 1, 2, 3, 4, 5}, y[2] = {10, 100}, s = 2;
    const size_t s32[2] = {3, 2}, s2[1] = {2};
    tensor *a = tensor_from_data(DTYPE_F32, 2, s32, x);
    tensor *b = tensor_from_data(DTYPE_F32, 1, s2, y);
    tensor *k = tensor_from_data(DTYPE_F32, 0, NULL, &s);
    LL_CHECK(a && b && k, "tensor_from_data (09_tensor) in the test setup");
    a->strides[0] = 1; /* a is the transpose of [[0,1,2],[3,4,5]] */
    a->strides[1] = 3;
    tensor *c = tensor_add(a, b);
    LL_CHECK_NOT_NULL(c, "tensor_add of a (3,2) view and (2,)");
    const float want[6] = {10, 103, 11, 104, 12, 105};
    LL_CHECK_FLOATS_NEAR((const float *)c->data, want, 6, 0.0f, 0.0f,
                         "[[0,3],[1,4],[2,5]] (a transposed view) + [10,100]");
    tensor *d = tensor_mul(k, c);
    LL_CHECK_NOT_NULL(d, "tensor_mul of a scalar and a (3,2)");
    LL_CHECK(d->ndim == 2 && d->shape[0] == 3 && d->shape[1] == 2,
             "scalar * (3,2): expected shape (3,2), got ndim %d", d->ndim);
    const float want2[6] = {20, 206, 22, 208, 24, 210};
    LL_CHECK_FLOATS_NEAR((const float *)d->data, want2, 6, 0.0f, 0.0f,
                         "2 (a scalar) * the sum above");
    tensor_free(d);
    tensor_free(c);
    tensor_free(k);
    tensor_free(b);
    tensor_free(a);
}

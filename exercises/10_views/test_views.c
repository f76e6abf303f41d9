/* Tests for 10_views. Students: read them, do not edit them. */
#include "llmlings.h"
#include "views.h"

/* An f32 tensor of the given shape holding 0, 1, 2, ... in row-major order
 * (made with your 09_tensor). */
static tensor *iota(int ndim, const size_t *shape)
{
    tensor *t = tensor_create(DTYPE_F32, ndim, shape);
    LL_CHECK_NOT_NULL(t, "tensor_create (from 09_tensor) in the test setup");
    float *p = t->data;
    for (size_t i = 0; i < tensor_numel(t); i++)
        p[i] = (float)i;
    return t;
}

static void check_shape(const tensor *v, int ndim, const size_t *shape,
                        const ptrdiff_t *strides, const char *what)
{
    LL_CHECK_INT_EQ(v->ndim, ndim, what);
    for (int d = 0; d < ndim; d++) {
        LL_CHECK(v->shape[d] == shape[d], "%s: shape[%d] expected %zu, got %zu",
                 what, d, shape[d], v->shape[d]);
        LL_CHECK(v->strides[d] == strides[d],
                 "%s: strides[%d] expected %td, got %td", what, d, strides[d],
                 v->strides[d]);
    }
}

LL_TEST(views, transpose_2x3_shares_data)
{
    const size_t shape[2] = {2, 3};
    tensor *t = iota(2, shape);
    LL_CHECK(tensor_is_contiguous(t), "a fresh (2,3) tensor is contiguous");
    tensor *v = tensor_transpose(t, 0, 1);
    LL_CHECK_NOT_NULL(v, "tensor_transpose(t, 0, 1) of a (2,3)");
    const size_t vs[2] = {3, 2};
    const ptrdiff_t vst[2] = {1, 3};
    check_shape(v, 2, vs, vst, "transpose of (2,3) strides (3,1)");
    LL_CHECK_PTR_EQ(v->data, t->data,
                    "transpose: data (a view copies nothing)");
    LL_CHECK(!v->owns_data, "transpose: owns_data should be false");
    LL_CHECK(!tensor_is_contiguous(v),
             "the transpose of a (2,3) is not contiguous");
    const size_t i21[2] = {2, 1};
    LL_CHECK_FLOAT_NEAR(tensor_get(v, i21), 5.0, 0.0, "transpose[2][1]");
    tensor_set(v, i21, -7.0f);
    LL_CHECK_FLOAT_NEAR(((float *)t->data)[5], -7.0, 0.0,
                        "parent element 5 after writing transpose[2][1]");
    LL_CHECK_NULL(tensor_transpose(t, 0, 2),
                  "tensor_transpose(t, 0, 2) of 2-D");
    tensor_free(v);
    tensor_free(t);
}

LL_TEST(views, slice_with_start_and_step)
{
    const size_t shape[2] = {4, 5};
    tensor *t = iota(2, shape);
    tensor *v = tensor_slice(t, 1, 1, 5, 2); /* columns 1 and 3 */
    LL_CHECK_NOT_NULL(v, "tensor_slice(t, dim 1, 1, 5, step 2) of a (4,5)");
    const size_t vs[2] = {4, 2};
    const ptrdiff_t vst[2] = {5, 2};
    check_shape(v, 2, vs, vst, "slice [:, 1:5:2] of a (4,5)");
    LL_CHECK_PTR_EQ(v->data, (float *)t->data + 1,
                    "slice [:, 1:5:2]: data should point at element (0,1)");
    LL_CHECK(!v->owns_data, "slice: owns_data should be false");
    const size_t i31[2] = {3, 1};
    LL_CHECK_FLOAT_NEAR(tensor_get(v, i31), 18.0, 0.0,
                        "slice[3][1] (= t[3][3] = 18)");

    tensor *rows = tensor_slice(t, 0, 1, 3, 1);
    LL_CHECK_NOT_NULL(rows, "tensor_slice(t, dim 0, 1, 3, 1)");
    LL_CHECK_UINT_EQ(rows->shape[0], 2, "rows 1:3 of a (4,5): shape[0]");
    LL_CHECK_PTR_EQ(rows->data, (float *)t->data + 5,
                    "rows 1:3: data should point at element (1,0)");
    LL_CHECK(tensor_is_contiguous(rows), "rows 1:3 of a (4,5) are contiguous");
    LL_CHECK(!tensor_is_contiguous(v), "columns 1:5:2 are not contiguous");

    LL_CHECK_NULL(tensor_slice(t, 1, 0, 6, 1), "slice with stop 6 > size 5");
    LL_CHECK_NULL(tensor_slice(t, 1, 3, 2, 1), "slice with start 3 > stop 2");
    LL_CHECK_NULL(tensor_slice(t, 0, 0, 4, 0), "slice with step 0");
    LL_CHECK_NULL(tensor_slice(t, 2, 0, 1, 1), "slice of dim 2 of a 2-D");
    tensor_free(rows);
    tensor_free(v);
    tensor_free(t);
}

LL_TEST(views, permute_3d)
{
    const size_t shape[3] = {2, 3, 4};
    tensor *t = iota(3, shape);
    const int perm[3] = {2, 0, 1};
    tensor *v = tensor_permute(t, perm);
    LL_CHECK_NOT_NULL(v, "tensor_permute(t, {2,0,1}) of a (2,3,4)");
    const size_t vs[3] = {4, 2, 3};
    const ptrdiff_t vst[3] = {1, 12, 4};
    check_shape(v, 3, vs, vst, "permute {2,0,1} of (2,3,4)");
    LL_CHECK_PTR_EQ(v->data, t->data, "permute: data");
    /* v[a][b][c] = t[b][c][a] = 12b + 4c + a */
    const size_t idx[3] = {3, 1, 2};
    LL_CHECK_FLOAT_NEAR(tensor_get(v, idx), 12 + 8 + 3, 0.0,
                        "permuted[3][1][2] (= t[1][2][3])");
    const int dup[3] = {0, 0, 1}, big[3] = {0, 1, 3};
    LL_CHECK_NULL(tensor_permute(t, dup), "tensor_permute with {0,0,1}");
    LL_CHECK_NULL(tensor_permute(t, big), "tensor_permute with {0,1,3}");
    tensor_free(v);
    tensor_free(t);
}

LL_TEST(views, reshape_needs_contiguous_input)
{
    const size_t shape[3] = {2, 3, 4};
    tensor *t = iota(3, shape);
    const size_t s64[2] = {6, 4};
    tensor *r = tensor_reshape(t, 2, s64);
    LL_CHECK_NOT_NULL(r, "tensor_reshape of a contiguous (2,3,4) to (6,4)");
    const ptrdiff_t st[2] = {4, 1};
    check_shape(r, 2, s64, st, "reshape (2,3,4) -> (6,4)");
    LL_CHECK_PTR_EQ(r->data, t->data, "reshape: data (a view)");
    LL_CHECK(!r->owns_data, "reshape: owns_data should be false");
    const size_t i53[2] = {5, 3};
    LL_CHECK_FLOAT_NEAR(tensor_get(r, i53), 23.0, 0.0, "reshaped[5][3]");

    const size_t s25[2] = {2, 5};
    LL_CHECK_NULL(tensor_reshape(t, 2, s25), "reshape of 24 elements to (2,5)");
    tensor *tr = tensor_transpose(r, 0, 1);
    LL_CHECK_NOT_NULL(tr, "tensor_transpose of the (6,4)");
    const size_t s24[1] = {24};
    LL_CHECK_NULL(tensor_reshape(tr, 1, s24),
                  "reshape of a transposed (non-contiguous) view");
    tensor_free(tr);
    tensor_free(r);
    tensor_free(t);
}

LL_TEST(views, contiguous_copies_in_logical_order)
{
    const size_t shape[2] = {2, 3};
    tensor *t = iota(2, shape);
    tensor *v = tensor_transpose(t, 0, 1);
    LL_CHECK_NOT_NULL(v, "tensor_transpose(t, 0, 1) of a (2,3)");
    tensor *c = tensor_contiguous(v);
    LL_CHECK_NOT_NULL(c, "tensor_contiguous of the transpose");
    LL_CHECK(c->owns_data, "tensor_contiguous: owns_data should be true");
    LL_CHECK(c->data != t->data, "tensor_contiguous must copy, not share");
    const ptrdiff_t st[2] = {2, 1};
    const size_t cs[2] = {3, 2};
    check_shape(c, 2, cs, st, "contiguous copy of the (3,2) transpose");
    const float want[6] = {0, 3, 1, 4, 2, 5};
    LL_CHECK_FLOATS_NEAR((const float *)c->data, want, 6, 0.0f, 0.0f,
                         "contiguous(transpose of [[0,1,2],[3,4,5]])");
    tensor_free(c);
    tensor_free(v);
    tensor_free(t);

    /* another dtype: i8 (3,4), every other column */
    int8_t q[12];
    for (int i = 0; i < 12; i++)
        q[i] = (int8_t)(i - 6);
    const size_t qs[2] = {3, 4};
    tensor *qt = tensor_from_data(DTYPE_I8, 2, qs, q);
    LL_CHECK_NOT_NULL(qt, "tensor_from_data(I8, 2, {3,4})");
    tensor *qv = tensor_slice(qt, 1, 0, 4, 2);
    LL_CHECK_NOT_NULL(qv, "tensor_slice(i8, dim 1, 0, 4, 2)");
    tensor *qc = tensor_contiguous(qv);
    LL_CHECK_NOT_NULL(qc, "tensor_contiguous of an i8 slice");
    const int8_t qwant[6] = {-6, -4, -2, 0, 2, 4};
    LL_CHECK_BYTES_EQ(qc->data, qwant, sizeof qwant,
                      "contiguous(i8 [:, 0:4:2]) bytes");
    tensor_free(qc);
    tensor_free(qv);
    tensor_free(qt);
}

LL_TEST(views, views_of_views)
{
    const size_t shape[3] = {2, 3, 4};
    tensor *t = iota(3, shape);
    tensor *a = tensor_transpose(t, 0, 2); /* (4,3,2) strides (1,4,12) */
    LL_CHECK_NOT_NULL(a, "tensor_transpose(t, 0, 2)");
    tensor *b = tensor_slice(a, 1, 1, 3, 1); /* (4,2,2) */
    LL_CHECK_NOT_NULL(b, "tensor_slice of the transpose");
    tensor *c = tensor_slice(b, 0, 1, 4, 2); /* (2,2,2): a-rows 1 and 3 */
    LL_CHECK_NOT_NULL(c, "tensor_slice of the slice");
    const size_t cs[3] = {2, 2, 2};
    const ptrdiff_t cst[3] = {2, 4, 12};
    check_shape(c, 3, cs, cst, "t.transpose(0,2)[1:4:2, 1:3, :]");
    /* c[i][j][k] = a[1+2i][1+j][k] = t[k][1+j][1+2i] */
    tensor *d = tensor_contiguous(c);
    LL_CHECK_NOT_NULL(d, "tensor_contiguous of the view of a view");
    float want[8];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int k = 0; k < 2; k++)
                want[i * 4 + j * 2 + k] =
                    (float)(k * 12 + (1 + j) * 4 + (1 + 2 * i));
    LL_CHECK_FLOATS_NEAR((const float *)d->data, want, 8, 0.0f, 0.0f,
                         "contiguous(t.transpose(0,2)[1:4:2, 1:3, :])");
    tensor_free(d);
    tensor_free(c);
    tensor_free(b);
    tensor_free(a);
    tensor_free(t);
}

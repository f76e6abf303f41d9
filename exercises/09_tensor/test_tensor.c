/* Tests for 09_tensor. Students: read them, do not edit them. */
#include "llmlings.h"
#include "tensor.h"

LL_TEST(tensor, create_shape_and_strides)
{
    const size_t shape[3] = {2, 3, 4};
    tensor *t = tensor_create(DTYPE_F32, 3, shape);
    LL_CHECK_NOT_NULL(t, "tensor_create(F32, 3, {2,3,4})");
    LL_CHECK_INT_EQ(t->ndim, 3, "ndim of a (2,3,4) tensor");
    for (int d = 0; d < 3; d++)
        LL_CHECK_UINT_EQ(t->shape[d], shape[d], "shape[d] of a (2,3,4) tensor");
    LL_CHECK_INT_EQ(t->strides[0], 12, "strides[0] of a row-major (2,3,4)");
    LL_CHECK_INT_EQ(t->strides[1], 4, "strides[1] of a row-major (2,3,4)");
    LL_CHECK_INT_EQ(t->strides[2], 1, "strides[2] of a row-major (2,3,4)");
    LL_CHECK(t->owns_data, "tensor_create: owns_data should be true");
    LL_CHECK_NOT_NULL(t->data, "tensor_create: data");
    LL_CHECK_UINT_EQ(tensor_numel(t), 24, "numel of (2,3,4)");
    LL_CHECK_UINT_EQ(tensor_nbytes(t), 96, "nbytes of an f32 (2,3,4)");
    /* the buffer must really hold 96 bytes (AddressSanitizer checks) */
    memset(t->data, 0x7f, 96);
    tensor_free(t);

    ptrdiff_t st[3] = {-1, -1, -1};
    const size_t odd[3] = {5, 1, 7};
    tensor_row_major_strides(3, odd, st);
    LL_CHECK(
        st[0] == 7 && st[1] == 7 && st[2] == 1,
        "row-major strides of (5,1,7): expected (7,7,1), got (%td,%td,%td)",
        st[0], st[1], st[2]);
}

LL_TEST(tensor, dtypes_scalars_and_bad_arguments)
{
    LL_CHECK_UINT_EQ(dtype_size(DTYPE_F32), 4, "dtype_size(F32)");
    LL_CHECK_UINT_EQ(dtype_size(DTYPE_F16), 2, "dtype_size(F16)");
    LL_CHECK_UINT_EQ(dtype_size(DTYPE_I8), 1, "dtype_size(I8)");
    LL_CHECK_UINT_EQ(dtype_size((tensor_dtype)7), 0, "dtype_size(unknown 7)");

    const size_t shape[2] = {3, 5};
    tensor *h = tensor_zeros(DTYPE_F16, 2, shape);
    LL_CHECK_NOT_NULL(h, "tensor_zeros(F16, 2, {3,5})");
    LL_CHECK_UINT_EQ(tensor_nbytes(h), 30, "nbytes of an f16 (3,5)");
    tensor_free(h);
    tensor *q = tensor_zeros(DTYPE_I8, 2, shape);
    LL_CHECK_NOT_NULL(q, "tensor_zeros(I8, 2, {3,5})");
    LL_CHECK_UINT_EQ(tensor_nbytes(q), 15, "nbytes of an i8 (3,5)");
    tensor_free(q);

    tensor *s = tensor_zeros(DTYPE_F32, 0, NULL);
    LL_CHECK_NOT_NULL(s, "tensor_zeros(F32, 0, NULL) (a scalar)");
    LL_CHECK_UINT_EQ(tensor_numel(s), 1, "numel of a scalar (ndim 0)");
    LL_CHECK_FLOAT_NEAR(tensor_get(s, NULL), 0.0, 0.0, "the zero scalar");
    tensor_set(s, NULL, 4.25f);
    LL_CHECK_FLOAT_NEAR(tensor_get(s, NULL), 4.25, 0.0,
                        "the scalar after set 4.25");
    tensor_free(s);

    const size_t five[5] = {1, 1, 1, 1, 1};
    tensor *bad = tensor_create(DTYPE_F32, 5, five);
    LL_CHECK_NULL(bad, "tensor_create with ndim 5 (max is 4)");
    tensor_free(bad);
    bad = tensor_create((tensor_dtype)7, 2, shape);
    LL_CHECK_NULL(bad, "tensor_create with an unknown dtype");
    tensor_free(bad);
}

LL_TEST(tensor, zeros_then_set_get_row_major)
{
    const size_t shape[2] = {2, 3};
    tensor *t = tensor_zeros(DTYPE_F32, 2, shape);
    LL_CHECK_NOT_NULL(t, "tensor_zeros(F32, 2, {2,3})");
    const float *raw = t->data;
    for (int i = 0; i < 6; i++)
        LL_CHECK(raw[i] == 0.0f, "tensor_zeros: element %d is %g, not 0", i,
                 (double)raw[i]);
    const size_t i12[2] = {1, 2}, i01[2] = {0, 1};
    tensor_set(t, i12, 5.0f);
    tensor_set(t, i01, -2.0f);
    LL_CHECK_FLOAT_NEAR(raw[5], 5.0, 0.0,
                        "raw data[5] after set (1,2)=5 (row-major: 1*3+2)");
    LL_CHECK_FLOAT_NEAR(raw[1], -2.0, 0.0, "raw data[1] after set (0,1)=-2");
    LL_CHECK_FLOAT_NEAR(tensor_get(t, i12), 5.0, 0.0, "get (1,2)");
    LL_CHECK_FLOAT_NEAR(tensor_get(t, i01), -2.0, 0.0, "get (0,1)");
    LL_CHECK_INT_EQ(tensor_offset(t, i12), 5, "tensor_offset of (1,2)");
    tensor_free(t);
}

LL_TEST(tensor, borrowed_data_is_not_freed)
{
    float buf[6] = {10, 11, 12, 13, 14, 15}; /* on the stack: never free it */
    const size_t shape[2] = {2, 3};
    tensor *t = tensor_from_data(DTYPE_F32, 2, shape, buf);
    LL_CHECK_NOT_NULL(t, "tensor_from_data(F32, 2, {2,3}, buf)");
    LL_CHECK_PTR_EQ(t->data, buf, "tensor_from_data: data");
    LL_CHECK(!t->owns_data, "tensor_from_data: owns_data should be false");
    LL_CHECK_INT_EQ(t->strides[0], 3, "strides[0] of a borrowed (2,3)");
    const size_t i10[2] = {1, 0};
    LL_CHECK_FLOAT_NEAR(tensor_get(t, i10), 13.0, 0.0, "get (1,0) of buf");
    tensor_set(t, i10, -1.0f);
    LL_CHECK_FLOAT_NEAR(buf[3], -1.0, 0.0,
                        "buf[3] after set (1,0)=-1 through the tensor");
    tensor_free(t); /* must free the header only */
    LL_CHECK_NULL(tensor_from_data(DTYPE_F32, 2, shape, NULL),
                  "tensor_from_data with data NULL");
}

LL_TEST(tensor, get_and_set_follow_the_strides)
{
    float buf[6] = {0, 1, 2, 3, 4, 5};
    const size_t shape[2] = {3, 2};
    tensor *t = tensor_from_data(DTYPE_F32, 2, shape, buf);
    LL_CHECK_NOT_NULL(t, "tensor_from_data(F32, 2, {3,2}, buf)");
    /* Pretend it is the transpose of a (2,3): strides (1,3). */
    t->strides[0] = 1;
    t->strides[1] = 3;
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++) {
            const size_t idx[2] = {i, j};
            const float want = buf[i + 3 * j];
            LL_CHECK(tensor_get(t, idx) == want,
                     "strides (1,3): get (%zu,%zu) expected %g (buf[%zu]), "
                     "got %g",
                     i, j, (double)want, i + 3 * j, (double)tensor_get(t, idx));
        }
    const size_t i21[2] = {2, 1};
    tensor_set(t, i21, 42.0f);
    LL_CHECK_FLOAT_NEAR(buf[5], 42.0, 0.0,
                        "buf[5] after set (2,1) with strides (1,3)");
    tensor_free(t);
}

LL_TEST(tensor, f16_and_i8_conversions)
{
    uint16_t h[2] = {0, 0};
    const size_t n2[1] = {2};
    tensor *t = tensor_from_data(DTYPE_F16, 1, n2, h);
    LL_CHECK_NOT_NULL(t, "tensor_from_data(F16, 1, {2}, h)");
    const size_t i0[1] = {0}, i1[1] = {1};
    tensor_set(t, i0, 1.5f);
    tensor_set(t, i1, 0.1f);
    LL_CHECK_UINT_EQ(h[0], 0x3e00, "f16 bits of 1.5");
    LL_CHECK_UINT_EQ(h[1], 0x2e66, "f16 bits of 0.1");
    LL_CHECK_FLOAT_NEAR(tensor_get(t, i1), 0.0999755859375, 0.0,
                        "get of f16 0.1 (the nearest half)");
    tensor_free(t);

    int8_t q[6] = {0};
    const size_t n6[1] = {6};
    tensor *u = tensor_from_data(DTYPE_I8, 1, n6, q);
    LL_CHECK_NOT_NULL(u, "tensor_from_data(I8, 1, {6}, q)");
    const float in[6] = {2.5f, -2.5f, 2.4f, -2.6f, 300.0f, -300.0f};
    const int8_t want[6] = {3, -3, 2, -3, 127, -128};
    for (size_t i = 0; i < 6; i++) {
        const size_t idx[1] = {i};
        tensor_set(u, idx, in[i]);
        LL_CHECK(q[i] == want[i],
                 "i8 set %g: expected %d (round half away, saturate), got %d",
                 (double)in[i], want[i], q[i]);
    }
    const size_t i5[1] = {5};
    LL_CHECK_FLOAT_NEAR(tensor_get(u, i5), -128.0, 0.0, "get of i8 -128");
    tensor_free(u);
}

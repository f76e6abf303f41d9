/* Tests for 09_tensor. Students: read them, do not edit them.
 *
 * Besides the fixed cases, each test draws shapes and values of its own
 * from the grader's seeded generator (ll_rand_*): when it grades, the
 * grader may pick others than the ones you see. Every comparison is exact:
 * storing and reading a float, an f16 or an int8 has one right answer. */
#include "llmlings.h"
#include "tensor.h"

#include <stdio.h>
#include <stdlib.h>

/* "(2,3,4)" into buf. */
static const char *shape_str(char *buf, size_t cap, int ndim,
                             const size_t *shape)
{
    size_t len = (size_t)snprintf(buf, cap, "(");
    for (int d = 0; d < ndim && len < cap; d++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%zu", d ? "," : "",
                                shape[d]);
    if (len < cap)
        snprintf(buf + len, cap - len, ")");
    return buf;
}

/* A seeded shape of ndim sizes in 1..max. */
static void random_shape(int ndim, size_t *shape, long long max)
{
    for (int d = 0; d < ndim; d++)
        shape[d] = (size_t)ll_rand_int(1, max);
}

/* The row-major stride of dimension d: the product of the sizes after it. */
static ptrdiff_t row_major_stride(int ndim, const size_t *shape, int d)
{
    ptrdiff_t s = 1;
    for (int e = d + 1; e < ndim; e++)
        s *= (ptrdiff_t)shape[e];
    return s;
}

static const char *dtype_name(tensor_dtype dt)
{
    return dt == DTYPE_F32 ? "F32" : dt == DTYPE_F16 ? "F16" : "I8";
}

/* Bytes per element of a dtype (the test's own copy). */
static size_t elem_size(tensor_dtype dt)
{
    return dt == DTYPE_F32 ? 4 : dt == DTYPE_F16 ? 2 : 1;
}

static size_t product(int ndim, const size_t *shape)
{
    size_t n = 1;
    for (int d = 0; d < ndim; d++)
        n *= shape[d];
    return n;
}

/* Advances idx like an odometer over shape (last index fastest). */
static void next_index(int ndim, const size_t *shape, size_t *idx)
{
    for (int d = ndim - 1; d >= 0; d--) {
        if (++idx[d] < shape[d])
            return;
        idx[d] = 0;
    }
}

/* tensor_get of every element of t, in row-major index order. */
static void get_all(const tensor *t, float *out)
{
    size_t idx[TENSOR_MAX_DIMS] = {0};
    const size_t n = product(t->ndim, t->shape);
    for (size_t i = 0; i < n; i++) {
        out[i] = tensor_get(t, idx);
        next_index(t->ndim, t->shape, idx);
    }
}

/* tensor_set of every element of t to v[i], in row-major index order. */
static void set_all(tensor *t, const float *v)
{
    size_t idx[TENSOR_MAX_DIMS] = {0};
    const size_t n = product(t->ndim, t->shape);
    for (size_t i = 0; i < n; i++) {
        tensor_set(t, idx, v[i]);
        next_index(t->ndim, t->shape, idx);
    }
}

/* Oracle: the element offsets a strided tensor's indices reach, in
 * row-major index order. */
static void strided_offsets(int ndim, const size_t *shape,
                            const ptrdiff_t *strides, ptrdiff_t *off)
{
    size_t idx[TENSOR_MAX_DIMS] = {0};
    const size_t n = product(ndim, shape);
    for (size_t i = 0; i < n; i++) {
        off[i] = 0;
        for (int d = 0; d < ndim; d++)
            off[i] += (ptrdiff_t)idx[d] * strides[d];
        next_index(ndim, shape, idx);
    }
}

static void check_row_major_strides(const tensor *t, int ndim,
                                    const size_t *shape, const char *call)
{
    char what[160];
    for (int d = 0; d < ndim; d++) {
        snprintf(what, sizeof what, "%s: shape[%d]", call, d);
        LL_CHECK_UINT_EQ(t->shape[d], shape[d], what);
    }
    for (int d = 0; d < ndim; d++) {
        snprintf(what, sizeof what, "%s: strides[%d] (row-major)", call, d);
        LL_CHECK_INT_EQ(t->strides[d], row_major_stride(ndim, shape, d), what);
    }
}

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

    const size_t odd[3] = {5, 1, 7};
    ptrdiff_t st[3] = {-1, -1, -1};
    tensor_row_major_strides(3, odd, st);
    LL_CHECK_INT_EQ(st[0], 7, "tensor_row_major_strides of (5,1,7): [0]");
    LL_CHECK_INT_EQ(st[1], 7, "tensor_row_major_strides of (5,1,7): [1]");
    LL_CHECK_INT_EQ(st[2], 1, "tensor_row_major_strides of (5,1,7): [2]");

    /* the most dimensions a tensor may have, each of a seeded size, in a
     * seeded dtype */
    size_t s4[4];
    random_shape(4, s4, 6);
    const tensor_dtype dt = (tensor_dtype)ll_rand_int(DTYPE_F32, DTYPE_I8);
    char sh[64], call[128];
    snprintf(call, sizeof call, "tensor_create(%s, 4, %s)", dtype_name(dt),
             shape_str(sh, sizeof sh, 4, s4));
    t = tensor_create(dt, 4, s4);
    LL_CHECK_NOT_NULL(t, call);
    LL_CHECK_INT_EQ(t->ndim, 4, call);
    check_row_major_strides(t, 4, s4, call);
    LL_CHECK_UINT_EQ(tensor_numel(t), product(4, s4), "its tensor_numel");
    LL_CHECK_UINT_EQ(tensor_nbytes(t), product(4, s4) * elem_size(dt),
                     "its tensor_nbytes");
    /* the buffer must really hold them all (AddressSanitizer checks) */
    memset(t->data, 0x7f, product(4, s4) * elem_size(dt));
    tensor_free(t);

    /* tensor_row_major_strides alone, on 1 to 4 seeded sizes (some 1) */
    const int n = (int)ll_rand_int(1, 4);
    size_t sn[4];
    random_shape(n, sn, 9);
    sn[ll_rand_int(0, n - 1)] = 1;
    ptrdiff_t got[4] = {-1, -1, -1, -1};
    tensor_row_major_strides(n, sn, got);
    for (int d = 0; d < n; d++) {
        snprintf(call, sizeof call, "tensor_row_major_strides of %s: [%d]",
                 shape_str(sh, sizeof sh, n, sn), d);
        LL_CHECK_INT_EQ(got[d], row_major_stride(n, sn, d), call);
    }
}

LL_TEST(tensor, dtypes_scalars_and_bad_arguments)
{
    LL_CHECK_UINT_EQ(dtype_size(DTYPE_F32), 4, "dtype_size(F32)");
    LL_CHECK_UINT_EQ(dtype_size(DTYPE_F16), 2, "dtype_size(F16)");
    LL_CHECK_UINT_EQ(dtype_size(DTYPE_I8), 1, "dtype_size(I8)");
    LL_CHECK_UINT_EQ(dtype_size((tensor_dtype)7), 0, "dtype_size(unknown 7)");
    LL_CHECK_UINT_EQ(dtype_size((tensor_dtype)-1), 0, "dtype_size(unknown -1)");

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
    LL_CHECK_INT_EQ(s->ndim, 0, "ndim of a scalar");
    LL_CHECK_UINT_EQ(tensor_numel(s), 1, "numel of a scalar (ndim 0)");
    LL_CHECK_UINT_EQ(tensor_nbytes(s), 4, "nbytes of an f32 scalar");
    LL_CHECK_FLOAT_NEAR(tensor_get(s, NULL), 0.0, 0.0, "the zero scalar");
    tensor_set(s, NULL, 4.25f);
    LL_CHECK_FLOAT_NEAR(tensor_get(s, NULL), 4.25, 0.0,
                        "the scalar after set 4.25");
    const float v = ll_rand_float(-1000.0f, 1000.0f);
    tensor_set(s, NULL, v);
    char what[96];
    snprintf(what, sizeof what, "the scalar after set %.9g", (double)v);
    LL_CHECK_FLOAT_NEAR(tensor_get(s, NULL), v, 0.0, what);
    tensor_free(s);

    /* an empty tensor (a size-0 dimension) is valid: it has no elements */
    const size_t empty[2] = {3, 0};
    tensor *e = tensor_create(DTYPE_F32, 2, empty);
    LL_CHECK_NOT_NULL(e, "tensor_create(F32, 2, {3,0}) (an empty tensor)");
    LL_CHECK_UINT_EQ(tensor_numel(e), 0, "numel of (3,0)");
    LL_CHECK_UINT_EQ(tensor_nbytes(e), 0, "nbytes of (3,0)");
    tensor_free(e);

    const size_t five[5] = {1, 1, 1, 1, 1};
    tensor *bad = tensor_create(DTYPE_F32, 5, five);
    LL_CHECK_NULL(bad, "tensor_create with ndim 5 (max is 4)");
    tensor_free(bad);
    bad = tensor_create(DTYPE_F32, -1, five);
    LL_CHECK_NULL(bad, "tensor_create with ndim -1");
    tensor_free(bad);
    bad = tensor_create((tensor_dtype)7, 2, shape);
    LL_CHECK_NULL(bad, "tensor_create with an unknown dtype");
    tensor_free(bad);
    bad = tensor_zeros((tensor_dtype)7, 2, shape);
    LL_CHECK_NULL(bad, "tensor_zeros with an unknown dtype");
    tensor_free(bad);
    float buf[4] = {0};
    bad = tensor_from_data(DTYPE_F32, 5, five, buf);
    LL_CHECK_NULL(bad, "tensor_from_data with ndim 5 (max is 4)");
    tensor_free(bad);
    bad = tensor_from_data((tensor_dtype)7, 1, five, buf);
    LL_CHECK_NULL(bad, "tensor_from_data with an unknown dtype");
    tensor_free(bad);
}

LL_TEST(tensor, zeros_then_set_get_row_major)
{
    const size_t shape[2] = {2, 3};
    tensor *t = tensor_zeros(DTYPE_F32, 2, shape);
    LL_CHECK_NOT_NULL(t, "tensor_zeros(F32, 2, {2,3})");
    const float *raw = t->data;
    const float zero6[6] = {0};
    LL_CHECK_FLOATS_NEAR(raw, zero6, 6, 0.0f, 0.0f,
                         "tensor_zeros(F32, 2, {2,3}): the buffer");
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

    /* every dtype's zeros are all-zero bytes, over the whole buffer */
    char sh[64], what[200];
    for (int dt = DTYPE_F32; dt <= DTYPE_I8; dt++) {
        const int ndim = (int)ll_rand_int(1, 4);
        size_t s[4];
        random_shape(ndim, s, 5);
        const size_t bytes = product(ndim, s) * elem_size((tensor_dtype)dt);
        tensor *z = tensor_zeros((tensor_dtype)dt, ndim, s);
        snprintf(what, sizeof what, "tensor_zeros(%s, %d, %s)",
                 dtype_name((tensor_dtype)dt), ndim,
                 shape_str(sh, sizeof sh, ndim, s));
        LL_CHECK_NOT_NULL(z, what);
        unsigned char *zero = ll_alloc(bytes);
        LL_ORACLE
        {
            memset(zero, 0, bytes);
        }
        strncat(what, ": every byte of the buffer",
                sizeof what - strlen(what) - 1);
        LL_CHECK_BYTES_EQ(z->data, zero, bytes, what);
        free(zero);
        tensor_free(z);
    }

    /* set every element of a seeded 3-d or 4-d shape in row-major index
     * order: the buffer must then hold the values in that order */
    const int ndim = (int)ll_rand_int(3, 4);
    size_t s[4];
    random_shape(ndim, s, 5);
    const size_t n = product(ndim, s);
    float *v = ll_alloc(n * sizeof *v), *got = ll_alloc(n * sizeof *got);
    ll_rand_floats(v, n, -100.0f, 100.0f);
    t = tensor_zeros(DTYPE_F32, ndim, s);
    snprintf(what, sizeof what, "tensor_zeros(F32, %d, %s)", ndim,
             shape_str(sh, sizeof sh, ndim, s));
    LL_CHECK_NOT_NULL(t, what);
    set_all(t, v);
    snprintf(what, sizeof what,
             "a row-major %s after tensor_set of every index in order: the "
             "buffer (element [i] is the i-th index set)",
             sh);
    LL_CHECK_FLOATS_NEAR(t->data, v, n, 0.0f, 0.0f, what);
    get_all(t, got);
    snprintf(what, sizeof what,
             "a row-major %s: tensor_get of every index in order (element [i] "
             "is the i-th index)",
             sh);
    LL_CHECK_FLOATS_NEAR(got, v, n, 0.0f, 0.0f, what);
    size_t idx[4];
    for (int d = 0; d < ndim; d++)
        idx[d] = (size_t)ll_rand_int(0, (long long)s[d] - 1);
    snprintf(what, sizeof what, "tensor_offset of a row-major %s at index %s",
             sh, shape_str(sh, sizeof sh, ndim, idx));
    ptrdiff_t want_off = 0;
    LL_ORACLE
    {
        for (int d = 0; d < ndim; d++)
            want_off += (ptrdiff_t)idx[d] * row_major_stride(ndim, s, d);
    }
    LL_CHECK_INT_EQ(tensor_offset(t, idx), want_off, what);
    tensor_free(t);
    free(got);
    free(v);
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
    LL_CHECK_INT_EQ(t->strides[1], 1, "strides[1] of a borrowed (2,3)");
    const size_t i10[2] = {1, 0};
    LL_CHECK_FLOAT_NEAR(tensor_get(t, i10), 13.0, 0.0, "get (1,0) of buf");
    tensor_set(t, i10, -1.0f);
    LL_CHECK_FLOAT_NEAR(buf[3], -1.0, 0.0,
                        "buf[3] after set (1,0)=-1 through the tensor");
    tensor_free(t); /* must free the header only */
    LL_CHECK_NULL(tensor_from_data(DTYPE_F32, 2, shape, NULL),
                  "tensor_from_data with data NULL");

    /* a seeded heap buffer, borrowed: after tensor_free it is still ours */
    size_t s[3];
    random_shape(3, s, 6);
    const size_t n = product(3, s);
    float *heap = ll_alloc(n * sizeof *heap), *got = ll_alloc(n * sizeof *got);
    ll_rand_floats(heap, n, -10.0f, 10.0f);
    char sh[64], what[160];
    snprintf(what, sizeof what, "tensor_from_data(F32, 3, %s, buf)",
             shape_str(sh, sizeof sh, 3, s));
    t = tensor_from_data(DTYPE_F32, 3, s, heap);
    LL_CHECK_NOT_NULL(t, what);
    LL_CHECK(!t->owns_data, "tensor_from_data: owns_data should be false");
    check_row_major_strides(t, 3, s, what);
    get_all(t, got);
    snprintf(what, sizeof what,
             "tensor_from_data over a seeded %s: tensor_get of every index in "
             "order (element [i] is buf[i])",
             sh);
    LL_CHECK_FLOATS_NEAR(got, heap, n, 0.0f, 0.0f, what);
    tensor_free(t);
    heap[n - 1] = 1.0f; /* AddressSanitizer: use after free if it freed it */
    free(got);
    free(heap);
}

/* A tensor over buf (n floats, seeded) with the given strides; data points
 * at buf + base. Checks that tensor_get reads, and tensor_set writes, the
 * elements the strides say. */
static void check_strided(int ndim, const size_t *shape,
                          const ptrdiff_t *strides, ptrdiff_t base, size_t n)
{
    float *buf = ll_alloc(n * sizeof *buf);
    ll_rand_floats(buf, n, -50.0f, 50.0f);
    const size_t count = product(ndim, shape);
    float *got = ll_alloc(count * sizeof *got);
    float *want = ll_alloc(count * sizeof *want);
    float *v = ll_alloc(count * sizeof *v);
    float *after = ll_alloc(n * sizeof *after);
    ptrdiff_t *off = ll_alloc(count * sizeof *off);
    ll_rand_floats(v, count, 100.0f, 200.0f);
    char sh[64], st[96], what[300];
    shape_str(sh, sizeof sh, ndim, shape);
    size_t len = (size_t)snprintf(st, sizeof st, "(");
    for (int d = 0; d < ndim; d++)
        len += (size_t)snprintf(st + len, sizeof st - len, "%s%td",
                                d ? "," : "", strides[d]);
    snprintf(st + len, sizeof st - len, ")");

    tensor *t = tensor_from_data(DTYPE_F32, ndim, shape, buf);
    LL_CHECK_NOT_NULL(t, "tensor_from_data(F32, ...)");
    t->data = buf + base; /* a view: data at element (0,...,0) */
    for (int d = 0; d < ndim; d++)
        t->strides[d] = strides[d];
    get_all(t, got);
    LL_ORACLE
    {
        strided_offsets(ndim, shape, strides, off);
        for (size_t i = 0; i < count; i++)
            want[i] = buf[base + off[i]];
    }
    snprintf(what, sizeof what,
             "shape %s, strides %s, data = buf + %td: tensor_get of every "
             "index in row-major order (element [i] is the i-th index)",
             sh, st, base);
    LL_CHECK_FLOATS_NEAR(got, want, count, 0.0f, 0.0f, what);

    LL_ORACLE
    {
        memcpy(after, buf, n * sizeof *after);
        for (size_t i = 0; i < count; i++)
            after[base + off[i]] = v[i];
    }
    set_all(t, v);
    snprintf(what, sizeof what,
             "shape %s, strides %s, data = buf + %td: buf after tensor_set of "
             "every index (element [i] is buf[i])",
             sh, st, base);
    LL_CHECK_FLOATS_NEAR(buf, after, n, 0.0f, 0.0f, what);
    tensor_free(t);
    free(off);
    free(after);
    free(v);
    free(want);
    free(got);
    free(buf);
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
    const size_t i21[2] = {2, 1};
    LL_CHECK_FLOAT_NEAR(tensor_get(t, i21), 5.0, 0.0,
                        "strides (1,3): get (2,1) (buf[2*1 + 1*3])");
    LL_CHECK_INT_EQ(tensor_offset(t, i21), 5,
                    "strides (1,3): tensor_offset of (2,1)");
    tensor_set(t, i21, 42.0f);
    LL_CHECK_FLOAT_NEAR(buf[5], 42.0, 0.0,
                        "buf[5] after set (2,1) with strides (1,3)");
    tensor_free(t);

    /* seeded sizes: a transpose, a permuted 3-d tensor with a size-1
     * dimension of any stride, a 4-d one with a gap between rows, and a
     * reversed row order (a negative stride, data at the last row) */
    const size_t r = (size_t)ll_rand_int(2, 6), c = (size_t)ll_rand_int(2, 6);
    const size_t tr_shape[2] = {c, r};
    const ptrdiff_t tr_strides[2] = {1, (ptrdiff_t)c};
    check_strided(2, tr_shape, tr_strides, 0, r * c);

    const size_t a = (size_t)ll_rand_int(2, 5), b = (size_t)ll_rand_int(2, 5);
    const size_t p_shape[3] = {b, 1, a};
    const ptrdiff_t p_strides[3] = {1, 1000, (ptrdiff_t)b};
    check_strided(3, p_shape, p_strides, 0, a * b);

    size_t s4[4];
    random_shape(4, s4, 3);
    const ptrdiff_t gap = (ptrdiff_t)ll_rand_int(1, 3);
    const ptrdiff_t row = (ptrdiff_t)s4[3] + gap;
    const ptrdiff_t g_strides[4] = {row * (ptrdiff_t)(s4[1] * s4[2]),
                                    row * (ptrdiff_t)s4[2], row, 1};
    check_strided(4, s4, g_strides, 0, (size_t)row * s4[0] * s4[1] * s4[2]);

    const ptrdiff_t rev_strides[2] = {-(ptrdiff_t)c, 1};
    const size_t rev_shape[2] = {r, c};
    check_strided(2, rev_shape, rev_strides, (ptrdiff_t)((r - 1) * c), r * c);
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

    /* seeded values of every magnitude an f16 holds, from subnormal to
     * near the largest (65504) */
    enum { NH = 24 };
    uint16_t hb[NH];
    float hv[NH], stored[NH], got[NH], want[NH];
    for (size_t i = 0; i < NH; i++) {
        const float sign = ll_rand_int(0, 1) ? -1.0f : 1.0f;
        hv[i] =
            sign * ldexpf(ll_rand_float(1.0f, 2.0f), (int)ll_rand_int(-20, 15));
    }
    const size_t nh[1] = {NH};
    t = tensor_from_data(DTYPE_F16, 1, nh, hb);
    LL_CHECK_NOT_NULL(t, "tensor_from_data(F16, 1, {24}, h)");
    set_all(t, hv);
    for (size_t i = 0; i < NH; i++)
        stored[i] = f16_to_f32(hb[i]); /* what the set stored, decoded */
    get_all(t, got);
    LL_ORACLE
    {
        for (size_t i = 0; i < NH; i++)
            want[i] = f16_to_f32(f32_to_f16(hv[i]));
    }
    char list[400], what[600];
    ll_format_floats(list, sizeof list, hv, NH);
    snprintf(what, sizeof what,
             "f16 tensor_set of %s: the halves stored (element [i], decoded "
             "with f16_to_f32; expected: f32_to_f16 of the value)",
             list);
    LL_CHECK_FLOATS_NEAR(stored, want, NH, 0.0f, 0.0f, what);
    snprintf(what, sizeof what, "f16 tensor_get after tensor_set of %s", list);
    LL_CHECK_FLOATS_NEAR(got, want, NH, 0.0f, 0.0f, what);
    tensor_free(t);

    /* int8: round half away from zero, then saturate */
    enum { NQ = 12 };
    int8_t q[NQ] = {0};
    const size_t nq[1] = {NQ};
    tensor *u = tensor_from_data(DTYPE_I8, 1, nq, q);
    LL_CHECK_NOT_NULL(u, "tensor_from_data(I8, 1, {12}, q)");
    const float in[NQ] = {2.5f,   -2.5f,   2.4f, -2.6f, 300.0f, -300.0f,
                          127.5f, -128.5f, 0.5f, -0.5f, 126.6f, -127.6f};
    const float want_q[NQ] = {3,   -3,   2, -3, 127, -128,
                              127, -128, 1, -1, 127, -128};
    float qs[NQ], qg[NQ];
    set_all(u, in);
    for (size_t i = 0; i < NQ; i++)
        qs[i] = q[i];
    get_all(u, qg);
    ll_format_floats(list, sizeof list, in, NQ);
    snprintf(what, sizeof what,
             "i8 tensor_set of %s (round half away from zero, saturate to "
             "[-128, 127]): the int8 stored (element [i])",
             list);
    LL_CHECK_FLOATS_NEAR(qs, want_q, NQ, 0.0f, 0.0f, what);
    snprintf(what, sizeof what, "i8 tensor_get after tensor_set of %s", list);
    LL_CHECK_FLOATS_NEAR(qg, want_q, NQ, 0.0f, 0.0f, what);
    tensor_free(u);

    /* seeded: exact halves and other values, in and out of range */
    float rv[NQ], rwant[NQ];
    for (size_t i = 0; i < NQ; i++)
        rv[i] = i % 2 ? (float)ll_rand_int(-140, 139) + 0.5f
                      : ll_rand_float(-150.0f, 150.0f);
    u = tensor_from_data(DTYPE_I8, 1, nq, q);
    LL_CHECK_NOT_NULL(u, "tensor_from_data(I8, 1, {12}, q)");
    set_all(u, rv);
    for (size_t i = 0; i < NQ; i++)
        qs[i] = q[i];
    LL_ORACLE
    {
        for (size_t i = 0; i < NQ; i++)
            rwant[i] = fminf(fmaxf(roundf(rv[i]), -128.0f), 127.0f);
    }
    ll_format_floats(list, sizeof list, rv, NQ);
    snprintf(what, sizeof what,
             "i8 tensor_set of %s (round half away from zero, saturate to "
             "[-128, 127]): the int8 stored (element [i])",
             list);
    LL_CHECK_FLOATS_NEAR(qs, rwant, NQ, 0.0f, 0.0f, what);
    tensor_free(u);
}

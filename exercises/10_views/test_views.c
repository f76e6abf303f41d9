/* Tests for 10_views. Students: read them, do not edit them.
 *
 * Besides the fixed cases (tensors holding 0, 1, 2, ...), each test draws
 * shapes, views and values of its own from the grader's seeded generator
 * (ll_rand_*): when it grades, the grader may pick others than the ones
 * you see. A view is checked three ways: its header (shape, strides; a
 * size-1 or empty dimension's stride is not checked, it never matters),
 * where its data starts in the parent's buffer, and the elements it shows,
 * read by the test itself through the view's data and strides. Every
 * comparison is exact: a view copies nothing, so nothing is rounded. */
#include "llmlings.h"
#include "views.h"

#include <stdio.h>
#include <stdlib.h>

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

static size_t product(int ndim, const size_t *shape)
{
    size_t n = 1;
    for (int d = 0; d < ndim; d++)
        n *= shape[d];
    return n;
}

static size_t elem_size(tensor_dtype dt)
{
    return dt == DTYPE_F32 ? 4 : dt == DTYPE_F16 ? 2 : 1;
}

static const char *dtype_name(tensor_dtype dt)
{
    return dt == DTYPE_F32 ? "F32" : dt == DTYPE_F16 ? "F16" : "I8";
}

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

/* Element off (in elements from data) of a buffer of dtype dt, as float. */
static float read_elem(tensor_dtype dt, const void *data, ptrdiff_t off)
{
    if (dt == DTYPE_F16)
        return f16_to_f32(((const uint16_t *)data)[off]);
    if (dt == DTYPE_I8)
        return (float)((const int8_t *)data)[off];
    return ((const float *)data)[off];
}

/* Every element a (data, shape, strides) triple shows, in row-major index
 * order (last index fastest), read by the test itself. */
static void gather(tensor_dtype dt, const void *data, int ndim,
                   const size_t *shape, const ptrdiff_t *strides, float *out)
{
    size_t idx[TENSOR_MAX_DIMS] = {0};
    const size_t n = product(ndim, shape);
    for (size_t k = 0; k < n; k++) {
        ptrdiff_t off = 0;
        for (int d = 0; d < ndim; d++)
            off += (ptrdiff_t)idx[d] * strides[d];
        out[k] = read_elem(dt, data, off);
        for (int d = ndim - 1; d >= 0; d--) {
            if (++idx[d] < shape[d])
                break;
            idx[d] = 0;
        }
    }
}

/* A seeded tensor of dtype dt (made with your 09_tensor, row-major). */
static tensor *random_tensor(tensor_dtype dt, int ndim, const size_t *shape)
{
    tensor *t = tensor_create(dt, ndim, shape);
    LL_CHECK_NOT_NULL(t, "tensor_create (from 09_tensor) in the test setup");
    const size_t n = product(ndim, shape);
    for (size_t i = 0; i < n; i++) {
        if (dt == DTYPE_F32)
            ((float *)t->data)[i] = ll_rand_float(-100.0f, 100.0f);
        else if (dt == DTYPE_F16)
            ((uint16_t *)t->data)[i] =
                f32_to_f16(ll_rand_float(-100.0f, 100.0f));
        else
            ((int8_t *)t->data)[i] = (int8_t)ll_rand_int(-128, 127);
    }
    return t;
}

/* What a view of a row-major parent should be (the oracle's own account):
 * its shape and strides, and where it starts, in elements from the
 * parent's data. */
typedef struct view_spec {
    size_t shape[TENSOR_MAX_DIMS];
    ptrdiff_t strides[TENSOR_MAX_DIMS];
    ptrdiff_t base;
} view_spec;

static void spec_of_parent(int ndim, const size_t *shape, view_spec *s)
{
    ptrdiff_t stride = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        s->shape[d] = shape[d];
        s->strides[d] = stride;
        stride *= (ptrdiff_t)shape[d];
    }
    s->base = 0;
}

/* Checks view v (ndim dimensions) of parent p against the oracle's spec:
 * header, start, owns_data and every element it shows. */
static void check_view(const tensor *v, const tensor *p, int ndim,
                       const view_spec *spec, const char *what)
{
    char w[300];
    snprintf(w, sizeof w, "%s: ndim", what);
    LL_CHECK_INT_EQ(v->ndim, ndim, w);
    for (int d = 0; d < ndim; d++) {
        snprintf(w, sizeof w, "%s: shape[%d]", what, d);
        LL_CHECK_UINT_EQ(v->shape[d], spec->shape[d], w);
    }
    for (int d = 0; d < ndim; d++) {
        if (v->shape[d] <= 1)
            continue; /* its stride never matters */
        snprintf(w, sizeof w, "%s: strides[%d]", what, d);
        LL_CHECK_INT_EQ(v->strides[d], spec->strides[d], w);
    }
    const size_t n = product(ndim, v->shape), es = elem_size(p->dtype);
    if (n > 0) {
        snprintf(w, sizeof w,
                 "%s: data, in bytes from the parent's data (a view copies "
                 "nothing)",
                 what);
        LL_CHECK_INT_EQ((const char *)v->data - (const char *)p->data,
                        spec->base * (ptrdiff_t)es, w);
    }
    snprintf(w, sizeof w, "%s: owns_data should be false", what);
    LL_CHECK(!v->owns_data, "%s", w);
    float *got = ll_alloc(n * sizeof *got), *want = ll_alloc(n * sizeof *want);
    gather(p->dtype, v->data, ndim, v->shape, v->strides, got);
    LL_ORACLE
    {
        gather(p->dtype, (const char *)p->data + spec->base * (ptrdiff_t)es,
               ndim, spec->shape, spec->strides, want);
    }
    snprintf(w, sizeof w,
             "%s: the elements it shows, in row-major index order (element "
             "[i] is the i-th index)",
             what);
    LL_CHECK_FLOATS_NEAR(got, want, n, 0.0f, 0.0f, w);
    free(want);
    free(got);
}

/* Checks a fixed case's header: shape and strides, every dimension. */
static void check_shape(const tensor *v, int ndim, const size_t *shape,
                        const ptrdiff_t *strides, const char *what)
{
    char w[200];
    snprintf(w, sizeof w, "%s: ndim", what);
    LL_CHECK_INT_EQ(v->ndim, ndim, w);
    for (int d = 0; d < ndim; d++) {
        snprintf(w, sizeof w, "%s: shape[%d]", what, d);
        LL_CHECK_UINT_EQ(v->shape[d], shape[d], w);
        snprintf(w, sizeof w, "%s: strides[%d]", what, d);
        LL_CHECK_INT_EQ(v->strides[d], strides[d], w);
    }
}

/* A seeded dtype, ndim in lo..hi and sizes in 1..max. */
static tensor_dtype random_setup(int *ndim, size_t *shape, int lo, int hi,
                                 long long max)
{
    *ndim = (int)ll_rand_int(lo, hi);
    for (int d = 0; d < *ndim; d++)
        shape[d] = (size_t)ll_rand_int(1, max);
    return (tensor_dtype)ll_rand_int(DTYPE_F32, DTYPE_I8);
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
    LL_CHECK_NULL(tensor_transpose(t, -1, 0),
                  "tensor_transpose(t, -1, 0) of 2-D");
    tensor *same = tensor_transpose(t, 1, 1);
    LL_CHECK_NOT_NULL(same, "tensor_transpose(t, 1, 1) (an identical view)");
    const ptrdiff_t tst[2] = {3, 1};
    check_shape(same, 2, shape, tst, "transpose (1,1) of (2,3)");
    tensor_free(same);
    tensor_free(v);
    tensor_free(t);

    /* seeded: any two dimensions (maybe the same) of a 2-d to 4-d tensor */
    int nd;
    size_t s[4];
    const tensor_dtype dt = random_setup(&nd, s, 2, 4, 5);
    const int d0 = (int)ll_rand_int(0, nd - 1),
              d1 = (int)ll_rand_int(0, nd - 1);
    tensor *p = random_tensor(dt, nd, s);
    char sh[64], what[160];
    snprintf(what, sizeof what, "tensor_transpose(%s %s, %d, %d)",
             dtype_name(dt), shape_str(sh, sizeof sh, nd, s), d0, d1);
    v = tensor_transpose(p, d0, d1);
    LL_CHECK_NOT_NULL(v, what);
    view_spec spec;
    LL_ORACLE
    {
        spec_of_parent(nd, s, &spec);
        const size_t sz = spec.shape[d0];
        const ptrdiff_t st = spec.strides[d0];
        spec.shape[d0] = spec.shape[d1];
        spec.strides[d0] = spec.strides[d1];
        spec.shape[d1] = sz;
        spec.strides[d1] = st;
    }
    check_view(v, p, nd, &spec, what);
    tensor_free(v);
    tensor_free(p);
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

    tensor *odd = tensor_slice(t, 1, 0, 5, 2); /* columns 0, 2 and 4 */
    LL_CHECK_NOT_NULL(odd, "tensor_slice(t, dim 1, 0, 5, step 2) of a (4,5)");
    LL_CHECK_UINT_EQ(odd->shape[1], 3,
                     "slice [:, 0:5:2] of a (4,5): shape[1] (ceil(5/2))");
    tensor_free(odd);

    tensor *rows = tensor_slice(t, 0, 1, 3, 1);
    LL_CHECK_NOT_NULL(rows, "tensor_slice(t, dim 0, 1, 3, 1)");
    LL_CHECK_UINT_EQ(rows->shape[0], 2, "rows 1:3 of a (4,5): shape[0]");
    LL_CHECK_PTR_EQ(rows->data, (float *)t->data + 5,
                    "rows 1:3: data should point at element (1,0)");
    LL_CHECK(tensor_is_contiguous(rows), "rows 1:3 of a (4,5) are contiguous");
    LL_CHECK(!tensor_is_contiguous(v), "columns 1:5:2 are not contiguous");

    tensor *none = tensor_slice(t, 0, 2, 2, 1);
    LL_CHECK_NOT_NULL(none, "tensor_slice(t, dim 0, 2, 2, 1) (an empty "
                            "slice is valid)");
    LL_CHECK_UINT_EQ(none->shape[0], 0, "rows 2:2 of a (4,5): shape[0]");
    tensor_free(none);

    LL_CHECK_NULL(tensor_slice(t, 1, 0, 6, 1), "slice with stop 6 > size 5");
    LL_CHECK_NULL(tensor_slice(t, 1, 3, 2, 1), "slice with start 3 > stop 2");
    LL_CHECK_NULL(tensor_slice(t, 0, 0, 4, 0), "slice with step 0");
    LL_CHECK_NULL(tensor_slice(t, 2, 0, 1, 1), "slice of dim 2 of a 2-D");
    LL_CHECK_NULL(tensor_slice(t, -1, 0, 1, 1), "slice of dim -1");
    tensor_free(rows);
    tensor_free(v);
    tensor_free(t);

    /* the data pointer moves by start elements of the tensor's dtype */
    int8_t q[12] = {0};
    const size_t qs[2] = {3, 4};
    tensor *qt = tensor_from_data(DTYPE_I8, 2, qs, q);
    LL_CHECK_NOT_NULL(qt, "tensor_from_data(I8, 2, {3,4})");
    tensor *qv = tensor_slice(qt, 0, 1, 3, 1);
    LL_CHECK_NOT_NULL(qv, "tensor_slice(i8 (3,4), dim 0, 1, 3, 1)");
    LL_CHECK_PTR_EQ(qv->data, q + 4,
                    "i8 rows 1:3: data should point at q + 4 (4 bytes on)");
    tensor_free(qv);
    tensor_free(qt);

    /* seeded: a slice of any dimension, any dtype, start <= stop, step 1-4 */
    int nd;
    size_t s[4];
    const tensor_dtype dt = random_setup(&nd, s, 1, 4, 6);
    const int dim = (int)ll_rand_int(0, nd - 1);
    const size_t start = (size_t)ll_rand_int(0, (long long)s[dim] - 1);
    const size_t stop =
        (size_t)ll_rand_int((long long)start + 1, (long long)s[dim]);
    const size_t step = (size_t)ll_rand_int(1, 4);
    tensor *p = random_tensor(dt, nd, s);
    char sh[64], what[160];
    snprintf(what, sizeof what, "tensor_slice(%s %s, dim %d, %zu, %zu, %zu)",
             dtype_name(dt), shape_str(sh, sizeof sh, nd, s), dim, start, stop,
             step);
    v = tensor_slice(p, dim, start, stop, step);
    LL_CHECK_NOT_NULL(v, what);
    view_spec spec;
    LL_ORACLE
    {
        spec_of_parent(nd, s, &spec);
        spec.base = (ptrdiff_t)start * spec.strides[dim];
        spec.shape[dim] = 0;
        for (size_t i = start; i < stop; i += step)
            spec.shape[dim]++;
        spec.strides[dim] *= (ptrdiff_t)step;
    }
    check_view(v, p, nd, &spec, what);
    tensor_free(v);
    tensor_free(p);
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
    LL_CHECK(!v->owns_data, "permute: owns_data should be false");
    /* v[a][b][c] = t[b][c][a] = 12b + 4c + a */
    const size_t idx[3] = {3, 1, 2};
    LL_CHECK_FLOAT_NEAR(tensor_get(v, idx), 12 + 8 + 3, 0.0,
                        "permuted[3][1][2] (= t[1][2][3])");
    const int dup[3] = {0, 0, 1}, big[3] = {0, 1, 3}, neg[3] = {-1, 0, 1};
    LL_CHECK_NULL(tensor_permute(t, dup), "tensor_permute with {0,0,1}");
    LL_CHECK_NULL(tensor_permute(t, big), "tensor_permute with {0,1,3}");
    LL_CHECK_NULL(tensor_permute(t, neg), "tensor_permute with {-1,0,1}");
    tensor_free(v);
    tensor_free(t);

    /* seeded: any permutation of a 1-d to 4-d tensor */
    int nd;
    size_t s[4];
    const tensor_dtype dt = random_setup(&nd, s, 1, 4, 5);
    size_t order[4];
    ll_rand_permutation(order, (size_t)nd);
    int pm[4];
    for (int d = 0; d < nd; d++)
        pm[d] = (int)order[d];
    tensor *p = random_tensor(dt, nd, s);
    char sh[64], what[160];
    int len = snprintf(what, sizeof what, "tensor_permute(%s %s, {",
                       dtype_name(dt), shape_str(sh, sizeof sh, nd, s));
    for (int d = 0; d < nd; d++)
        len += snprintf(what + len, sizeof what - (size_t)len, "%s%d",
                        d ? "," : "", pm[d]);
    snprintf(what + len, sizeof what - (size_t)len, "})");
    v = tensor_permute(p, pm);
    LL_CHECK_NOT_NULL(v, what);
    view_spec spec;
    LL_ORACLE
    {
        view_spec parent;
        spec_of_parent(nd, s, &parent);
        spec.base = 0;
        for (int d = 0; d < nd; d++) {
            spec.shape[d] = parent.shape[pm[d]];
            spec.strides[d] = parent.strides[pm[d]];
        }
    }
    check_view(v, p, nd, &spec, what);
    tensor_free(v);
    tensor_free(p);
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
    const size_t s5[5] = {2, 3, 4, 1, 1};
    LL_CHECK_NULL(tensor_reshape(t, 5, s5), "reshape to 5 dimensions (max 4)");
    LL_CHECK_NULL(tensor_reshape(t, -1, s5), "reshape to ndim -1");
    tensor *tr = tensor_transpose(r, 0, 1);
    LL_CHECK_NOT_NULL(tr, "tensor_transpose of the (6,4)");
    const size_t s24[1] = {24};
    LL_CHECK_NULL(tensor_reshape(tr, 1, s24),
                  "reshape of a transposed (non-contiguous) view");
    tensor *cols = tensor_slice(r, 1, 0, 4, 2);
    LL_CHECK_NOT_NULL(cols, "tensor_slice of the (6,4), dim 1, 0, 4, 2");
    const size_t s12[1] = {12};
    LL_CHECK_NULL(tensor_reshape(cols, 1, s12),
                  "reshape of every other column (last stride 2)");
    tensor_free(cols);
    tensor_free(tr);
    tensor_free(r);
    tensor_free(t);

    /* one element to a scalar (ndim 0) */
    const size_t one[2] = {1, 1};
    tensor *u = iota(2, one);
    tensor *sc = tensor_reshape(u, 0, NULL);
    LL_CHECK_NOT_NULL(sc, "tensor_reshape of a (1,1) to a scalar (ndim 0)");
    LL_CHECK_INT_EQ(sc->ndim, 0, "reshape (1,1) -> scalar: ndim");
    tensor_free(sc);
    tensor_free(u);

    /* seeded: a row block of a 2-d to 4-d tensor (contiguous, data moved)
     * flattened to 1-d and split into 2-d */
    int nd;
    size_t s[4];
    const tensor_dtype dt = random_setup(&nd, s, 2, 4, 5);
    s[0] = (size_t)ll_rand_int(2, 5);
    const size_t r0 = (size_t)ll_rand_int(0, (long long)s[0] - 2);
    const size_t r1 = (size_t)ll_rand_int((long long)r0 + 1, (long long)s[0]);
    tensor *p = random_tensor(dt, nd, s);
    tensor *rowblk = tensor_slice(p, 0, r0, r1, 1);
    LL_CHECK_NOT_NULL(rowblk, "tensor_slice (rows) in the test setup");
    size_t inner = 1;
    for (int d = 1; d < nd; d++)
        inner *= s[d];
    const size_t flat[1] = {(r1 - r0) * inner};
    const size_t split[2] = {r1 - r0, inner};
    char sh[64], what[200];
    shape_str(sh, sizeof sh, nd, s);
    for (int k = 0; k < 2; k++) {
        const int nnd = k == 0 ? 1 : 2;
        const size_t *ns = k == 0 ? flat : split;
        char nsh[64];
        snprintf(what, sizeof what,
                 "tensor_reshape(rows %zu:%zu of %s %s, to %s)", r0, r1,
                 dtype_name(dt), sh, shape_str(nsh, sizeof nsh, nnd, ns));
        tensor *rv = tensor_reshape(rowblk, nnd, ns);
        LL_CHECK_NOT_NULL(rv, what);
        view_spec spec;
        LL_ORACLE
        {
            spec_of_parent(nnd, ns, &spec);
            spec.base = (ptrdiff_t)(r0 * inner);
        }
        check_view(rv, p, nnd, &spec, what);
        tensor_free(rv);
    }
    tensor_free(rowblk);
    tensor_free(p);
}

LL_TEST(views, is_contiguous_ignores_size_one_dimensions)
{
    const size_t shape[2] = {4, 5};
    tensor *t = iota(2, shape);
    tensor *row = tensor_slice(t, 0, 2, 3, 1); /* (1,5), strides (5,1) */
    LL_CHECK_NOT_NULL(row, "tensor_slice(t, dim 0, 2, 3, 1) of a (4,5)");
    LL_CHECK(tensor_is_contiguous(row), "one row of a (4,5) is contiguous");
    tensor *col = tensor_slice(t, 1, 2, 3, 1); /* (4,1), strides (5,1) */
    LL_CHECK_NOT_NULL(col, "tensor_slice(t, dim 1, 2, 3, 1) of a (4,5)");
    LL_CHECK(!tensor_is_contiguous(col),
             "one column of a (4,5) (strides (5,1)) is not contiguous");
    tensor *every2 = tensor_slice(t, 0, 0, 4, 2); /* (2,5), strides (10,1) */
    LL_CHECK_NOT_NULL(every2, "tensor_slice(t, dim 0, 0, 4, 2) of a (4,5)");
    LL_CHECK(!tensor_is_contiguous(every2),
             "every other row of a (4,5) (strides (10,1)) is not contiguous");
    tensor *rowT = tensor_transpose(row, 0, 1); /* (5,1), strides (1,5) */
    LL_CHECK_NOT_NULL(rowT, "tensor_transpose of one row of a (4,5)");
    LL_CHECK(tensor_is_contiguous(rowT),
             "the transpose of one row, shape (5,1) with strides (1,5), is "
             "contiguous (the size-1 dimension's stride does not matter)");
    tensor_free(rowT);
    tensor *sc = tensor_zeros(DTYPE_F32, 0, NULL);
    LL_CHECK_NOT_NULL(sc, "tensor_zeros(F32, 0, NULL) in the test setup");
    LL_CHECK(tensor_is_contiguous(sc), "a scalar is contiguous");
    tensor_free(sc);
    tensor_free(every2);
    tensor_free(col);
    tensor_free(row);
    tensor_free(t);

    /* seeded: a (a,1,b,1) tensor whose size-1 dimensions have odd strides
     * is contiguous; with a gap after each row of b, it is not */
    const size_t a = (size_t)ll_rand_int(2, 5), b = (size_t)ll_rand_int(2, 5);
    const ptrdiff_t junk = (ptrdiff_t)ll_rand_int(2, 1000);
    const ptrdiff_t gap = (ptrdiff_t)ll_rand_int(0, 1);
    const size_t s4[4] = {a, 1, b, 1};
    float *buf = ll_alloc((a * (b + 1)) * sizeof *buf);
    ll_rand_floats(buf, a * (b + 1), -1.0f, 1.0f);
    tensor *u = tensor_from_data(DTYPE_F32, 4, s4, buf);
    LL_CHECK_NOT_NULL(u, "tensor_from_data(F32, 4, ...) in the test setup");
    u->strides[0] = (ptrdiff_t)b + gap;
    u->strides[1] = junk;
    u->strides[2] = 1;
    u->strides[3] = -junk;
    char what[200];
    snprintf(what, sizeof what,
             "tensor_is_contiguous(shape (%zu,1,%zu,1), strides "
             "(%td,%td,1,%td))",
             a, b, u->strides[0], junk, -junk);
    LL_CHECK_INT_EQ(tensor_is_contiguous(u), gap == 0, what);

    /* reshape goes by contiguity too, and keeps the elements in order */
    const size_t flat[1] = {a * b};
    tensor *f = tensor_reshape(u, 1, flat);
    snprintf(what, sizeof what,
             "tensor_reshape(shape (%zu,1,%zu,1), strides (%td,%td,1,%td) to "
             "(%zu)) is NULL",
             a, b, u->strides[0], junk, -junk, a * b);
    LL_CHECK_INT_EQ(f == NULL, gap != 0, what);
    if (f != NULL) {
        float *want = ll_alloc(a * b * sizeof *want);
        LL_ORACLE
        {
            memcpy(want, buf, a * b * sizeof *want);
        }
        snprintf(what, sizeof what,
                 "tensor_reshape of a contiguous (%zu,1,%zu,1) to (%zu): the "
                 "elements",
                 a, b, a * b);
        LL_CHECK_FLOATS_NEAR(f->data, want, a * b, 0.0f, 0.0f, what);
        free(want);
    }
    tensor_free(f);
    tensor_free(u);
    free(buf);
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

    /* a scalar copies its one element */
    tensor *s0 = tensor_zeros(DTYPE_F32, 0, NULL);
    LL_CHECK_NOT_NULL(s0, "tensor_zeros(F32, 0, NULL) in the test setup");
    const float sv = ll_rand_float(-10.0f, 10.0f);
    *(float *)s0->data = sv;
    tensor *s1 = tensor_contiguous(s0);
    LL_CHECK_NOT_NULL(s1, "tensor_contiguous of a scalar");
    LL_CHECK_INT_EQ(s1->ndim, 0, "tensor_contiguous of a scalar: ndim");
    LL_CHECK_FLOAT_NEAR(*(const float *)s1->data, sv, 0.0,
                        "tensor_contiguous of a scalar: its value");
    tensor_free(s1);
    tensor_free(s0);

    /* seeded: a permuted, sliced view of any dtype, copied */
    int nd;
    size_t s[4];
    const tensor_dtype dt = random_setup(&nd, s, 2, 4, 5);
    s[nd - 1] = (size_t)ll_rand_int(3, 6);
    tensor *p = random_tensor(dt, nd, s);
    const size_t step = (size_t)ll_rand_int(2, 3);
    tensor *sl = tensor_slice(p, nd - 1, 1, s[nd - 1], step);
    LL_CHECK_NOT_NULL(sl, "tensor_slice in the test setup");
    tensor *pv = tensor_transpose(sl, 0, nd - 1);
    LL_CHECK_NOT_NULL(pv, "tensor_transpose in the test setup");
    char sh[64], what[200];
    snprintf(what, sizeof what,
             "tensor_contiguous(%s %s sliced 1:%zu:%zu along dim %d, then "
             "dims 0 and %d swapped)",
             dtype_name(dt), shape_str(sh, sizeof sh, nd, s), s[nd - 1], step,
             nd - 1, nd - 1);
    tensor *pc = tensor_contiguous(pv);
    LL_CHECK_NOT_NULL(pc, what);
    LL_CHECK(pc->owns_data, "tensor_contiguous: owns_data should be true");
    LL_CHECK_INT_EQ(pc->dtype, dt, "tensor_contiguous: dtype");
    view_spec spec;
    LL_ORACLE
    {
        spec_of_parent(nd, pv->shape, &spec);
    }
    char w[300];
    for (int d = 0; d < nd; d++) {
        snprintf(w, sizeof w, "%s: shape[%d]", what, d);
        LL_CHECK_UINT_EQ(pc->shape[d], pv->shape[d], w);
        snprintf(w, sizeof w, "%s: strides[%d] (row-major)", what, d);
        LL_CHECK_INT_EQ(pc->strides[d], spec.strides[d], w);
    }
    const size_t n = product(nd, pv->shape);
    float *got = ll_alloc(n * sizeof *got),
          *want2 = ll_alloc(n * sizeof *want2);
    for (size_t i = 0; i < n; i++)
        got[i] = read_elem(dt, pc->data, (ptrdiff_t)i);
    LL_ORACLE
    {
        gather(dt, pv->data, nd, pv->shape, pv->strides, want2);
    }
    snprintf(w, sizeof w, "%s: the buffer (element [i] is the i-th index)",
             what);
    LL_CHECK_FLOATS_NEAR(got, want2, n, 0.0f, 0.0f, w);
    free(want2);
    free(got);
    tensor_free(pc);
    tensor_free(pv);
    tensor_free(sl);
    tensor_free(p);
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
    LL_ORACLE
    {
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 2; k++)
                    want[i * 4 + j * 2 + k] =
                        (float)(k * 12 + (1 + j) * 4 + (1 + 2 * i));
    }
    LL_CHECK_FLOATS_NEAR((const float *)d->data, want, 8, 0.0f, 0.0f,
                         "contiguous(t.transpose(0,2)[1:4:2, 1:3, :])");
    tensor_free(d);
    tensor_free(c);
    tensor_free(b);
    tensor_free(a);
    tensor_free(t);

    /* the same chain over seeded values and a seeded (x,3,y) shape: the
     * view of the view starts in the middle of the buffer */
    const size_t x = (size_t)ll_rand_int(2, 4), y = (size_t)ll_rand_int(3, 6);
    const size_t s3[3] = {x, 3, y};
    const tensor_dtype dt = (tensor_dtype)ll_rand_int(DTYPE_F32, DTYPE_I8);
    tensor *p = random_tensor(dt, 3, s3);
    tensor *pa = tensor_transpose(p, 0, 2); /* (y,3,x) */
    LL_CHECK_NOT_NULL(pa, "tensor_transpose(t, 0, 2)");
    tensor *pb = tensor_slice(pa, 1, 1, 3, 1); /* (y,2,x) */
    LL_CHECK_NOT_NULL(pb, "tensor_slice of the transpose");
    tensor *pc = tensor_slice(pb, 0, 1, y, 2); /* rows 1, 3, ... of pa */
    char sh[64], what[200];
    snprintf(what, sizeof what, "%s %s .transpose(0,2)[1:%zu:2, 1:3, :]",
             dtype_name(dt), shape_str(sh, sizeof sh, 3, s3), y);
    LL_CHECK_NOT_NULL(pc, what);
    view_spec spec;
    LL_ORACLE
    {
        view_spec ps;
        spec_of_parent(3, s3, &ps);
        spec.shape[0] = y / 2; /* 1, 3, ... below y */
        spec.shape[1] = 2;
        spec.shape[2] = x;
        spec.strides[0] = 2 * ps.strides[2];
        spec.strides[1] = ps.strides[1];
        spec.strides[2] = ps.strides[0];
        spec.base = ps.strides[2] + ps.strides[1];
    }
    check_view(pc, p, 3, &spec, what);
    tensor_free(pc);
    tensor_free(pb);
    tensor_free(pa);
    tensor_free(p);
}

/* Tests for 11_broadcast. Students: read them, do not edit them.
 *
 * Besides the fixed cases, each test draws shapes, layouts and values of
 * its own from the grader's seeded generator (ll_rand_*): when it grades,
 * the grader may pick others than the ones you see. Sums and products are
 * compared exactly: each output element is one float addition or
 * multiplication of two input elements, which has one correctly rounded
 * result (even computed in double and rounded back), so any difference
 * means the wrong elements were combined.
 *
 * Where an output dimension has size 1, the stride broadcast_strides gives
 * it is not checked: only index 0 exists, so it never matters. */
#include "broadcast.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

static size_t product(int nd, const size_t *s)
{
    size_t n = 1;
    for (int d = 0; d < nd; d++)
        n *= s[d];
    return n;
}

/* Checks broadcast_shape(a, b): returns 0 and gives want (ndw dims). */
static void check_bshape(int nda, const size_t *a, int ndb, const size_t *b,
                         int ndw, const size_t *want)
{
    char sa[64], sb[64], what[200], err[128] = "";
    int nd = -1;
    size_t got[TENSOR_MAX_DIMS] = {0};
    const int rc = broadcast_shape(nda, a, ndb, b, &nd, got, err, sizeof err);
    shape_str(sa, sizeof sa, nda, a);
    shape_str(sb, sizeof sb, ndb, b);
    snprintf(what, sizeof what, "broadcast_shape %s with %s: return value", sa,
             sb);
    LL_CHECK_INT_EQ(rc, 0, what);
    snprintf(what, sizeof what, "broadcast_shape %s with %s: *out_ndim", sa,
             sb);
    LL_CHECK_INT_EQ(nd, ndw, what);
    for (int d = 0; d < ndw; d++) {
        snprintf(what, sizeof what, "broadcast_shape %s with %s: out_shape[%d]",
                 sa, sb, d);
        LL_CHECK_UINT_EQ(got[d], want[d], what);
    }
}

/* The oracle's broadcast shape of compatible shapes (sizes >= 1). */
static void oracle_shape(int nda, const size_t *a, int ndb, const size_t *b,
                         size_t *out)
{
    const int nd = nda > ndb ? nda : ndb;
    for (int k = 1; k <= nd; k++) {
        const size_t sa = k <= nda ? a[nda - k] : 1;
        const size_t sb = k <= ndb ? b[ndb - k] : 1;
        out[nd - k] = sa > sb ? sa : sb;
    }
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
    check_bshape(0, NULL, 0, NULL, 0, NULL);

    /* seeded: an output shape of 1-4 dims; each input drops some leading
     * dims and has 1 in some others */
    const int nd = (int)ll_rand_int(1, 4);
    size_t full[4], a[4], b[4], want[4];
    for (int d = 0; d < nd; d++)
        full[d] = (size_t)ll_rand_int(2, 6);
    const int nda = (int)ll_rand_int(0, nd), ndb = (int)ll_rand_int(0, nd);
    for (int d = 0; d < nda; d++)
        a[d] = ll_rand_int(0, 2) ? full[nd - nda + d] : 1;
    for (int d = 0; d < ndb; d++)
        b[d] = ll_rand_int(0, 2) ? full[nd - ndb + d] : 1;
    const int ndw = nda > ndb ? nda : ndb; /* the header's definition */
    LL_ORACLE
    {
        oracle_shape(nda, a, ndb, b, want);
    }
    check_bshape(nda, a, ndb, b, ndw, want);
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

    /* seeded: a clash in a seeded dimension; the message names both sizes
     * and fits in errcap */
    const int ndim = (int)ll_rand_int(1, 4), at = (int)ll_rand_int(0, ndim - 1);
    size_t x[4], y[4];
    for (int d = 0; d < ndim; d++)
        x[d] = y[d] = (size_t)ll_rand_int(1, 9);
    x[at] = (size_t)ll_rand_int(2, 9);
    y[at] = x[at] + (size_t)ll_rand_int(1, 90);
    char sx[64], sy[64], what[300];
    shape_str(sx, sizeof sx, ndim, x);
    shape_str(sy, sizeof sy, ndim, y);
    memset(err, 0, sizeof err);
    rc = broadcast_shape(ndim, x, ndim, y, &nd, out, err, sizeof err);
    snprintf(what, sizeof what, "broadcast_shape %s with %s (%zu vs %zu)", sx,
             sy, x[at], y[at]);
    LL_CHECK_INT_EQ(rc, -1, what);
    char nx[24], ny[24];
    snprintf(nx, sizeof nx, "%zu", x[at]);
    snprintf(ny, sizeof ny, "%zu", y[at]);
    LL_CHECK(strstr(err, "incompatible") != NULL && strstr(err, nx) != NULL &&
                 strstr(err, ny) != NULL,
             "error message for %s with %s: expected it to contain "
             "\"incompatible\", \"%s\" and \"%s\", got \"%s\"",
             sx, sy, nx, ny, err);
    const size_t cap = 8;
    char *small = ll_alloc(cap); /* AddressSanitizer sees a write past it */
    memset(small, 'x', cap);
    rc = broadcast_shape(ndim, x, ndim, y, &nd, out, small, cap);
    snprintf(what, sizeof what, "broadcast_shape %s with %s, errcap 8", sx, sy);
    LL_CHECK_INT_EQ(rc, -1, what);
    LL_CHECK(memchr(small, '\0', cap) != NULL,
             "broadcast_shape with errcap 8: the message must be cut to fit "
             "and NUL-terminated within 8 bytes");
    free(small);
    /* with a 1 in place of one clashing size, they broadcast */
    y[at] = 1;
    size_t want[4];
    LL_ORACLE
    {
        oracle_shape(ndim, x, ndim, y, want);
    }
    check_bshape(ndim, x, ndim, y, ndim, want);

    float xs[6] = {0}, ys[2] = {0};
    tensor *a = tensor_from_data(DTYPE_F32, 2, s23, xs);
    tensor *b = tensor_from_data(DTYPE_F32, 1, s2, ys);
    LL_CHECK(a && b, "tensor_from_data (09_tensor) in the test setup");
    tensor *c = tensor_add(a, b);
    LL_CHECK_NULL(c, "tensor_add of (2,3) and (2,)");
    tensor_free(c);
    c = tensor_mul(b, a);
    LL_CHECK_NULL(c, "tensor_mul of (2,) and (2,3)");
    tensor_free(c);
    int8_t q[3] = {1, 2, 3};
    const size_t s3[1] = {3};
    tensor *qi = tensor_from_data(DTYPE_I8, 1, s3, q);
    LL_CHECK_NOT_NULL(qi, "tensor_from_data(I8) in the test setup");
    c = tensor_mul(a, qi);
    LL_CHECK_NULL(c, "tensor_mul of an F32 and an I8 tensor");
    tensor_free(c);
    c = tensor_add(qi, a);
    LL_CHECK_NULL(c, "tensor_add of an I8 and an F32 tensor");
    tensor_free(c);
    tensor_free(qi);
    tensor_free(b);
    tensor_free(a);
}

/* Checks broadcast_strides(t -> out): returns 0 and gives want, except
 * where the output size is 1. */
static void check_bstrides(const tensor *t, int nd, const size_t *out,
                           const ptrdiff_t *want, const char *desc)
{
    ptrdiff_t st[TENSOR_MAX_DIMS] = {-9, -9, -9, -9};
    char so[64], what[200];
    shape_str(so, sizeof so, nd, out);
    snprintf(what, sizeof what, "broadcast_strides of %s to %s", desc, so);
    LL_CHECK_INT_EQ(broadcast_strides(t, nd, out, st), 0, what);
    for (int d = 0; d < nd; d++) {
        if (out[d] == 1)
            continue;
        snprintf(what, sizeof what, "broadcast_strides of %s to %s: [%d]", desc,
                 so, d);
        LL_CHECK_INT_EQ(st[d], want[d], what);
    }
}

LL_TEST(broadcast, broadcast_strides_use_zero)
{
    float x[64] = {0};
    const size_t s31[2] = {3, 1}, s3[1] = {3}, s234[3] = {2, 3, 4};
    tensor *t = tensor_from_data(DTYPE_F32, 2, s31, x);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    const ptrdiff_t w010[3] = {0, 1, 0};
    check_bstrides(t, 3, s234, w010, "a (3,1)");
    tensor_free(t);

    t = tensor_from_data(DTYPE_F32, 1, s3, x);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    t->strides[0] = 2; /* a strided view: its stride must be kept */
    const size_t s53[2] = {5, 3};
    const ptrdiff_t w02[2] = {0, 2};
    check_bstrides(t, 2, s53, w02, "a (3,) with stride 2");
    ptrdiff_t st[4];
    const size_t s52[2] = {5, 2};
    LL_CHECK_INT_EQ(broadcast_strides(t, 2, s52, st), -1,
                    "broadcast_strides of a (3,) to (5,2)");
    tensor_free(t);

    const size_t s23[2] = {2, 3};
    t = tensor_from_data(DTYPE_F32, 2, s23, x);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    LL_CHECK_INT_EQ(broadcast_strides(t, 1, s3, st), -1,
                    "broadcast_strides of a (2,3) to (3,) (fewer dims)");
    tensor_free(t);

    /* seeded: a view with seeded strides and some size-1 dims, read as a
     * seeded larger shape */
    const int nd = (int)ll_rand_int(2, 4), tnd = (int)ll_rand_int(1, nd);
    size_t out[4], ts[4];
    for (int d = 0; d < nd; d++)
        out[d] = (size_t)ll_rand_int(2, 5);
    for (int d = 0; d < tnd; d++)
        ts[d] = ll_rand_int(0, 1) ? out[nd - tnd + d] : 1;
    t = tensor_from_data(DTYPE_F32, tnd, ts, x);
    LL_CHECK_NOT_NULL(t, "tensor_from_data (09_tensor) in the test setup");
    for (int d = 0; d < tnd; d++)
        t->strides[d] = (ptrdiff_t)ll_rand_int(1, 7);
    char sh[64], desc[160];
    size_t len = (size_t)snprintf(desc, sizeof desc, "a %s with strides (",
                                  shape_str(sh, sizeof sh, tnd, ts));
    for (int d = 0; d < tnd; d++)
        len += (size_t)snprintf(desc + len, sizeof desc - len, "%s%td",
                                d ? "," : "", t->strides[d]);
    snprintf(desc + len, sizeof desc - len, ")");
    ptrdiff_t want[4];
    LL_ORACLE
    {
        for (int d = 0; d < nd; d++) {
            const int td = d - (nd - tnd);
            want[d] = td < 0 || ts[td] == 1 ? 0 : t->strides[td];
        }
    }
    check_bstrides(t, nd, out, want, desc);
    tensor_free(t);
}

/* A seeded input for tensor_add/tensor_mul: shape s (nd dims) in a seeded
 * layout over its own buffer: row-major, column-major (like a transpose)
 * or row-major with a gap after each row. Unused buffer slots hold NaN, so
 * reading one poisons the result. */
typedef struct input {
    tensor *t;
    float *buf;
    const char *layout;
} input;

static input make_input(int nd, const size_t *s)
{
    input in;
    ptrdiff_t st[TENSOR_MAX_DIMS];
    const int layout = nd >= 2 ? (int)ll_rand_int(0, 2) : 0;
    const ptrdiff_t gap = layout == 2 ? (ptrdiff_t)ll_rand_int(1, 3) : 0;
    ptrdiff_t stride = 1;
    if (layout == 1) {
        for (int d = 0; d < nd; d++) {
            st[d] = stride;
            stride *= (ptrdiff_t)s[d];
        }
    } else {
        for (int d = nd - 1; d >= 0; d--) {
            st[d] = stride;
            stride *= (ptrdiff_t)s[d] + (d == nd - 1 ? gap : 0);
        }
    }
    const size_t slots = (size_t)stride; /* the span of the buffer */
    in.buf = ll_alloc(slots * sizeof *in.buf);
    for (size_t i = 0; i < slots; i++)
        in.buf[i] = NAN;
    size_t idx[TENSOR_MAX_DIMS] = {0};
    for (size_t k = 0; k < product(nd, s); k++) {
        ptrdiff_t off = 0;
        for (int d = 0; d < nd; d++)
            off += (ptrdiff_t)idx[d] * st[d];
        in.buf[off] = ll_rand_float(-8.0f, 8.0f);
        for (int d = nd - 1; d >= 0; d--) {
            if (++idx[d] < s[d])
                break;
            idx[d] = 0;
        }
    }
    in.t = tensor_from_data(DTYPE_F32, nd, s, in.buf);
    LL_CHECK_NOT_NULL(in.t, "tensor_from_data (09_tensor) in the test setup");
    for (int d = 0; d < nd; d++)
        in.t->strides[d] = st[d];
    in.layout = layout == 0   ? "row-major"
                : layout == 1 ? "column-major"
                              : "rows with gaps";
    return in;
}

static void free_input(input in)
{
    tensor_free(in.t);
    free(in.buf);
}

/* Oracle: element idx (nd dims of the output) of input t, broadcast. */
static float oracle_elem(const tensor *t, int nd, const size_t *idx)
{
    ptrdiff_t off = 0;
    for (int d = 0; d < t->ndim; d++) {
        const size_t i = t->shape[d] == 1 ? 0 : idx[nd - t->ndim + d];
        off += (ptrdiff_t)i * t->strides[d];
    }
    return ((const float *)t->data)[off];
}

/* tensor_add (mul false) or tensor_mul of two seeded inputs with shapes
 * sa and sb, checked against the oracle: the output's header and every
 * element. */
static void check_op(bool mul, int nda, const size_t *sa, int ndb,
                     const size_t *sb)
{
    input a = make_input(nda, sa), b = make_input(ndb, sb);
    char ha[64], hb[64], what[300], w[400];
    snprintf(what, sizeof what, "%s(%s %s, %s %s)",
             mul ? "tensor_mul" : "tensor_add",
             shape_str(ha, sizeof ha, nda, sa), a.layout,
             shape_str(hb, sizeof hb, ndb, sb), b.layout);
    tensor *c = mul ? tensor_mul(a.t, b.t) : tensor_add(a.t, b.t);
    LL_CHECK_NOT_NULL(c, what);
    size_t ws[TENSOR_MAX_DIMS];
    const int wnd = nda > ndb ? nda : ndb; /* the header's definition */
    LL_ORACLE
    {
        oracle_shape(nda, sa, ndb, sb, ws);
    }
    snprintf(w, sizeof w, "%s: ndim", what);
    LL_CHECK_INT_EQ(c->ndim, wnd, w);
    for (int d = 0; d < wnd; d++) {
        snprintf(w, sizeof w, "%s: shape[%d]", what, d);
        LL_CHECK_UINT_EQ(c->shape[d], ws[d], w);
    }
    snprintf(w, sizeof w, "%s: a new F32 tensor that owns its data", what);
    LL_CHECK(c->owns_data && c->dtype == DTYPE_F32, "%s", w);
    const size_t n = product(c->ndim, c->shape);
    float *want = ll_alloc(n * sizeof *want);
    LL_ORACLE
    {
        size_t idx[TENSOR_MAX_DIMS] = {0};
        for (size_t k = 0; k < n; k++) {
            const float x = oracle_elem(a.t, wnd, idx),
                        y = oracle_elem(b.t, wnd, idx);
            want[k] = mul ? x * y : x + y;
            for (int d = wnd - 1; d >= 0; d--) {
                if (++idx[d] < ws[d])
                    break;
                idx[d] = 0;
            }
        }
    }
    snprintf(w, sizeof w, "%s: the output in row-major order (element [i])",
             what);
    LL_CHECK_FLOATS_NEAR((const float *)c->data, want, n, 0.0f, 0.0f, w);
    free(want);
    tensor_free(c);
    free_input(b);
    free_input(a);
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
    LL_CHECK_INT_EQ(c->ndim, 2, "tensor_add (2,3)+(3,): ndim");
    LL_CHECK_UINT_EQ(c->shape[0], 2, "tensor_add (2,3)+(3,): shape[0]");
    LL_CHECK_UINT_EQ(c->shape[1], 3, "tensor_add (2,3)+(3,): shape[1]");
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

    /* seeded: a (r,c) plus a (c,) and a (c,) plus an (r,c) */
    const size_t r = (size_t)ll_rand_int(2, 6),
                 cols = (size_t)ll_rand_int(2, 6);
    const size_t m[2] = {r, cols}, row[1] = {cols};
    check_op(false, 2, m, 1, row);
    check_op(false, 1, row, 2, m);
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
    LL_CHECK_INT_EQ(c->ndim, 2, "tensor_mul (4,1)*(1,5): ndim");
    LL_CHECK_UINT_EQ(c->shape[0], 4, "tensor_mul (4,1)*(1,5): shape[0]");
    LL_CHECK_UINT_EQ(c->shape[1], 5, "tensor_mul (4,1)*(1,5): shape[1]");
    const float want[20] = {1, -1, 0.5f, 10, 0, 2, -2, 1, 20, 0,
                            3, -3, 1.5f, 30, 0, 4, -4, 2, 40, 0};
    LL_CHECK_FLOATS_NEAR((const float *)c->data, want, 20, 0.0f, 0.0f,
                         "outer product [1,2,3,4]^T * [1,-1,0.5,10,0]");
    tensor_free(c);
    tensor_free(b);
    tensor_free(a);

    /* seeded: a column times a row, then (8,1,6,1)-like 4-d shapes */
    const size_t p = (size_t)ll_rand_int(2, 6), q = (size_t)ll_rand_int(2, 6);
    const size_t col[2] = {p, 1}, rw[2] = {1, q};
    check_op(true, 2, col, 2, rw);
    const size_t s4[4] = {(size_t)ll_rand_int(2, 4), 1,
                          (size_t)ll_rand_int(2, 4), 1};
    const size_t s3[3] = {(size_t)ll_rand_int(2, 4), 1,
                          (size_t)ll_rand_int(2, 4)};
    check_op(true, 4, s4, 3, s3);
    check_op(false, 3, s3, 4, s4);
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
    LL_CHECK_INT_EQ(d->ndim, 2, "scalar * (3,2): ndim");
    LL_CHECK_UINT_EQ(d->shape[0], 3, "scalar * (3,2): shape[0]");
    LL_CHECK_UINT_EQ(d->shape[1], 2, "scalar * (3,2): shape[1]");
    const float want2[6] = {20, 206, 22, 208, 24, 210};
    LL_CHECK_FLOATS_NEAR((const float *)d->data, want2, 6, 0.0f, 0.0f,
                         "2 (a scalar) * the sum above");
    tensor_free(d);
    tensor *e = tensor_add(k, k);
    LL_CHECK_NOT_NULL(e, "tensor_add of two scalars");
    LL_CHECK_INT_EQ(e->ndim, 0, "scalar + scalar: ndim");
    LL_CHECK_FLOAT_NEAR(*(const float *)e->data, 4.0, 0.0, "2 + 2 (scalars)");
    tensor_free(e);
    tensor_free(c);
    tensor_free(k);
    tensor_free(b);
    tensor_free(a);

    /* seeded: views of 1-4 dims with seeded size-1 dims, with a scalar */
    const int nd = (int)ll_rand_int(1, 4);
    size_t sa[4], sb[4];
    for (int i = 0; i < nd; i++) {
        sa[i] = (size_t)ll_rand_int(1, 4);
        sb[i] = ll_rand_int(0, 1) ? sa[i] : 1;
    }
    check_op(ll_rand_int(0, 1), nd, sa, nd, sb);
    check_op(true, 0, NULL, nd, sa);
    check_op(false, nd, sb, 0, NULL);
}

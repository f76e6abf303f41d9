/* 11_broadcast: reference solution. */
#include "broadcast.h"

#include <stdio.h>

int broadcast_shape(int nda, const size_t *a, int ndb, const size_t *b,
                    int *out_ndim, size_t *out_shape, char *err, size_t errcap)
{
    const int nd = nda > ndb ? nda : ndb;
    /* k counts dimensions from the right: -1 is the last one */
    for (int k = 1; k <= nd; k++) {
        const size_t sa = k <= nda ? a[nda - k] : 1;
        const size_t sb = k <= ndb ? b[ndb - k] : 1;
        if (sa != sb && sa != 1 && sb != 1) {
            if (errcap > 0)
                snprintf(err, errcap,
                         "incompatible shapes: %zu vs %zu in dimension -%d", sa,
                         sb, k);
            return -1;
        }
        out_shape[nd - k] = sa == 1 ? sb : sa;
    }
    *out_ndim = nd;
    return 0;
}

int broadcast_strides(const tensor *t, int out_ndim, const size_t *out_shape,
                      ptrdiff_t *out_strides)
{
    if (t->ndim > out_ndim)
        return -1;
    const int lead = out_ndim - t->ndim; /* dimensions t does not have */
    for (int d = 0; d < out_ndim; d++) {
        if (d < lead) {
            out_strides[d] = 0;
            continue;
        }
        const size_t s = t->shape[d - lead];
        if (s == out_shape[d])
            out_strides[d] = s == 1 ? 0 : t->strides[d - lead];
        else if (s == 1)
            out_strides[d] = 0;
        else
            return -1;
    }
    return 0;
}

typedef float (*binop)(float, float);
static float op_add(float x, float y)
{
    return x + y;
}
static float op_mul(float x, float y)
{
    return x * y;
}

static tensor *apply(const tensor *a, const tensor *b, binop op)
{
    if (a->dtype != DTYPE_F32 || b->dtype != DTYPE_F32)
        return NULL;
    int nd;
    size_t shape[TENSOR_MAX_DIMS];
    ptrdiff_t sa[TENSOR_MAX_DIMS], sb[TENSOR_MAX_DIMS];
    if (broadcast_shape(a->ndim, a->shape, b->ndim, b->shape, &nd, shape, NULL,
                        0) != 0 ||
        broadcast_strides(a, nd, shape, sa) != 0 ||
        broadcast_strides(b, nd, shape, sb) != 0)
        return NULL;
    tensor *out = tensor_create(DTYPE_F32, nd, shape);
    if (out == NULL)
        return NULL;
    const float *pa = a->data, *pb = b->data;
    float *po = out->data;
    const size_t n = tensor_numel(out);
    size_t idx[TENSOR_MAX_DIMS] = {0};
    ptrdiff_t oa = 0, ob = 0; /* running offsets into a and b */
    for (size_t k = 0; k < n; k++) {
        po[k] = op(pa[oa], pb[ob]);
        for (int d = nd - 1; d >= 0; d--) { /* odometer step */
            if (++idx[d] < shape[d]) {
                oa += sa[d];
                ob += sb[d];
                break;
            }
            oa -= sa[d] * (ptrdiff_t)(shape[d] - 1);
            ob -= sb[d] * (ptrdiff_t)(shape[d] - 1);
            idx[d] = 0;
        }
    }
    return out;
}

tensor *tensor_add(const tensor *a, const tensor *b)
{
    return apply(a, b, op_add);
}

tensor *tensor_mul(const tensor *a, const tensor *b)
{
    return apply(a, b, op_mul);
}

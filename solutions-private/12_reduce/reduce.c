/* 12_reduce: reference solution (pairwise summation). */
#include "reduce.h"

/* Below this length a plain loop is accurate enough and much faster than
 * recursing further; the error bound grows with log2(n) + PAIRWISE_BASE. */
enum { PAIRWISE_BASE = 8 };

float sum_stable(const float *x, size_t n, ptrdiff_t stride)
{
    if (n <= PAIRWISE_BASE) {
        float s = 0.0f;
        for (size_t i = 0; i < n; i++)
            s += x[(ptrdiff_t)i * stride];
        return s;
    }
    const size_t h = n / 2;
    return sum_stable(x, h, stride) +
           sum_stable(x + (ptrdiff_t)h * stride, n - h, stride);
}

static float reduce_line(const float *x, size_t n, ptrdiff_t stride,
                         reduce_op op)
{
    if (op == REDUCE_MAX) {
        float m = -INFINITY;
        for (size_t i = 0; i < n; i++)
            if (x[(ptrdiff_t)i * stride] > m)
                m = x[(ptrdiff_t)i * stride];
        return m;
    }
    const float s = sum_stable(x, n, stride);
    return op == REDUCE_MEAN ? s / (float)n : s;
}

tensor *tensor_reduce(const tensor *t, int axis, reduce_op op)
{
    if (axis < 0)
        axis += t->ndim;
    if (t->dtype != DTYPE_F32 || axis < 0 || axis >= t->ndim ||
        (op != REDUCE_SUM && op != REDUCE_MAX && op != REDUCE_MEAN))
        return NULL;
    /* the output's dimensions are t's without the axis */
    size_t shape[TENSOR_MAX_DIMS];
    ptrdiff_t strides[TENSOR_MAX_DIMS];
    int nd = 0;
    for (int d = 0; d < t->ndim; d++)
        if (d != axis) {
            shape[nd] = t->shape[d];
            strides[nd++] = t->strides[d];
        }
    tensor *out = tensor_create(DTYPE_F32, nd, shape);
    if (out == NULL)
        return NULL;
    const float *src = t->data;
    float *dst = out->data;
    const size_t n = tensor_numel(out);
    size_t idx[TENSOR_MAX_DIMS] = {0};
    for (size_t k = 0; k < n; k++) {
        ptrdiff_t off = 0;
        for (int d = 0; d < nd; d++)
            off += (ptrdiff_t)idx[d] * strides[d];
        dst[k] = reduce_line(src + off, t->shape[axis], t->strides[axis], op);
        for (int d = nd - 1; d >= 0; d--) { /* odometer step */
            if (++idx[d] < shape[d])
                break;
            idx[d] = 0;
        }
    }
    return out;
}

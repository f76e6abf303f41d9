/* 10_views: reference solution. */
#include "views.h"

#include <stdlib.h>

/* A borrowed copy of t's header: the starting point of every view. */
static tensor *new_view(const tensor *t)
{
    tensor *v = malloc(sizeof *v);
    if (v == NULL)
        return NULL;
    *v = *t;
    v->owns_data = false;
    return v;
}

tensor *tensor_slice(const tensor *t, int dim, size_t start, size_t stop,
                     size_t step)
{
    if (dim < 0 || dim >= t->ndim || step == 0 || start > stop ||
        stop > t->shape[dim])
        return NULL;
    tensor *v = new_view(t);
    if (v == NULL)
        return NULL;
    const ptrdiff_t offset = (ptrdiff_t)start * t->strides[dim];
    v->data = (char *)t->data + offset * (ptrdiff_t)dtype_size(t->dtype);
    v->shape[dim] = (stop - start + step - 1) / step;
    v->strides[dim] = t->strides[dim] * (ptrdiff_t)step;
    return v;
}

tensor *tensor_transpose(const tensor *t, int d0, int d1)
{
    if (d0 < 0 || d0 >= t->ndim || d1 < 0 || d1 >= t->ndim)
        return NULL;
    tensor *v = new_view(t);
    if (v == NULL)
        return NULL;
    v->shape[d0] = t->shape[d1];
    v->shape[d1] = t->shape[d0];
    v->strides[d0] = t->strides[d1];
    v->strides[d1] = t->strides[d0];
    return v;
}

tensor *tensor_permute(const tensor *t, const int *perm)
{
    bool seen[TENSOR_MAX_DIMS] = {false};
    for (int d = 0; d < t->ndim; d++) {
        if (perm[d] < 0 || perm[d] >= t->ndim || seen[perm[d]])
            return NULL;
        seen[perm[d]] = true;
    }
    tensor *v = new_view(t);
    if (v == NULL)
        return NULL;
    for (int d = 0; d < t->ndim; d++) {
        v->shape[d] = t->shape[perm[d]];
        v->strides[d] = t->strides[perm[d]];
    }
    return v;
}

tensor *tensor_reshape(const tensor *t, int ndim, const size_t *shape)
{
    if (ndim < 0 || ndim > TENSOR_MAX_DIMS || !tensor_is_contiguous(t))
        return NULL;
    size_t n = 1;
    for (int d = 0; d < ndim; d++)
        n *= shape[d];
    if (n != tensor_numel(t))
        return NULL;
    tensor *v = new_view(t);
    if (v == NULL)
        return NULL;
    v->ndim = ndim;
    for (int d = 0; d < ndim; d++)
        v->shape[d] = shape[d];
    tensor_row_major_strides(ndim, v->shape, v->strides);
    return v;
}

bool tensor_is_contiguous(const tensor *t)
{
    ptrdiff_t want = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        if (t->shape[d] != 1 && t->strides[d] != want)
            return false;
        want *= (ptrdiff_t)t->shape[d];
    }
    return true;
}

tensor *tensor_contiguous(const tensor *t)
{
    tensor *c = tensor_create(t->dtype, t->ndim, t->shape);
    if (c == NULL)
        return NULL;
    const size_t n = tensor_numel(t), es = dtype_size(t->dtype);
    size_t idx[TENSOR_MAX_DIMS] = {0};
    char *dst = c->data;
    const char *src = t->data;
    for (size_t k = 0; k < n; k++) {
        memcpy(dst + k * es, src + tensor_offset(t, idx) * (ptrdiff_t)es, es);
        /* odometer: bump the last index, carry into earlier ones */
        for (int d = t->ndim - 1; d >= 0; d--) {
            if (++idx[d] < t->shape[d])
                break;
            idx[d] = 0;
        }
    }
    return c;
}

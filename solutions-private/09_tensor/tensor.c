/* 09_tensor: reference solution. */
#include "tensor.h"

#include <stdlib.h>

size_t dtype_size(tensor_dtype dt)
{
    switch (dt) {
    case DTYPE_F32: return 4;
    case DTYPE_F16: return 2;
    case DTYPE_I8: return 1;
    }
    return 0;
}

void tensor_row_major_strides(int ndim, const size_t *shape, ptrdiff_t *strides)
{
    ptrdiff_t s = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        strides[d] = s;
        s *= (ptrdiff_t)shape[d];
    }
}

/* The header shared by create and from_data: validates and fills it. */
static tensor *new_header(tensor_dtype dt, int ndim, const size_t *shape)
{
    if (ndim < 0 || ndim > TENSOR_MAX_DIMS || dtype_size(dt) == 0)
        return NULL;
    tensor *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->dtype = dt;
    t->ndim = ndim;
    for (int d = 0; d < ndim; d++)
        t->shape[d] = shape[d];
    tensor_row_major_strides(ndim, t->shape, t->strides);
    return t;
}

tensor *tensor_create(tensor_dtype dt, int ndim, const size_t *shape)
{
    tensor *t = new_header(dt, ndim, shape);
    if (t == NULL)
        return NULL;
    /* +1 byte: malloc(0) may return NULL, which would look like failure */
    t->data = malloc(tensor_nbytes(t) + 1);
    if (t->data == NULL) {
        free(t);
        return NULL;
    }
    t->owns_data = true;
    return t;
}

tensor *tensor_zeros(tensor_dtype dt, int ndim, const size_t *shape)
{
    tensor *t = tensor_create(dt, ndim, shape);
    if (t != NULL)
        memset(t->data, 0, tensor_nbytes(t));
    return t;
}

tensor *tensor_from_data(tensor_dtype dt, int ndim, const size_t *shape,
                         void *data)
{
    if (data == NULL)
        return NULL;
    tensor *t = new_header(dt, ndim, shape);
    if (t == NULL)
        return NULL;
    t->data = data;
    t->owns_data = false;
    return t;
}

size_t tensor_numel(const tensor *t)
{
    size_t n = 1;
    for (int d = 0; d < t->ndim; d++)
        n *= t->shape[d];
    return n;
}

size_t tensor_nbytes(const tensor *t)
{
    return tensor_numel(t) * dtype_size(t->dtype);
}

ptrdiff_t tensor_offset(const tensor *t, const size_t *idx)
{
    ptrdiff_t off = 0;
    for (int d = 0; d < t->ndim; d++)
        off += (ptrdiff_t)idx[d] * t->strides[d];
    return off;
}

float tensor_get(const tensor *t, const size_t *idx)
{
    const ptrdiff_t off = tensor_offset(t, idx);
    switch (t->dtype) {
    case DTYPE_F32: return ((const float *)t->data)[off];
    case DTYPE_F16: return f16_to_f32(((const uint16_t *)t->data)[off]);
    case DTYPE_I8: return (float)((const int8_t *)t->data)[off];
    }
    return NAN;
}

static int8_t to_i8(float v)
{
    const float r = roundf(v);
    if (isnan(r)) /* no right answer; 0 at least is deterministic */
        return 0;
    if (r < -128.0f)
        return -128;
    if (r > 127.0f)
        return 127;
    return (int8_t)r;
}

void tensor_set(tensor *t, const size_t *idx, float v)
{
    const ptrdiff_t off = tensor_offset(t, idx);
    switch (t->dtype) {
    case DTYPE_F32: ((float *)t->data)[off] = v; break;
    case DTYPE_F16: ((uint16_t *)t->data)[off] = f32_to_f16(v); break;
    case DTYPE_I8: ((int8_t *)t->data)[off] = to_i8(v); break;
    }
}

void tensor_free(tensor *t)
{
    if (t == NULL)
        return;
    if (t->owns_data)
        free(t->data);
    free(t);
}

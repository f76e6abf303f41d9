/* 09_tensor: a tensor header over a buffer. Edit this file until
 * `make check EX=09_tensor` passes.
 *
 * Lecture: lectures/02_tensors.md#the-tensor-struct
 */
#include "tensor.h"

#include <stdlib.h>

size_t dtype_size(tensor_dtype dt)
{
    /* TODO: 4 for DTYPE_F32, 2 for DTYPE_F16, 1 for DTYPE_I8, 0 otherwise. */
    (void)dt;
    return 0;
}

void tensor_row_major_strides(int ndim, const size_t *shape, ptrdiff_t *strides)
{
    /* TODO: walk the dimensions from the last to the first; the last
     * stride is 1. */
    (void)ndim;
    (void)shape;
    (void)strides;
}

tensor *tensor_create(tensor_dtype dt, int ndim, const size_t *shape)
{
    /* TODO: validate ndim and dt, allocate the header (calloc) and the
     * buffer, fill shape and row-major strides, set owns_data.
     * Careful: malloc(0) may return NULL for an empty tensor. */
    (void)dt;
    (void)ndim;
    (void)shape;
    return NULL;
}

tensor *tensor_zeros(tensor_dtype dt, int ndim, const size_t *shape)
{
    /* TODO: tensor_create, then zero the buffer. */
    (void)dt;
    (void)ndim;
    (void)shape;
    return NULL;
}

tensor *tensor_from_data(tensor_dtype dt, int ndim, const size_t *shape,
                         void *data)
{
    /* TODO: like tensor_create, but point at data and do not own it. */
    (void)dt;
    (void)ndim;
    (void)shape;
    (void)data;
    return NULL;
}

size_t tensor_numel(const tensor *t)
{
    /* TODO: the product of the shape; a scalar (ndim 0) has 1 element. */
    (void)t;
    return 0;
}

size_t tensor_nbytes(const tensor *t)
{
    /* TODO */
    (void)t;
    return 0;
}

ptrdiff_t tensor_offset(const tensor *t, const size_t *idx)
{
    /* TODO: sum of idx[d] * strides[d]. Use the strides, never the shape:
     * views (next exercise) have strides that are not row-major. */
    (void)t;
    (void)idx;
    return 0;
}

float tensor_get(const tensor *t, const size_t *idx)
{
    /* TODO: read the element at tensor_offset and convert it to float
     * according to t->dtype (f16_to_f32 is given in tensor.h). */
    (void)t;
    (void)idx;
    return 0.0f;
}

void tensor_set(tensor *t, const size_t *idx, float v)
{
    /* TODO: convert v to t->dtype and store it (see tensor.h for the
     * rounding rules). */
    (void)t;
    (void)idx;
    (void)v;
}

void tensor_free(tensor *t)
{
    /* TODO: free the data only when the tensor owns it, then the header. */
    (void)t;
}

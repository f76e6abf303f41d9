/* 10_views: views that share their parent's data. Edit this file until
 * `make check EX=10_views` passes. Uses your 09_tensor.
 *
 * Lecture: lectures/02_tensors.md#views-share-data
 */
#include "views.h"

#include <stdlib.h>

tensor *tensor_slice(const tensor *t, int dim, size_t start, size_t stop,
                     size_t step)
{
    /* TODO: validate, copy the header (owns_data false), move data by
     * start*strides[dim] ELEMENTS (data is void *: scale by the element
     * size), shrink shape[dim], multiply strides[dim] by step. */
    (void)t;
    (void)dim;
    (void)start;
    (void)stop;
    (void)step;
    return NULL;
}

tensor *tensor_transpose(const tensor *t, int d0, int d1)
{
    /* TODO: a view with shape and strides of d0 and d1 swapped. */
    (void)t;
    (void)d0;
    (void)d1;
    return NULL;
}

tensor *tensor_permute(const tensor *t, const int *perm)
{
    /* TODO: check perm is a permutation, then reorder shape and strides. */
    (void)t;
    (void)perm;
    return NULL;
}

tensor *tensor_reshape(const tensor *t, int ndim, const size_t *shape)
{
    /* TODO: only a contiguous t with the same numel; the view gets the
     * row-major strides of the new shape. */
    (void)t;
    (void)ndim;
    (void)shape;
    return NULL;
}

bool tensor_is_contiguous(const tensor *t)
{
    /* TODO */
    (void)t;
    return false;
}

tensor *tensor_contiguous(const tensor *t)
{
    /* TODO: tensor_create a new tensor with t's dtype and shape, then copy
     * every element in logical (row-major index) order. */
    (void)t;
    return NULL;
}

/* views.h: the interface of exercise 10_views (do not edit).
 *
 * A view is a new tensor header over the SAME elements as its parent:
 * owns_data is false and no element is copied. Free a view with
 * tensor_free (it frees the header only) before its parent's data goes.
 *
 * Lecture: lectures/02_tensors.md#views-share-data
 */
#ifndef VIEWS_H
#define VIEWS_H

#include "tensor.h"

/* Elements start, start+step, ... (< stop) along dimension dim; other
 * dimensions unchanged. New size along dim: ceil((stop - start) / step).
 * NULL when dim is out of range, step is 0, or not
 * start <= stop <= shape[dim]. */
tensor *tensor_slice(const tensor *t, int dim, size_t start, size_t stop,
                     size_t step);

/* Swaps dimensions d0 and d1 (equal is allowed: an identical view).
 * NULL when either is out of range. */
tensor *tensor_transpose(const tensor *t, int d0, int d1);

/* Dimension d of the view is dimension perm[d] of t: new shape[d] =
 * shape[perm[d]], same for strides. perm has t->ndim entries and must be a
 * permutation of 0..ndim-1, else NULL. */
tensor *tensor_permute(const tensor *t, const int *perm);

/* The same elements seen with another shape (same numel), as a view.
 * Only for contiguous tensors: NULL when t is not contiguous, when the
 * element counts differ or when ndim is outside 0..TENSOR_MAX_DIMS. */
tensor *tensor_reshape(const tensor *t, int ndim, const size_t *shape);

/* True when the strides are the row-major strides of the shape, ignoring
 * dimensions of size 1 (their stride never matters). */
bool tensor_is_contiguous(const tensor *t);

/* Always a NEW tensor that owns a row-major copy of t's elements, in t's
 * logical order (any dtype). NULL when out of memory. */
tensor *tensor_contiguous(const tensor *t);

#endif /* VIEWS_H */

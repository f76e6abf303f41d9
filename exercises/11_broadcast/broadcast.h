/* broadcast.h: the interface of exercise 11_broadcast (do not edit).
 *
 * NumPy broadcasting: align the two shapes on the right; two sizes are
 * compatible when they are equal or one of them is 1 (a missing leading
 * dimension counts as 1); the output takes the larger size.
 *
 *   (2,3) with (3,)   -> (2,3)      (4,1) with (1,5) -> (4,5)
 *   (2,3) with (2,)   -> error: 3 vs 2 in the last dimension
 *
 * Lecture: lectures/02_tensors.md#broadcasting
 */
#ifndef BROADCAST_H
#define BROADCAST_H

#include "tensor.h"

/* The broadcast shape of a (nda dims) and b (ndb dims). On success returns
 * 0, sets *out_ndim = max(nda, ndb) and fills out_shape. When the shapes
 * are incompatible returns -1 and, when errcap > 0, writes a NUL-terminated
 * message into err that contains the word "incompatible" and says which
 * sizes clash, e.g. "incompatible shapes: 3 vs 2 in dimension -1". */
int broadcast_shape(int nda, const size_t *a, int ndb, const size_t *b,
                    int *out_ndim, size_t *out_shape, char *err, size_t errcap);

/* Strides that read t as if it had shape out_shape (out_ndim dims): t's own
 * stride where its size equals the output size, 0 where t has size 1 or
 * lacks the dimension (every output index along it reads the same element).
 * Returns 0, or -1 when t cannot be broadcast to out_shape. */
int broadcast_strides(const tensor *t, int out_ndim, const size_t *out_shape,
                      ptrdiff_t *out_strides);

/* Elementwise a + b and a * b with broadcasting: a new, owning, row-major
 * DTYPE_F32 tensor of the broadcast shape. a and b are DTYPE_F32 and may be
 * views (any strides). NULL when the shapes are incompatible or a dtype is
 * not F32. */
tensor *tensor_add(const tensor *a, const tensor *b);
tensor *tensor_mul(const tensor *a, const tensor *b);

#endif /* BROADCAST_H */

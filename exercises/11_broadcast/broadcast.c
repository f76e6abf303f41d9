/* 11_broadcast: elementwise ops with NumPy broadcasting. Edit this file
 * until `make check EX=11_broadcast` passes. Uses your 09_tensor.
 *
 * Lecture: lectures/02_tensors.md#broadcasting
 */
#include "broadcast.h"

#include <stdio.h>

int broadcast_shape(int nda, const size_t *a, int ndb, const size_t *b,
                    int *out_ndim, size_t *out_shape, char *err, size_t errcap)
{
    /* TODO: walk the dimensions from the right; a missing dimension has
     * size 1. On a clash, snprintf a message into err (when errcap > 0)
     * and return -1. */
    (void)nda;
    (void)a;
    (void)ndb;
    (void)b;
    (void)out_ndim;
    (void)out_shape;
    (void)err;
    (void)errcap;
    return -1;
}

int broadcast_strides(const tensor *t, int out_ndim, const size_t *out_shape,
                      ptrdiff_t *out_strides)
{
    /* TODO: t's dimensions line up with the LAST t->ndim output dims. */
    (void)t;
    (void)out_ndim;
    (void)out_shape;
    (void)out_strides;
    return -1;
}

tensor *tensor_add(const tensor *a, const tensor *b)
{
    /* TODO: output shape, both broadcast strides, then one loop over every
     * output element (write a helper shared with tensor_mul). */
    (void)a;
    (void)b;
    return NULL;
}

tensor *tensor_mul(const tensor *a, const tensor *b)
{
    /* TODO */
    (void)a;
    (void)b;
    return NULL;
}

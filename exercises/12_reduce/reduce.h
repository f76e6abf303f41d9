/* reduce.h: the interface of exercise 12_reduce (do not edit).
 *
 * Lecture: lectures/02_tensors.md#stable-summation
 */
#ifndef REDUCE_H
#define REDUCE_H

#include "tensor.h"

/* The sum of x[0], x[stride], ..., x[(n-1)*stride] (stride in elements, may
 * be any positive value), computed so that rounding errors do NOT grow with
 * n the way a plain left-to-right float loop's do: pairwise (recursive
 * halves) or Kahan (compensated) summation. 0 for n == 0. */
float sum_stable(const float *x, size_t n, ptrdiff_t stride);

typedef enum reduce_op {
    REDUCE_SUM = 0,  /* sum_stable along the axis */
    REDUCE_MAX = 1,  /* the largest element (-INFINITY for an empty axis) */
    REDUCE_MEAN = 2, /* the stable sum divided by the axis length */
} reduce_op;

/* Reduces the DTYPE_F32 tensor t along axis (negative counts from the end:
 * -1 is the last). The result is a new, owning, row-major DTYPE_F32 tensor
 * with t's shape minus that axis (a 1-D input gives a 0-D scalar). t may be
 * a view (any strides). NULL when the axis is out of range, t is not F32,
 * or op is unknown. */
tensor *tensor_reduce(const tensor *t, int axis, reduce_op op);

#endif /* REDUCE_H */

/* arrays.h: the interface of exercise 02_arrays (do not edit).
 *
 * A rows x cols matrix is stored row-major in one flat buffer: element
 * (i, j) lives at index i * cols + j. A 3-D array of shape (d0, d1, d2)
 * generalizes this with one stride per dimension.
 */
#ifndef ARRAYS_H
#define ARRAYS_H

#include <stddef.h>

/* Returns the flat index of element (i, j) of a row-major matrix with cols
 * columns (i < rows, j < cols). */
size_t idx2(size_t i, size_t j, size_t cols);

/* Writes the transpose of the rows x cols row-major matrix src into dst,
 * which is cols x rows (row-major): dst(j, i) = src(i, j). src and dst do
 * not overlap; dst has room for exactly rows * cols floats. */
void transpose(const float *src, float *dst, size_t rows, size_t cols);

/* Returns the sum of column j (j < cols) of the rows x cols row-major
 * matrix m, adding from row 0 down to row rows - 1. */
float column_sum(const float *m, size_t rows, size_t cols, size_t j);

/* Fills strides[0..3) with the row-major (C-contiguous) strides, counted in
 * elements, of a 3-D array of shape (d0, d1, d2): moving one step along
 * dimension k moves strides[k] elements in the flat buffer. */
void strides3(size_t d0, size_t d1, size_t d2, size_t strides[3]);

/* Returns the flat index of element (i, j, k) given explicit strides (not
 * necessarily row-major: a transposed view has permuted strides). */
size_t idx3(size_t i, size_t j, size_t k, const size_t strides[3]);

#endif

/* 02_arrays: row-major indexing, transpose, strides.
 * Edit this file until `make check EX=02_arrays` passes.
 *
 * Lecture: lectures/01_c_memory.md#arrays-and-row-major-layout
 */
#include "arrays.h"

size_t idx2(size_t i, size_t j, size_t cols)
{
    /* TODO: how many elements come before row i? Then add j. */
    (void)i;
    (void)cols;
    return j;
}

void transpose(const float *src, float *dst, size_t rows, size_t cols)
{
    /* TODO: for every (i, j) of src, write it to (j, i) of dst. Careful:
     * dst has `rows` columns. */
    (void)src;
    (void)dst;
    (void)rows;
    (void)cols;
}

float column_sum(const float *m, size_t rows, size_t cols, size_t j)
{
    /* TODO: walk down column j: consecutive rows are cols elements apart. */
    (void)m;
    (void)rows;
    (void)cols;
    (void)j;
    return 0.0f;
}

void strides3(size_t d0, size_t d1, size_t d2, size_t strides[3])
{
    /* TODO: the last dimension is contiguous (stride 1); each earlier stride
     * is the product of the sizes of the dimensions after it. */
    (void)d0;
    (void)d1;
    (void)d2;
    strides[0] = strides[1] = strides[2] = 0;
}

size_t idx3(size_t i, size_t j, size_t k, const size_t strides[3])
{
    /* TODO: one term per dimension. */
    (void)i;
    (void)j;
    (void)k;
    (void)strides;
    return 0;
}

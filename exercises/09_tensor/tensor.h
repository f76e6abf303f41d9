/* tensor.h: the interface of exercise 09_tensor (do not edit).
 *
 * A tensor is a small header (dtype, shape, strides) plus a pointer to its
 * elements. Strides are counted in ELEMENTS, not bytes: element
 * (i0, i1, ..., i{n-1}) lives at data + (i0*strides[0] + ... ) elements.
 * Later exercises (10_views, 11_broadcast, 12_reduce) build on this file.
 *
 * Lecture: lectures/02_tensors.md#the-tensor-struct
 */
#ifndef TENSOR_H
#define TENSOR_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TENSOR_MAX_DIMS 4

typedef enum tensor_dtype {
    DTYPE_F32 = 0, /* float, 4 bytes */
    DTYPE_F16 = 1, /* IEEE 754 binary16 stored as uint16_t, 2 bytes */
    DTYPE_I8 = 2,  /* int8_t, 1 byte */
} tensor_dtype;

typedef struct tensor {
    tensor_dtype dtype;
    int ndim;                           /* 0..TENSOR_MAX_DIMS; 0 = scalar */
    size_t shape[TENSOR_MAX_DIMS];      /* only the first ndim are used */
    ptrdiff_t strides[TENSOR_MAX_DIMS]; /* in elements, not bytes */
    void *data;                         /* the element at index (0,...,0) */
    bool owns_data; /* true: tensor_free frees data; false: borrowed */
} tensor;

/* Size of one element in bytes: 4, 2, 1; 0 for an unknown dtype. */
size_t dtype_size(tensor_dtype dt);

/* Fills strides[0..ndim-1] with the row-major (C order) strides of shape:
 * the last dimension has stride 1, each earlier one the product of the
 * sizes after it. Example: shape (2,3,4) -> strides (12,4,1). */
void tensor_row_major_strides(int ndim, const size_t *shape,
                              ptrdiff_t *strides);

/* A new tensor that owns a fresh, row-major buffer of numel elements
 * (contents unspecified). shape has ndim entries (ignored when ndim is 0).
 * Returns NULL when ndim is outside 0..TENSOR_MAX_DIMS, the dtype is
 * unknown, or memory runs out. */
tensor *tensor_create(tensor_dtype dt, int ndim, const size_t *shape);

/* Same as tensor_create, with every element zero. */
tensor *tensor_zeros(tensor_dtype dt, int ndim, const size_t *shape);

/* A new tensor header over the caller's row-major buffer: it BORROWS data
 * (owns_data false), so tensor_free will not free it. NULL on the same
 * errors as tensor_create, or when data is NULL. */
tensor *tensor_from_data(tensor_dtype dt, int ndim, const size_t *shape,
                         void *data);

/* Number of elements: the product of the shape (1 for a scalar). */
size_t tensor_numel(const tensor *t);

/* numel * dtype_size: the bytes its elements occupy when contiguous. */
size_t tensor_nbytes(const tensor *t);

/* Offset in elements of index idx (ndim entries) from t->data, using the
 * strides. idx must be in range. */
ptrdiff_t tensor_offset(const tensor *t, const size_t *idx);

/* Reads element idx converted to float (f16 and i8 convert exactly). */
float tensor_get(const tensor *t, const size_t *idx);

/* Writes v to element idx converted to the tensor's dtype: f16 rounds to
 * nearest (f32_to_f16 below); i8 rounds half away from zero (roundf) and
 * saturates to [-128, 127]. */
void tensor_set(tensor *t, const size_t *idx, float v);

/* Frees the header, and the data only when the tensor owns it. NULL is
 * allowed and does nothing. */
void tensor_free(tensor *t);

/* ---- given: float <-> half conversion (chapter 1 shows how it works) ---- */

/* f32 -> binary16, round to nearest even; overflow gives +-infinity. */
static inline uint16_t f32_to_f16(float f)
{
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    const uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    const uint32_t ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u) /* inf or NaN (keep NaN a quiet NaN) */
        return (uint16_t)(sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u : 0u));
    if (ax >= 0x477ff000u) /* >= 65520 rounds to infinity */
        return (uint16_t)(sign | 0x7c00u);
    if (ax < 0x38800000u) { /* below 2^-14: a half subnormal (or zero) */
        float a;
        memcpy(&a, &ax, sizeof a);
        /* units of 2^-24; scaling by a power of two is exact, and
         * nearbyintf rounds half to even in the default rounding mode */
        return (uint16_t)(sign | (uint16_t)nearbyintf(a * 16777216.0f));
    }
    /* normal: drop 13 mantissa bits rounding to even, rebias 127 -> 15 */
    const uint32_t r = ax + 0xfffu + ((ax >> 13) & 1u);
    return (uint16_t)(sign | ((r - 0x38000000u) >> 13));
}

/* binary16 -> f32 (exact). */
static inline float f16_to_f32(uint16_t h)
{
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0) { /* zero or subnormal: man * 2^-24 */
        const float v = (float)man / 16777216.0f;
        return sign ? -v : v;
    }
    if (exp == 31)
        bits = sign | 0x7f800000u | (man << 13);
    else
        bits = sign | ((exp + 112u) << 23) | (man << 13);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

#endif /* TENSOR_H */

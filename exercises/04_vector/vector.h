/* vector.h: the interface of exercise 04_vector (do not edit).
 *
 * fvec is a growable array of floats on the heap, like C++'s
 * std::vector<float>: len elements are in use, cap are allocated.
 */
#ifndef VECTOR_H
#define VECTOR_H

#include <stddef.h>

typedef struct fvec {
    float *data; /* cap floats on the heap, or NULL when cap == 0 */
    size_t len;  /* elements in use: data[0..len) */
    size_t cap;  /* elements allocated; always len <= cap */
} fvec;

/* Every allocation and growth of data goes through this function instead of
 * realloc: it behaves exactly like realloc(ptr, bytes), but the tests define
 * it, so they can count calls and make it fail on purpose. Memory it returns
 * is released with free(). */
void *fvec_realloc(void *ptr, size_t bytes);

/* Makes *v an empty vector that owns no memory: {NULL, 0, 0}. */
void fvec_init(fvec *v);

/* Appends x. When the vector is full (len == cap) it first grows the
 * capacity GEOMETRICALLY: multiplies it by a constant factor between 1.5 and
 * 4, starting from a small capacity (at most 64; 8 is a good choice), so n
 * pushes cost O(log n) reallocations.
 * Returns 0 on success; -1 when growing failed, and then *v is exactly as it
 * was before the call (same data pointer, len, cap and contents). */
int fvec_push(fvec *v, float x);

/* Returns element i (precondition: i < v->len). */
float fvec_get(const fvec *v, size_t i);

/* Removes the last element and stores it in *out; returns 0. On an empty
 * vector returns -1 and leaves *out untouched. Never reallocates. */
int fvec_pop(fvec *v, float *out);

/* Ensures cap >= min_cap with at most one reallocation (no change when cap
 * is already large enough). Returns 0 on success; -1 when min_cap floats do
 * not fit in a size_t count of bytes or the allocation fails, and then *v is
 * unchanged. */
int fvec_reserve(fvec *v, size_t min_cap);

/* Releases the memory of *v and makes it empty ({NULL, 0, 0}) again, ready
 * for reuse. */
void fvec_free(fvec *v);

#endif

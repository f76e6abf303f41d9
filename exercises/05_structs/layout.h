/* layout.h: the interface of exercise 05_structs (do not edit).
 *
 * The compiler lays out a struct by a simple rule (the C ABI of x86-64,
 * AArch64 and most others): each field goes at the next offset that is a
 * multiple of its alignment, and the struct's size is rounded up to a
 * multiple of its alignment, which is the largest alignment of its fields.
 * Here you compute that layout for a struct described at run time.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stddef.h>

/* One field of a struct, e.g. a double is {8, 8}, char[3] is {3, 1}. */
typedef struct field_desc {
    size_t size;  /* bytes; >= 1 and a multiple of align */
    size_t align; /* a power of two */
} field_desc;

/* Lays out the n fields in the order given, like the C compiler does.
 * Stores each field's byte offset in offsets[i] (unless offsets is NULL)
 * and the struct's alignment in *align_out (unless align_out is NULL), and
 * returns the struct's size (including trailing padding).
 * n == 0 describes an empty struct: returns 0 and alignment 1.
 * Invalid input (a size of 0, an align that is not a power of two, a size
 * that is not a multiple of its align) returns 0 with alignment 0; the
 * offsets are then unspecified. */
size_t struct_layout(const field_desc *fields, size_t n, size_t *offsets,
                     size_t *align_out);

/* Chooses an order of the n fields that makes the struct as small as
 * possible. Writes the order to order[0..n): order[k] is the index (into
 * fields) of the field placed k-th, every index exactly once. Returns the
 * size of the struct laid out in that order; 0 for invalid input (as in
 * struct_layout) or n == 0. */
size_t struct_min_size(const field_desc *fields, size_t n, size_t *order);

/* Rounds n up to the next multiple of a (a power of two): align_up(13, 8)
 * is 16, align_up(16, 8) is 16, align_up(0, 8) is 0. */
size_t align_up(size_t n, size_t a);

/* Returns the lowest address >= p that is a multiple of a (a power of
 * two). */
void *align_ptr_up(void *p, size_t a);

/* Allocates size bytes whose address is a multiple of align, from malloc.
 * Returns NULL when align is not a power of two (0 included) or when the
 * request cannot be represented (size plus the extra room needed overflows
 * size_t) or malloc fails. size 0 behaves like size 1. The block must be
 * released with aligned_free, never with free. */
void *aligned_malloc(size_t size, size_t align);

/* Releases a block from aligned_malloc; NULL is ignored. */
void aligned_free(void *p);

#endif

/* 05_structs: struct layout by the C ABI rules, aligned allocation.
 * Edit this file until `make check EX=05_structs` passes.
 *
 * Lecture: lectures/01_c_memory.md#struct-padding-and-alignment
 */
#include "layout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t align_up(size_t n, size_t a)
{
    /* TODO: for a power of two a, a - 1 is a mask of the low bits. */
    (void)a;
    return n;
}

void *align_ptr_up(void *p, size_t a)
{
    /* TODO: do the arithmetic on the address as an integer (uintptr_t). */
    (void)a;
    return p;
}

size_t struct_layout(const field_desc *fields, size_t n, size_t *offsets,
                     size_t *align_out)
{
    /* TODO: validate each field; place it at the current offset rounded up
     * to its alignment; track the largest alignment; round the end up. */
    (void)fields;
    (void)n;
    (void)offsets;
    (void)align_out;
    return 0;
}

size_t struct_min_size(const field_desc *fields, size_t n, size_t *order)
{
    /* TODO: which order leaves no holes between fields? Then lay the fields
     * out in that order to get the size. */
    (void)fields;
    (void)n;
    (void)order;
    return 0;
}

void *aligned_malloc(size_t size, size_t align)
{
    /* TODO: malloc enough extra bytes to move the start up to a multiple of
     * align AND to keep the pointer malloc returned just before it, so that
     * aligned_free can find it. Check every addition for overflow. */
    (void)size;
    (void)align;
    return NULL;
}

void aligned_free(void *p)
{
    /* TODO: recover the pointer malloc returned and free that one. */
    (void)p;
}

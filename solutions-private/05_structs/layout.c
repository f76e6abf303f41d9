/* 05_structs: reference solution. */
#include "layout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int is_pow2(size_t a)
{
    return a != 0 && (a & (a - 1)) == 0;
}

size_t align_up(size_t n, size_t a)
{
    return (n + a - 1) & ~(a - 1);
}

void *align_ptr_up(void *p, size_t a)
{
    const uintptr_t u = (uintptr_t)p;
    return (void *)((u + (a - 1)) & ~(uintptr_t)(a - 1));
}

static int field_ok(const field_desc *f)
{
    return f->size != 0 && is_pow2(f->align) && f->size % f->align == 0;
}

size_t struct_layout(const field_desc *fields, size_t n, size_t *offsets,
                     size_t *align_out)
{
    size_t off = 0, max_align = 1;
    for (size_t i = 0; i < n; i++) {
        if (!field_ok(&fields[i])) {
            if (align_out)
                *align_out = 0;
            return 0;
        }
        off = align_up(off, fields[i].align);
        if (offsets)
            offsets[i] = off;
        off += fields[i].size;
        if (fields[i].align > max_align)
            max_align = fields[i].align;
    }
    if (align_out)
        *align_out = max_align;
    return align_up(off, max_align);
}

size_t struct_min_size(const field_desc *fields, size_t n, size_t *order)
{
    /* Decreasing alignment leaves no holes: every size is a multiple of its
     * alignment, so after the larger-aligned fields the offset is still a
     * multiple of every smaller alignment. Insertion sort: n is small. */
    for (size_t k = 0; k < n; k++) {
        size_t j = k;
        while (j > 0 && fields[order[j - 1]].align < fields[k].align) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    size_t sum = 0, max_align = 1;
    for (size_t k = 0; k < n; k++) {
        if (!field_ok(&fields[k]))
            return 0;
        sum += fields[k].size;
        if (fields[k].align > max_align)
            max_align = fields[k].align;
    }
    return align_up(sum, max_align);
}

void *aligned_malloc(size_t size, size_t align)
{
    if (!is_pow2(align))
        return NULL;
    if (size == 0)
        size = 1;
    /* Room for the saved pointer, then up to align - 1 bytes of padding. */
    const size_t extra = sizeof(void *) + (align - 1);
    if (size > SIZE_MAX - extra)
        return NULL;
    unsigned char *raw = malloc(size + extra);
    if (raw == NULL)
        return NULL;
    unsigned char *user = align_ptr_up(raw + sizeof(void *), align);
    /* memcpy: the slot before user need not be aligned for a void *. */
    memcpy(user - sizeof(void *), &raw, sizeof raw);
    return user;
}

void aligned_free(void *p)
{
    if (p == NULL)
        return;
    void *raw;
    memcpy(&raw, (unsigned char *)p - sizeof raw, sizeof raw);
    free(raw);
}

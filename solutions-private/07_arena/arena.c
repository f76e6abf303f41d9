/* 07_arena: reference solution. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>

int arena_create(arena *a, size_t cap)
{
    a->base = cap ? malloc(cap) : NULL;
    a->cap = a->base ? cap : 0;
    a->used = 0;
    return a->base ? 0 : -1;
}

void *arena_alloc(arena *a, size_t size, size_t align)
{
    if (size == 0 || align == 0 || (align & (align - 1)) != 0)
        return NULL;
    const uintptr_t next = (uintptr_t)(a->base + a->used);
    /* Padding to the next multiple of align, computed without forming
     * next + align - 1 (which could wrap for a huge align). */
    const size_t pad = (size_t)(-next & (uintptr_t)(align - 1));
    const size_t left = a->cap - a->used;
    if (pad > left || size > left - pad)
        return NULL;
    void *p = a->base + a->used + pad;
    a->used += pad + size;
    return p;
}

void arena_reset(arena *a)
{
    a->used = 0;
}

size_t arena_mark(const arena *a)
{
    return a->used;
}

void arena_rewind(arena *a, size_t mark)
{
    if (mark <= a->used)
        a->used = mark;
}

void arena_destroy(arena *a)
{
    free(a->base);
    a->base = NULL;
    a->cap = 0;
    a->used = 0;
}

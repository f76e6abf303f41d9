/* 07_arena: a bump allocator.
 * Edit this file until `make check EX=07_arena` passes.
 *
 * Lecture: lectures/01_c_memory.md#arenas
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>

int arena_create(arena *a, size_t cap)
{
    /* TODO: malloc the block and fill in *a; on failure leave *a empty. */
    a->base = NULL;
    a->cap = 0;
    a->used = 0;
    (void)cap;
    return -1;
}

void *arena_alloc(arena *a, size_t size, size_t align)
{
    /* TODO: find the first ADDRESS at or after base + used that is a
     * multiple of align; check that the padding and size fit in what is
     * left, written so that nothing can overflow (compare against the space
     * left rather than adding to used); then bump used. */
    (void)a;
    (void)size;
    (void)align;
    return NULL;
}

void arena_reset(arena *a)
{
    /* TODO */
    (void)a;
}

size_t arena_mark(const arena *a)
{
    /* TODO */
    (void)a;
    return 0;
}

void arena_rewind(arena *a, size_t mark)
{
    /* TODO */
    (void)a;
    (void)mark;
}

void arena_destroy(arena *a)
{
    /* TODO: free the block and leave *a empty. */
    (void)a;
}

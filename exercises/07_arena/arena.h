/* arena.h: the interface of exercise 07_arena (do not edit).
 *
 * An arena (bump allocator) owns one block of memory and hands out pieces
 * of it by moving an offset forward. Individual pieces are never freed:
 * everything goes at once (reset, rewind to a mark, destroy).
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

typedef struct arena {
    unsigned char *base; /* the block (from malloc), or NULL */
    size_t cap;          /* its size in bytes */
    size_t used;         /* bytes handed out so far, padding included:
                            the next piece starts at or after base + used */
} arena;

/* Allocates a block of cap bytes (cap >= 1) with malloc and makes *a an
 * empty arena over it. Returns 0, or -1 (and *a = {NULL, 0, 0}) when cap is
 * 0 or malloc fails. */
int arena_create(arena *a, size_t cap);

/* Returns a pointer to size bytes inside the arena whose ADDRESS is a
 * multiple of align (a power of two; the padding needed to get there is
 * skipped), and advances used past them. Returns NULL, changing nothing,
 * when size is 0, align is not a power of two, or the padded request does
 * not fit in the bytes left. Must not be fooled by huge size or align:
 * no arithmetic may wrap around. */
void *arena_alloc(arena *a, size_t size, size_t align);

/* Forgets every allocation: the arena is empty again (memory is kept). */
void arena_reset(arena *a);

/* Returns the current position, to rewind to later. */
size_t arena_mark(const arena *a);

/* Forgets every allocation made after mark was taken. A mark larger than
 * the current position is ignored. */
void arena_rewind(arena *a, size_t mark);

/* Frees the block; *a becomes {NULL, 0, 0}. */
void arena_destroy(arena *a);

#endif

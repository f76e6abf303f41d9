/* Tests for 07_arena. Students: read them, do not edit them. */
#include "arena.h"
#include "llmlings.h"

#include <stdint.h>
#include <string.h>

/* Creates an arena or fails the test with a clear message. */
static void create_ok(arena *a, size_t cap)
{
    const int rc = arena_create(a, cap);
    LL_CHECK(rc == 0 && a->base != NULL,
             "arena_create(&a, %zu): expected 0 and a block, got %d and "
             "base %p",
             cap, rc, (void *)a->base);
    LL_CHECK(a->cap == cap && a->used == 0,
             "arena_create(&a, %zu): expected cap %zu used 0, got cap %zu "
             "used %zu",
             cap, cap, a->cap, a->used);
}

/* Checks that p..p+size lies inside the arena's block. */
static void check_inside(const arena *a, const unsigned char *p, size_t size)
{
    LL_CHECK(p >= a->base && (size_t)(p - a->base) + size <= a->cap,
             "piece %p (+%zu bytes) lies outside the arena [%p, %p + %zu)",
             (const void *)p, size, (void *)a->base, (void *)a->base, a->cap);
}

LL_TEST(arena, create_and_bump)
{
    arena a;
    create_ok(&a, 1024);
    unsigned char *p = arena_alloc(&a, 100, 1);
    LL_CHECK_PTR_EQ(p, a.base, "first arena_alloc(&a, 100, 1)");
    unsigned char *q = arena_alloc(&a, 10, 1);
    LL_CHECK_PTR_EQ(q, a.base + 100, "second arena_alloc(&a, 10, 1)");
    LL_CHECK_UINT_EQ(a.used, 110, "used after 100 + 10 bytes");
    LL_CHECK_UINT_EQ(arena_mark(&a), 110, "arena_mark after 110 bytes");
    memset(p, 1, 100); /* the pieces are real memory */
    memset(q, 2, 10);
    LL_CHECK(p[99] == 1 && q[0] == 2, "neighbouring pieces overlap");
    arena_destroy(&a);
    LL_CHECK_NULL(a.base, "base after arena_destroy");
    LL_CHECK_UINT_EQ(a.cap, 0, "cap after arena_destroy");
    LL_CHECK_UINT_EQ(a.used, 0, "used after arena_destroy");

    arena z;
    LL_CHECK_INT_EQ(arena_create(&z, 0), -1, "arena_create(&z, 0)");
    LL_CHECK_NULL(z.base, "base after arena_create(&z, 0)");
}

LL_TEST(arena, every_pointer_aligned_and_disjoint)
{
    static const size_t req[][2] = {
        {1, 1},   {3, 8},   {1, 16}, {7, 4},      {1, 64},  {5, 2},
        {1, 256}, {24, 8},  {1, 1},  {2, 2},      {33, 32}, {1, 128},
        {9, 1},   {16, 16}, {1, 8},  {100, 4096}, {3, 1},
    };
    enum { N = sizeof req / sizeof req[0] };
    arena a;
    create_ok(&a, 16384);
    unsigned char *ptr[N];
    for (size_t i = 0; i < N; i++) {
        const size_t before = a.used;
        ptr[i] = arena_alloc(&a, req[i][0], req[i][1]);
        LL_CHECK(ptr[i] != NULL, "arena_alloc(&a, %zu, %zu) #%zu returned NULL",
                 req[i][0], req[i][1], i);
        LL_CHECK((uintptr_t)ptr[i] % req[i][1] == 0,
                 "arena_alloc(&a, %zu, %zu) returned %p: the ADDRESS is not "
                 "a multiple of %zu",
                 req[i][0], req[i][1], (void *)ptr[i], req[i][1]);
        check_inside(&a, ptr[i], req[i][0]);
        /* Padding is less than align, and used ends right after the piece. */
        LL_CHECK((size_t)(ptr[i] - a.base) >= before &&
                     (size_t)(ptr[i] - a.base) - before < req[i][1],
                 "piece #%zu starts at offset %zu, expected within [%zu, %zu) "
                 "(the first suitable address)",
                 i, (size_t)(ptr[i] - a.base), before, before + req[i][1]);
        LL_CHECK_UINT_EQ(a.used, (size_t)(ptr[i] - a.base) + req[i][0],
                         "used right after a piece");
        memset(ptr[i], (int)(i + 1), req[i][0]);
    }
    /* No piece overwrote another. */
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < req[i][0]; k++)
            LL_CHECK(ptr[i][k] == (unsigned char)(i + 1),
                     "byte %zu of piece #%zu was overwritten (0x%02x): "
                     "pieces overlap",
                     k, i, ptr[i][k]);
    arena_destroy(&a);
}

LL_TEST(arena, null_when_full)
{
    arena a;
    create_ok(&a, 64);
    unsigned char *p = arena_alloc(&a, 60, 1);
    LL_CHECK_PTR_EQ(p, a.base, "arena_alloc(&a, 60, 1) in a 64-byte arena");
    LL_CHECK_NULL(arena_alloc(&a, 8, 1),
                  "arena_alloc(&a, 8, 1) with 4 bytes left");
    LL_CHECK_UINT_EQ(a.used, 60, "used after a refused request (unchanged)");
    /* The padding must fit too: the next 8-aligned address is past the end
     * (malloc's blocks are at least 8-aligned, so base + 64 is 8-aligned
     * and base + 60 is not). */
    LL_CHECK_NULL(arena_alloc(&a, 1, 8),
                  "arena_alloc(&a, 1, 8) at offset 60 of 64 (padding to 64 "
                  "leaves no room)");
    LL_CHECK_UINT_EQ(a.used, 60, "used after a refused aligned request");
    unsigned char *q = arena_alloc(&a, 4, 1);
    LL_CHECK_PTR_EQ(q, a.base + 60, "arena_alloc(&a, 4, 1): exactly fills");
    q[3] = 7; /* the last byte is ours (AddressSanitizer watches) */
    LL_CHECK_NULL(arena_alloc(&a, 1, 1), "arena_alloc(&a, 1, 1) when full");
    LL_CHECK_NULL(arena_alloc(&a, 0, 1), "arena_alloc(&a, 0, 1) (size 0)");
    arena_destroy(&a);
}

LL_TEST(arena, huge_requests_do_not_wrap)
{
    arena a;
    create_ok(&a, 256);
    LL_CHECK_NOT_NULL(arena_alloc(&a, 3, 1), "arena_alloc(&a, 3, 1)");
    const size_t used = a.used;
    /* used + size (+ padding) wraps around to a small number if added. */
    LL_CHECK_NULL(arena_alloc(&a, SIZE_MAX, 1), "arena_alloc(&a, SIZE_MAX, 1)");
    LL_CHECK_NULL(arena_alloc(&a, SIZE_MAX - 2, 1),
                  "arena_alloc(&a, SIZE_MAX - 2, 1)");
    LL_CHECK_NULL(arena_alloc(&a, SIZE_MAX - 8, 16),
                  "arena_alloc(&a, SIZE_MAX - 8, 16)");
    /* A huge alignment: address + align - 1 would wrap. */
    LL_CHECK_NULL(arena_alloc(&a, 8, (size_t)1 << 62),
                  "arena_alloc(&a, 8, 2^62)");
    LL_CHECK_NULL(arena_alloc(&a, 8, (size_t)1 << 63),
                  "arena_alloc(&a, 8, 2^63)");
    LL_CHECK_NULL(arena_alloc(&a, 8, 0), "arena_alloc(&a, 8, 0)");
    LL_CHECK_NULL(arena_alloc(&a, 8, 12), "arena_alloc(&a, 8, 12) (not a "
                                          "power of two)");
    LL_CHECK_UINT_EQ(a.used, used, "used after refused huge requests");
    unsigned char *p = arena_alloc(&a, 16, 16);
    LL_CHECK_NOT_NULL(p, "arena_alloc(&a, 16, 16) after the refused ones");
    check_inside(&a, p, 16);
    arena_destroy(&a);
}

LL_TEST(arena, mark_rewind_reset)
{
    arena a;
    create_ok(&a, 512);
    unsigned char *first = arena_alloc(&a, 10, 1);
    LL_CHECK_NOT_NULL(first, "arena_alloc(&a, 10, 1)");
    const size_t m = arena_mark(&a);
    LL_CHECK_UINT_EQ(m, 10, "arena_mark after 10 bytes");
    unsigned char *b = arena_alloc(&a, 32, 1);
    unsigned char *c = arena_alloc(&a, 64, 1);
    LL_CHECK(b != NULL && c != NULL, "two allocations after the mark");
    arena_rewind(&a, m);
    LL_CHECK_UINT_EQ(a.used, 10, "used after arena_rewind to the mark");
    unsigned char *d = arena_alloc(&a, 32, 1);
    LL_CHECK_PTR_EQ(d, b,
                    "the first allocation after rewinding reuses the "
                    "same address");
    arena_rewind(&a, 500); /* ahead of the position: ignored */
    LL_CHECK_UINT_EQ(a.used, 42,
                     "used after rewinding to a future mark "
                     "(must be ignored)");
    arena_reset(&a);
    LL_CHECK_UINT_EQ(a.used, 0, "used after arena_reset");
    LL_CHECK_PTR_EQ(arena_alloc(&a, 1, 1), a.base,
                    "first allocation after arena_reset");
    LL_CHECK_PTR_EQ(arena_alloc(&a, 500, 1), a.base + 1,
                    "a large allocation after reset (the space is back)");
    arena_destroy(&a);
}

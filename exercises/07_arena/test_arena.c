/* Tests for 07_arena. Students: read them, do not edit them.
 *
 * Besides arenas from arena_create, some tests build an arena over a block
 * of their own whose base is a seeded number of bytes ("skew") past a
 * 4096-aligned address. Where each piece must go then depends only on the
 * skew and the requests (drawn from the grader's seeded generator), so the
 * test can work it out by itself; and an odd base shows at once whether the
 * ADDRESS or only the offset was aligned. */
#include "arena.h"
#include "llmlings.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* An arena over cap bytes of the test's own, skew bytes past a 4096-aligned
 * address. Release *raw with free(), never with arena_destroy. */
static arena skewed_arena(size_t cap, size_t skew, unsigned char **raw)
{
    *raw = ll_alloc(cap + skew + 4096);
    const uintptr_t u = (uintptr_t)*raw;
    unsigned char *aligned = *raw + (4096 - u % 4096) % 4096;
    const arena a = {aligned + skew, cap, 0};
    return a;
}

/* The test's own arena arithmetic for a base skew bytes past a multiple of
 * 4096 (align <= 4096): the offset of the next piece, or -1 if it does not
 * fit; *used moves past it. */
static long long oracle_alloc(size_t skew, size_t cap, size_t *used,
                              size_t size, size_t align)
{
    const size_t at = skew + *used;
    const size_t pad = (align - at % align) % align;
    if (size == 0 || *used + pad + size > cap) /* small numbers: no wrap */
        return -1;
    *used += pad + size;
    return (long long)(*used - size);
}

/* Where p lies in the arena (-1 for NULL), as a float for array checks. */
static float offset_of(const arena *a, const void *p)
{
    return p == NULL ? -1.0f : (float)((const unsigned char *)p - a->base);
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

    /* A seeded capacity, bumped by seeded sizes that fill it exactly. */
    const size_t cap = (size_t)ll_rand_int(2, 4096);
    create_ok(&a, cap);
    const size_t first = (size_t)ll_rand_int(1, (long long)cap - 1);
    char what[96];
    p = arena_alloc(&a, first, 1);
    snprintf(what, sizeof what, "arena_alloc(&a, %zu, 1) in a %zu-byte arena",
             first, cap);
    LL_CHECK_PTR_EQ(p, a.base, what);
    q = arena_alloc(&a, cap - first, 1);
    snprintf(what, sizeof what,
             "arena_alloc(&a, %zu, 1) after %zu bytes (the rest exactly)",
             cap - first, first);
    LL_CHECK_PTR_EQ(q, a.base + first, what);
    LL_CHECK_UINT_EQ(a.used, cap, "used once the arena is exactly full");
    q[cap - first - 1] = 3; /* the last byte is ours (ASan watches) */
    LL_CHECK_NULL(arena_alloc(&a, 1, 1), "arena_alloc(&a, 1, 1) when full");
    arena_destroy(&a);
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
        LL_CHECK(a.used == (size_t)(ptr[i] - a.base) + req[i][0],
                 "used right after piece #%zu (offset %zu, %zu bytes): "
                 "expected %zu, got %zu",
                 i, (size_t)(ptr[i] - a.base), req[i][0],
                 (size_t)(ptr[i] - a.base) + req[i][0], a.used);
        memset(ptr[i], (int)(i + 1), req[i][0]);
    }
    /* No piece overwrote another. */
    size_t bad = N, bad_byte = 0;
    for (size_t i = 0; i < N && bad == N; i++)
        for (size_t k = 0; k < req[i][0] && bad == N; k++)
            if (ptr[i][k] != (unsigned char)(i + 1)) {
                bad = i;
                bad_byte = k;
            }
    LL_CHECK(bad == N,
             "byte %zu of piece #%zu was overwritten (0x%02x): pieces overlap",
             bad_byte, bad, bad < N ? ptr[bad][bad_byte] : 0);
    (void)bad_byte; /* only in the message (compiled out in judge mode) */
    arena_destroy(&a);

    /* Seeded requests into an arena at a seeded (often odd) skew: every
     * piece where the test's own arithmetic puts it, or NULL when it no
     * longer fits. */
    enum { R = 40 };
    const size_t cap = 2048, skew = (size_t)ll_rand_int(0, 4095);
    unsigned char *raw;
    arena s = skewed_arena(cap, skew, &raw);
    size_t size[R], align[R];
    float got[R], want[R];
    for (size_t i = 0; i < R; i++) {
        size[i] = (size_t)ll_rand_int(1, 100);
        align[i] = (size_t)1 << ll_rand_int(0, 9);
        got[i] = offset_of(&s, arena_alloc(&s, size[i], align[i]));
    }
    size_t want_used = 0;
    LL_ORACLE
    {
        for (size_t i = 0; i < R; i++)
            want[i] =
                (float)oracle_alloc(skew, cap, &want_used, size[i], align[i]);
    }
    char what[200];
    snprintf(what, sizeof what,
             "offsets of %d seeded arena_alloc(&a, 1..100, 1..512) calls in a "
             "%zu-byte arena whose base is %zu bytes past a multiple of 4096 "
             "(element [i]: call i; -1: NULL)",
             R, cap, skew);
    LL_CHECK_FLOATS_NEAR(got, want, R, 0.0f, 0.0f, what);
    LL_CHECK_UINT_EQ(s.used, want_used, "used after the seeded calls");
    free(raw);
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

    /* At a seeded skew: a request whose padding alone leaves one byte too
     * few is refused; the same request one byte smaller fits exactly. */
    const size_t skew = (size_t)ll_rand_int(1, 4095);
    const size_t align = (size_t)1 << ll_rand_int(1, 6);
    const size_t pad = (align - skew % align) % align;
    const size_t size = (size_t)ll_rand_int(1, 50);
    unsigned char *raw;
    arena s = skewed_arena(pad + size, skew, &raw);
    char what[128];
    snprintf(what, sizeof what,
             "arena_alloc(&a, %zu, %zu) with %zu bytes left, %zu of them "
             "padding",
             size + 1, align, pad + size, pad);
    LL_CHECK_NULL(arena_alloc(&s, size + 1, align), what);
    LL_CHECK_UINT_EQ(s.used, 0, "used after the refused request");
    snprintf(what, sizeof what,
             "arena_alloc(&a, %zu, %zu) with %zu bytes left, %zu of them "
             "padding (exactly fits)",
             size, align, pad + size, pad);
    LL_CHECK_FLOAT_NEAR(offset_of(&s, arena_alloc(&s, size, align)),
                        (double)pad, 0.0, what);
    LL_CHECK_UINT_EQ(s.used, pad + size, "used once exactly full");
    free(raw);
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
    LL_CHECK(a.used == used,
             "used after refused huge requests: expected %zu (unchanged), "
             "got %zu",
             used, a.used);
    unsigned char *p = arena_alloc(&a, 16, 16);
    LL_CHECK_NOT_NULL(p, "arena_alloc(&a, 16, 16) after the refused ones");
    check_inside(&a, p, 16);
    arena_destroy(&a);

    /* At a seeded odd skew, so that padding is needed: sizes a seeded
     * distance below SIZE_MAX, where pad + size wraps around to a few
     * bytes; then a seeded request that fits. */
    const size_t skew = 2 * (size_t)ll_rand_int(0, 2047) + 1;
    unsigned char *raw;
    arena s = skewed_arena(256, skew, &raw);
    char what[160];
    for (int k = 0; k < 4; k++) {
        const size_t align = (size_t)1 << ll_rand_int(1, 8);
        const size_t size = SIZE_MAX - (size_t)ll_rand_int(0, 255);
        snprintf(what, sizeof what, "arena_alloc(&a, SIZE_MAX - %zu, %zu)",
                 SIZE_MAX - size, align);
        LL_CHECK_NULL(arena_alloc(&s, size, align), what);
    }
    const size_t align = (size_t)1 << ll_rand_int(0, 6);
    const size_t size = (size_t)ll_rand_int(1, 100);
    snprintf(what, sizeof what,
             "offset of arena_alloc(&a, %zu, %zu) after the refused ones (the "
             "base is %zu bytes past a multiple of 4096)",
             size, align, skew);
    LL_CHECK_FLOAT_NEAR(offset_of(&s, arena_alloc(&s, size, align)),
                        (double)((align - skew % align) % align), 0.0, what);
    free(raw);
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

    /* Seeded scratch steps: mark, a few allocations, rewind; every step
     * starts where the mark was, and a seeded future mark is ignored. */
    create_ok(&a, 4096);
    const size_t keep = (size_t)ll_rand_int(1, 1000);
    LL_CHECK_NOT_NULL(arena_alloc(&a, keep, 1), "arena_alloc(&a, keep, 1)");
    const size_t mark = arena_mark(&a);
    char what[96];
    snprintf(what, sizeof what, "arena_mark after %zu bytes", keep);
    LL_CHECK_UINT_EQ(mark, keep, what);
    size_t sizes[3];
    for (int step = 0; step < 3; step++) {
        for (int k = 0; k < 3; k++)
            sizes[k] = (size_t)ll_rand_int(1, 300);
        unsigned char *x = arena_alloc(&a, sizes[0], 1);
        LL_CHECK_PTR_EQ(x, a.base + keep, "the first piece after the mark");
        arena_alloc(&a, sizes[1], 1);
        arena_alloc(&a, sizes[2], 1);
        snprintf(what, sizeof what,
                 "used after %zu + %zu + %zu bytes past the mark at %zu",
                 sizes[0], sizes[1], sizes[2], keep);
        LL_CHECK_UINT_EQ(a.used, keep + sizes[0] + sizes[1] + sizes[2], what);
        arena_rewind(&a, mark + (size_t)ll_rand_int(1000, 3000));
        LL_CHECK_UINT_EQ(a.used, keep + sizes[0] + sizes[1] + sizes[2],
                         "used after rewinding to a future mark (ignored)");
        arena_rewind(&a, mark);
        LL_CHECK_UINT_EQ(a.used, keep, "used after arena_rewind to the mark");
    }
    arena_destroy(&a);
}

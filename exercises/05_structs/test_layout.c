/* Tests for 05_structs. Students: read them, do not edit them.
 *
 * The expected layouts come from the compiler itself: real structs, measured
 * with offsetof and sizeof. */
#include "layout.h"
#include "llmlings.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define F(T)                                                                   \
    {                                                                          \
        sizeof(T), alignof(T)                                                  \
    }

struct s1 {
    char a;
    double b;
    short c;
};
struct s2 {
    char a;
    int b;
    char c;
};
struct s3 {
    short a;
    char b;
    char c;
    int d;
    char e;
};
struct s4 {
    char a[3];
    float b;
    double c;
    char d;
};
struct s5 {
    char a;
    struct s1 inner;
    char b;
};
struct s6 {
    char a;
    long double b;
    int c;
};

/* Lays out fields like struct_layout and compares with the compiler. */
static void check_layout(const char *name, const field_desc *f, size_t n,
                         const size_t *want_off, size_t want_size,
                         size_t want_align)
{
    size_t off[8];
    for (size_t i = 0; i < 8; i++)
        off[i] = (size_t)-1;
    size_t align = 12345;
    size_t size = struct_layout(f, n, off, &align);
    LL_CHECK(size == want_size, "struct_layout(%s): size expected %zu, got %zu",
             name, want_size, size);
    LL_CHECK(align == want_align,
             "struct_layout(%s): alignment expected %zu, got %zu", name,
             want_align, align);
    for (size_t i = 0; i < n; i++)
        LL_CHECK(off[i] == want_off[i],
                 "struct_layout(%s): offset of field %zu expected %zu, got %zu",
                 name, i, want_off[i], off[i]);
}

LL_TEST(structs, layout_matches_compiler)
{
    const field_desc f1[] = {F(char), F(double), F(short)};
    const size_t o1[] = {offsetof(struct s1, a), offsetof(struct s1, b),
                         offsetof(struct s1, c)};
    check_layout("{char; double; short}", f1, 3, o1, sizeof(struct s1),
                 alignof(struct s1));

    const field_desc f2[] = {F(char), F(int), F(char)};
    const size_t o2[] = {offsetof(struct s2, a), offsetof(struct s2, b),
                         offsetof(struct s2, c)};
    check_layout("{char; int; char}", f2, 3, o2, sizeof(struct s2),
                 alignof(struct s2));

    const field_desc f3[] = {F(short), F(char), F(char), F(int), F(char)};
    const size_t o3[] = {offsetof(struct s3, a), offsetof(struct s3, b),
                         offsetof(struct s3, c), offsetof(struct s3, d),
                         offsetof(struct s3, e)};
    check_layout("{short; char; char; int; char}", f3, 5, o3, sizeof(struct s3),
                 alignof(struct s3));

    const field_desc f4[] = {{3, 1}, F(float), F(double), F(char)};
    const size_t o4[] = {offsetof(struct s4, a), offsetof(struct s4, b),
                         offsetof(struct s4, c), offsetof(struct s4, d)};
    check_layout("{char[3]; float; double; char}", f4, 4, o4, sizeof(struct s4),
                 alignof(struct s4));

    const field_desc f5[] = {F(char), F(struct s1), F(char)};
    const size_t o5[] = {offsetof(struct s5, a), offsetof(struct s5, inner),
                         offsetof(struct s5, b)};
    check_layout("{char; struct s1; char}", f5, 3, o5, sizeof(struct s5),
                 alignof(struct s5));

    const field_desc f6[] = {F(char), F(long double), F(int)};
    const size_t o6[] = {offsetof(struct s6, a), offsetof(struct s6, b),
                         offsetof(struct s6, c)};
    check_layout("{char; long double; int}", f6, 3, o6, sizeof(struct s6),
                 alignof(struct s6));
}

LL_TEST(structs, layout_edge_cases)
{
    const field_desc one[] = {{1, 1}};
    size_t off[4] = {99, 99, 99, 99}, align = 99;
    LL_CHECK_UINT_EQ(struct_layout(one, 1, off, &align), 1,
                     "struct_layout({char}) size");
    LL_CHECK_UINT_EQ(off[0], 0, "struct_layout({char}) offset 0");
    LL_CHECK_UINT_EQ(align, 1, "struct_layout({char}) alignment");

    /* Hand-derived: int at 0, char at 4, double at 8, size 16. */
    const field_desc three[] = {{4, 4}, {1, 1}, {8, 8}};
    LL_CHECK_UINT_EQ(struct_layout(three, 3, NULL, NULL), 16,
                     "struct_layout({int; char; double}, offsets=NULL, "
                     "align_out=NULL)");
    LL_CHECK_UINT_EQ(struct_layout(three, 3, off, NULL), 16,
                     "struct_layout({int; char; double}, align_out=NULL)");
    LL_CHECK_UINT_EQ(off[2], 8, "offset of the double in {int; char; double}");

    /* A 64-byte aligned field (a cache line): char at 0, block at 64. */
    const field_desc cacheline[] = {{1, 1}, {64, 64}, {1, 1}};
    LL_CHECK_UINT_EQ(struct_layout(cacheline, 3, off, &align), 192,
                     "struct_layout({char; 64-aligned[64]; char}) size");
    LL_CHECK_UINT_EQ(off[1], 64, "offset of the 64-aligned field");
    LL_CHECK_UINT_EQ(off[2], 128, "offset of the last char");
    LL_CHECK_UINT_EQ(align, 64, "alignment of the struct");

    align = 99;
    LL_CHECK_UINT_EQ(struct_layout(NULL, 0, NULL, &align), 0,
                     "struct_layout of an empty struct: size");
    LL_CHECK_UINT_EQ(align, 1, "struct_layout of an empty struct: alignment");

    const field_desc bad_align[] = {{4, 4}, {6, 3}};
    align = 99;
    LL_CHECK_UINT_EQ(struct_layout(bad_align, 2, off, &align), 0,
                     "struct_layout with an alignment of 3 (invalid)");
    LL_CHECK_UINT_EQ(align, 0, "alignment reported for invalid input");
    const field_desc bad_size[] = {{6, 4}};
    LL_CHECK_UINT_EQ(struct_layout(bad_size, 1, off, &align), 0,
                     "struct_layout with size 6, align 4 (not a multiple)");
    const field_desc zero[] = {{1, 1}, {0, 1}};
    LL_CHECK_UINT_EQ(struct_layout(zero, 2, off, &align), 0,
                     "struct_layout with a field of size 0");
}

/* Size of the fields laid out in the given order: the test's own
 * calculation, so a student's order is judged independently of the
 * student's struct_layout. */
static size_t size_in_order(const field_desc *f, const size_t *order, size_t n)
{
    size_t off = 0, max_align = 1;
    for (size_t k = 0; k < n; k++) {
        const field_desc *x = &f[order[k]];
        while (off % x->align != 0)
            off++;
        off += x->size;
        if (x->align > max_align)
            max_align = x->align;
    }
    while (off % max_align != 0)
        off++;
    return off;
}

/* Checks order is a permutation of 0..n) and gives want bytes. */
static void check_min(const char *name, const field_desc *f, size_t n,
                      size_t want)
{
    size_t order[8];
    for (size_t i = 0; i < 8; i++)
        order[i] = (size_t)-1;
    const size_t got = struct_min_size(f, n, order);
    LL_CHECK(got == want, "struct_min_size(%s): expected %zu, got %zu", name,
             want, got);
    int seen[8] = {0};
    for (size_t k = 0; k < n; k++) {
        LL_CHECK(order[k] < n,
                 "struct_min_size(%s): order[%zu] = %zu is not a field index",
                 name, k, order[k]);
        LL_CHECK(!seen[order[k]],
                 "struct_min_size(%s): field %zu appears twice in order", name,
                 order[k]);
        seen[order[k]] = 1;
    }
    const size_t real = size_in_order(f, order, n);
    LL_CHECK(real == want,
             "struct_min_size(%s): the order you chose lays out to %zu bytes, "
             "expected %zu",
             name, real, want);
}

/* The best orders, written out for the compiler. */
struct best_a {
    double d;
    int i;
    short s;
    char c1, c2;
};
struct best_b {
    long double ld;
    char c1, c2;
};

LL_TEST(structs, min_size_reorders)
{
    /* Declared order {char; double; char; int; short} takes 32 bytes;
     * reordered, 16. */
    const field_desc a[] = {F(char), F(double), F(char), F(int), F(short)};
    check_min("{char; double; char; int; short}", a, 5, sizeof(struct best_a));

    const field_desc b[] = {F(char), F(long double), F(char)};
    check_min("{char; long double; char}", b, 3, sizeof(struct best_b));

    /* Already optimal; {char[3]; short} must not be split by a hole. */
    const field_desc c[] = {{4, 4}, {3, 1}, {2, 2}};
    check_min("{int; char[3]; short}", c, 3, 12);

    const field_desc d[] = {{1, 1}, {16, 8}, {2, 2}, {1, 1}, {4, 4}, {8, 8}};
    check_min("{char; 16-byte struct; short; char; int; long}", d, 6, 32);

    size_t order[1] = {7};
    const field_desc bad[] = {{3, 3}};
    LL_CHECK_UINT_EQ(struct_min_size(bad, 1, order), 0,
                     "struct_min_size with an alignment of 3 (invalid)");
}

LL_TEST(structs, align_up_values)
{
    LL_CHECK_UINT_EQ(align_up(1, 8), 8, "align_up(1, 8)");
    LL_CHECK_UINT_EQ(align_up(0, 8), 0, "align_up(0, 8)");
    LL_CHECK_UINT_EQ(align_up(8, 8), 8, "align_up(8, 8)");
    LL_CHECK_UINT_EQ(align_up(9, 8), 16, "align_up(9, 8)");
    LL_CHECK_UINT_EQ(align_up(13, 1), 13, "align_up(13, 1)");
    LL_CHECK_UINT_EQ(align_up(4097, 4096), 8192, "align_up(4097, 4096)");
    LL_CHECK_UINT_EQ(align_up(100, 64), 128, "align_up(100, 64)");

    LL_CHECK_PTR_EQ(align_ptr_up((void *)(uintptr_t)0x1001, 16),
                    (void *)(uintptr_t)0x1010, "align_ptr_up(0x1001, 16)");
    LL_CHECK_PTR_EQ(align_ptr_up((void *)(uintptr_t)0x1000, 4096),
                    (void *)(uintptr_t)0x1000, "align_ptr_up(0x1000, 4096)");
    LL_CHECK_PTR_EQ(align_ptr_up((void *)(uintptr_t)0x1001, 4096),
                    (void *)(uintptr_t)0x2000, "align_ptr_up(0x1001, 4096)");
    LL_CHECK_PTR_EQ(align_ptr_up((void *)(uintptr_t)0x7ff3, 1),
                    (void *)(uintptr_t)0x7ff3, "align_ptr_up(0x7ff3, 1)");
    LL_CHECK_PTR_EQ(align_ptr_up((void *)(uintptr_t)0x7ff3, 4),
                    (void *)(uintptr_t)0x7ff4, "align_ptr_up(0x7ff3, 4)");
}

LL_TEST(structs, aligned_malloc_alignment)
{
    for (size_t a = 1; a <= 4096; a *= 2) {
        const size_t sizes[] = {1, 100, 4096};
        for (size_t s = 0; s < 3; s++) {
            unsigned char *p = aligned_malloc(sizes[s], a);
            LL_CHECK(p != NULL, "aligned_malloc(%zu, %zu) returned NULL",
                     sizes[s], a);
            LL_CHECK((uintptr_t)p % a == 0,
                     "aligned_malloc(%zu, %zu) returned %p, not a multiple "
                     "of %zu",
                     sizes[s], a, (void *)p, a);
            /* Every byte must be ours (AddressSanitizer watches). */
            memset(p, 0xab, sizes[s]);
            aligned_free(p);
        }
    }
    /* Several live blocks at once must not share bytes. */
    unsigned char *x = aligned_malloc(64, 64), *y = aligned_malloc(64, 64);
    LL_CHECK(x != NULL && y != NULL, "two aligned_malloc(64, 64) calls");
    memset(x, 1, 64);
    memset(y, 2, 64);
    LL_CHECK(x[63] == 1 && y[0] == 2, "two live blocks overlap");
    aligned_free(x);
    aligned_free(y);
    aligned_free(NULL);
}

LL_TEST(structs, aligned_malloc_rejects_bad_requests)
{
    void *ok = aligned_malloc(10, 32);
    LL_CHECK_NOT_NULL(ok, "aligned_malloc(10, 32)");
    aligned_free(ok);
    LL_CHECK_NULL(aligned_malloc(16, 0), "aligned_malloc(16, 0)");
    LL_CHECK_NULL(aligned_malloc(16, 24), "aligned_malloc(16, 24) (24 is not "
                                          "a power of two)");
    LL_CHECK_NULL(aligned_malloc(16, 3), "aligned_malloc(16, 3)");
    /* size + padding + the saved pointer wraps around to a few bytes. */
    LL_CHECK_NULL(aligned_malloc(SIZE_MAX - 5, 64),
                  "aligned_malloc(SIZE_MAX - 5, 64) (size overflows)");
    LL_CHECK_NULL(aligned_malloc(SIZE_MAX, 1), "aligned_malloc(SIZE_MAX, 1)");
}

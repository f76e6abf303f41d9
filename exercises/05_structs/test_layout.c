/* Tests for 05_structs. Students: read them, do not edit them.
 *
 * The expected layouts come from the compiler itself: real structs, measured
 * with offsetof and sizeof. Besides those, each test draws fields, sizes and
 * alignments of its own from the grader's seeded generator (ll_rand_*); their
 * layouts are computed by the test's own slow loops (layout_in_order). */
#include "layout.h"
#include "llmlings.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
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

/* The test's own layout of the fields f[order[0]], f[order[1]], ... (order
 * NULL: as given), one byte at a time: offsets (may be NULL), alignment and
 * size. A different algorithm from the masks of align_up. */
static size_t layout_in_order(const field_desc *f, const size_t *order,
                              size_t n, size_t *offsets, size_t *align_out)
{
    size_t off = 0, max_align = 1;
    for (size_t k = 0; k < n; k++) {
        const field_desc *x = &f[order ? order[k] : k];
        while (off % x->align != 0)
            off++;
        if (offsets)
            offsets[k] = off;
        off += x->size;
        if (x->align > max_align)
            max_align = x->align;
    }
    while (off % max_align != 0)
        off++;
    if (align_out)
        *align_out = max_align;
    return off;
}

/* Offsets become floats so that all of them are compared by one check that
 * names the first wrong field. */
static void offsets_as_floats(const size_t *off, size_t n, float *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (float)off[i];
}

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
    char what[128];
    snprintf(what, sizeof what, "struct_layout(%s): size", name);
    LL_CHECK_UINT_EQ(size, want_size, what);
    snprintf(what, sizeof what, "struct_layout(%s): alignment", name);
    LL_CHECK_UINT_EQ(align, want_align, what);
    float got[8], want[8];
    offsets_as_floats(off, n, got);
    LL_ORACLE
    {
        offsets_as_floats(want_off, n, want);
    }
    snprintf(what, sizeof what,
             "struct_layout(%s): offsets (element [i]: field i)", name);
    LL_CHECK_FLOATS_NEAR(got, want, n, 0.0f, 0.0f, what);
}

/* n seeded valid fields: alignments 1..64, sizes a multiple of them (a few
 * char arrays of odd sizes among them). */
static void random_fields(field_desc *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        f[i].align = (size_t)1 << ll_rand_int(0, 6);
        f[i].size = f[i].align * (size_t)ll_rand_int(1, 3);
        if (f[i].align == 1)
            f[i].size = (size_t)ll_rand_int(1, 7);
    }
}

/* "{8/8; 3/1; ...}": size/align of each field, for messages. */
static const char *describe(const field_desc *f, size_t n, char *buf,
                            size_t cap)
{
    size_t used = (size_t)snprintf(buf, cap, "{");
    for (size_t i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%zu/%zu",
                                 i ? "; " : "", f[i].size, f[i].align);
    if (used < cap)
        snprintf(buf + used, cap - used, "} (size/align)");
    return buf;
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

    /* Seeded fields, against the test's own layout. */
    field_desc f[8];
    const size_t n = (size_t)ll_rand_int(1, 8);
    random_fields(f, n);
    size_t want_off[8] = {0}, want_size = 0, want_align = 0;
    LL_ORACLE
    {
        want_size = layout_in_order(f, NULL, n, want_off, &want_align);
    }
    char name[200];
    check_layout(describe(f, n, name, sizeof name), f, n, want_off, want_size,
                 want_align);
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
    const field_desc no_align[] = {{4, 4}, {4, 0}};
    align = 99;
    LL_CHECK_UINT_EQ(struct_layout(no_align, 2, off, &align), 0,
                     "struct_layout with an alignment of 0 (invalid)");
    LL_CHECK_UINT_EQ(align, 0, "alignment reported for invalid input");

    /* A seeded valid struct with one field made invalid in a seeded way. */
    field_desc f[8];
    const size_t n = (size_t)ll_rand_int(1, 8);
    random_fields(f, n);
    const size_t i = (size_t)ll_rand_int(0, (long long)n - 1);
    const int how = (int)ll_rand_int(0, 2);
    if (how == 0)
        f[i].size = 0;
    else if (how == 1)
        f[i].align = f[i].align * 3; /* not a power of two */
    else
        f[i].size = f[i].align * 2 + 1, f[i].align *= 2; /* not a multiple */
    char what[256], name[200];
    snprintf(what, sizeof what, "struct_layout(%s) (field %zu is invalid)",
             describe(f, n, name, sizeof name), i);
    size_t scratch[8];
    align = 99;
    LL_CHECK_UINT_EQ(struct_layout(f, n, scratch, &align), 0, what);
    LL_CHECK_UINT_EQ(align, 0, "alignment reported for invalid input");
    LL_CHECK_UINT_EQ(struct_min_size(f, n, scratch), 0,
                     "struct_min_size of the same invalid fields");

    /* The same seeded fields made valid again, with offsets and alignment
     * not wanted (NULL). */
    random_fields(f, n);
    size_t want = 0;
    LL_ORACLE
    {
        want = layout_in_order(f, NULL, n, NULL, NULL);
    }
    snprintf(what, sizeof what,
             "struct_layout(%s, offsets=NULL, align_out=NULL)",
             describe(f, n, name, sizeof name));
    LL_CHECK_UINT_EQ(struct_layout(f, n, NULL, NULL), want, what);
}

/* Checks that order is a permutation of 0..n) and that it lays out to want
 * bytes (the test's own layout of the student's order). */
static void check_min(const char *name, const field_desc *f, size_t n,
                      size_t want)
{
    size_t order[8];
    for (size_t i = 0; i < 8; i++)
        order[i] = (size_t)-1;
    const size_t got = struct_min_size(f, n, order);
    char what[256];
    snprintf(what, sizeof what, "struct_min_size(%s)", name);
    LL_CHECK_UINT_EQ(got, want, what);
    int seen[8] = {0};
    size_t bad = n;
    for (size_t k = 0; k < n && bad == n; k++) {
        if (order[k] >= n || seen[order[k]])
            bad = k;
        else
            seen[order[k]] = 1;
    }
    LL_CHECK(bad == n,
             "struct_min_size(%s): order[%zu] = %zu is not a field index, or "
             "a field placed twice (order must be a permutation of 0..%zu)",
             name, bad, bad < n ? order[bad] : 0, n - 1);
    snprintf(what, sizeof what,
             "struct_min_size(%s): the size of the fields laid out in the "
             "order you chose",
             name);
    LL_CHECK_UINT_EQ(layout_in_order(f, order, n, NULL, NULL), want, what);
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

    /* Sorting by size instead of alignment leaves a hole here. */
    const field_desc e[] = {{3, 1}, {2, 2}, {1, 1}};
    check_min("{char[3]; short; char}", e, 3, 6);

    size_t order[8] = {7};
    const field_desc bad[] = {{3, 3}};
    LL_CHECK_UINT_EQ(struct_min_size(bad, 1, order), 0,
                     "struct_min_size with an alignment of 3 (invalid)");
    const field_desc bad_last[] = {{8, 8}, {4, 4}, {6, 4}};
    LL_CHECK_UINT_EQ(struct_min_size(bad_last, 3, order), 0,
                     "struct_min_size with size 6, align 4 in the last field "
                     "(invalid)");
    LL_CHECK_UINT_EQ(struct_min_size(NULL, 0, order), 0,
                     "struct_min_size of no fields");

    /* Seeded fields: no order can beat the sum of the sizes rounded up to
     * the largest alignment, and decreasing alignment reaches it. */
    field_desc f[8];
    const size_t n = (size_t)ll_rand_int(2, 8);
    random_fields(f, n);
    size_t want = 0;
    LL_ORACLE
    {
        size_t sum = 0, max_align = 1;
        for (size_t i = 0; i < n; i++) {
            sum += f[i].size;
            max_align = f[i].align > max_align ? f[i].align : max_align;
        }
        want = (sum + max_align - 1) / max_align * max_align;
    }
    char name[200];
    check_min(describe(f, n, name, sizeof name), f, n, want);
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

    /* Seeded values and powers of two (a multiple of a included). */
    char what[96];
    for (int t = 0; t < 4; t++) {
        const size_t a = (size_t)1 << ll_rand_int(0, 12);
        size_t n = (size_t)ll_rand_int(0, 1 << 20);
        if (t == 0)
            n = n / a * a; /* already a multiple */
        snprintf(what, sizeof what, "align_up(%zu, %zu)", n, a);
        LL_CHECK_UINT_EQ(align_up(n, a), (n / a + (n % a != 0)) * a, what);
        const uintptr_t u = (uintptr_t)ll_rand_int(1, 1LL << 40);
        snprintf(what, sizeof what, "align_ptr_up(%#lx, %zu) - %#lx",
                 (unsigned long)u, a, (unsigned long)u);
        LL_CHECK_UINT_EQ((uintptr_t)align_ptr_up((void *)u, a) - u,
                         (a - u % a) % a, what);
    }
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

    /* size 0 behaves like size 1 */
    unsigned char *z = aligned_malloc(0, 64);
    LL_CHECK_NOT_NULL(z, "aligned_malloc(0, 64) (size 0 behaves like 1)");
    LL_CHECK((uintptr_t)z % 64 == 0,
             "aligned_malloc(0, 64) returned %p, not a multiple of 64",
             (void *)z);
    z[0] = 1;
    aligned_free(z);

    /* A seeded block keeps seeded bytes while another block comes and goes
     * (and aligned_free finds malloc's pointer after the bytes changed). */
    const size_t size = (size_t)ll_rand_int(1, 5000);
    const size_t a = (size_t)1 << ll_rand_int(0, 12);
    char what[96];
    snprintf(what, sizeof what, "aligned_malloc(%zu, %zu)", size, a);
    unsigned char *p = aligned_malloc(size, a);
    LL_CHECK_NOT_NULL(p, what);
    LL_CHECK((uintptr_t)p % a == 0, "%s returned %p, not a multiple of %zu",
             what, (void *)p, a);
    unsigned char *pattern = ll_alloc(size);
    for (size_t i = 0; i < size; i++)
        pattern[i] = (unsigned char)ll_rand_int(0, 255);
    memcpy(p, pattern, size);
    unsigned char *q = aligned_malloc(size, a);
    LL_CHECK_NOT_NULL(q, what);
    memset(q, 0x5a, size);
    aligned_free(q);
    snprintf(what, sizeof what,
             "the seeded bytes written to aligned_malloc(%zu, %zu)", size, a);
    LL_CHECK_BYTES_EQ(p, pattern, size, what);
    aligned_free(p);
    free(pattern);
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

    /* A seeded live block must survive the rejected requests around it. */
    const size_t size = (size_t)ll_rand_int(1, 300);
    unsigned char *live = aligned_malloc(size, 16);
    LL_CHECK_NOT_NULL(live, "aligned_malloc(size, 16)");
    unsigned char *pattern = ll_alloc(size);
    for (size_t i = 0; i < size; i++)
        pattern[i] = (unsigned char)ll_rand_int(0, 255);
    memcpy(live, pattern, size);

    /* A seeded alignment that is not a power of two. */
    size_t bad = (size_t)ll_rand_int(3, 4095);
    if ((bad & (bad - 1)) == 0)
        bad++;
    char what[96];
    snprintf(what, sizeof what, "aligned_malloc(16, %zu) (not a power of two)",
             bad);
    LL_CHECK_NULL(aligned_malloc(16, bad), what);

    /* A size that fits with the padding (align - 1) but overflows once the
     * saved pointer is added too. */
    const size_t a = (size_t)1 << ll_rand_int(0, 12);
    const size_t huge =
        SIZE_MAX - (a - 1) - (size_t)ll_rand_int(0, sizeof(void *) - 1);
    snprintf(what, sizeof what,
             "aligned_malloc(SIZE_MAX - %zu, %zu) (size + padding + pointer "
             "overflows)",
             SIZE_MAX - huge, a);
    LL_CHECK_NULL(aligned_malloc(huge, a), what);

    snprintf(what, sizeof what,
             "the %zu seeded bytes of a live block after the rejected "
             "requests",
             size);
    LL_CHECK_BYTES_EQ(live, pattern, size, what);
    aligned_free(live);
    free(pattern);
}

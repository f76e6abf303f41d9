/* Tests for 04_vector. Students: read them, do not edit them.
 *
 * This file defines fvec_realloc, the allocator the vector must use, so the
 * tests can count reallocations and simulate running out of memory. At the
 * end of every test LeakSanitizer checks that everything was freed. */
#include "llmlings.h"
#include "vector.h"

#include <stdint.h>
#include <stdlib.h>

/* Calls to fvec_realloc since the test started. */
static size_t g_calls;
/* Calls that succeed before every later one fails; -1: never fail. */
static long g_ok_left = -1;

/* Requests above this many bytes fail, as if memory had run out (a real
 * malloc of several exabytes would make AddressSanitizer abort). */
#define FAKE_MEMORY_LIMIT ((size_t)1 << 30)

void *fvec_realloc(void *ptr, size_t bytes)
{
    g_calls++;
    if (g_ok_left == 0 || bytes > FAKE_MEMORY_LIMIT)
        return NULL;
    if (g_ok_left > 0)
        g_ok_left--;
    return realloc(ptr, bytes);
}

static void reset_allocator(void)
{
    g_calls = 0;
    g_ok_left = -1;
}

/* Pushes x, failing the test with a clear message when push refuses. */
static void push_ok(fvec *v, float x)
{
    int rc = fvec_push(v, x);
    LL_CHECK(rc == 0,
             "fvec_push(v, %g) with len=%zu cap=%zu returned %d, expected 0",
             (double)x, v->len, v->cap, rc);
}

LL_TEST(vector, push_get_in_order)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    for (int i = 0; i < 5; i++)
        push_ok(&v, 1.5f * (float)i - 2.0f);
    LL_CHECK_UINT_EQ(v.len, 5, "len after 5 pushes");
    LL_CHECK(v.cap >= v.len, "cap (%zu) must be >= len (%zu)", v.cap, v.len);
    const float want[5] = {-2.0f, -0.5f, 1.0f, 2.5f, 4.0f};
    for (size_t i = 0; i < 5; i++)
        LL_CHECK_FLOAT_NEAR(fvec_get(&v, i), want[i], 0.0,
                            "fvec_get after pushing -2, -0.5, 1, 2.5, 4");
    LL_CHECK(g_calls >= 1,
             "fvec_push stored 5 floats without calling fvec_realloc: all "
             "memory must come from fvec_realloc (see vector.h)");
    fvec_free(&v);
}

LL_TEST(vector, pop_returns_last)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    push_ok(&v, 10.0f);
    push_ok(&v, 20.0f);
    push_ok(&v, 30.0f);
    float x = 0.0f;
    LL_CHECK_INT_EQ(fvec_pop(&v, &x), 0, "fvec_pop on {10, 20, 30}");
    LL_CHECK_FLOAT_NEAR(x, 30.0, 0.0, "value popped from {10, 20, 30}");
    LL_CHECK_UINT_EQ(v.len, 2, "len after one pop");
    push_ok(&v, 40.0f);
    LL_CHECK_INT_EQ(fvec_pop(&v, &x), 0, "fvec_pop on {10, 20, 40}");
    LL_CHECK_FLOAT_NEAR(x, 40.0, 0.0, "value popped from {10, 20, 40}");
    LL_CHECK_INT_EQ(fvec_pop(&v, &x), 0, "fvec_pop on {10, 20}");
    LL_CHECK_FLOAT_NEAR(x, 20.0, 0.0, "value popped from {10, 20}");
    LL_CHECK_INT_EQ(fvec_pop(&v, &x), 0, "fvec_pop on {10}");
    LL_CHECK_FLOAT_NEAR(x, 10.0, 0.0, "value popped from {10}");
    x = -1.0f;
    LL_CHECK_INT_EQ(fvec_pop(&v, &x), -1, "fvec_pop on an empty vector");
    LL_CHECK_FLOAT_NEAR(x, -1.0, 0.0,
                        "*out after popping an empty vector (untouched)");
    LL_CHECK_UINT_EQ(v.len, 0, "len after popping an empty vector");
    fvec_free(&v);
}

LL_TEST(vector, growth_is_geometric)
{
    reset_allocator();
    enum { N = 1000000 };
    fvec v;
    fvec_init(&v);
    size_t capacity_changes = 0, last_cap = v.cap;
    for (size_t i = 0; i < N; i++) {
        push_ok(&v, (float)i);
        if (v.cap != last_cap) {
            capacity_changes++;
            last_cap = v.cap;
        }
        /* Geometric growth by a factor <= 4 never holds more than about
         * 4x what is used; a huge first block or step is not geometric. */
        LL_CHECK(v.cap <= 4 * v.len + 64,
                 "after %zu pushes cap is %zu: expected at most 4*len + 64 "
                 "(start small, grow by a factor between 1.5 and 4)",
                 v.len, v.cap);
    }
    LL_CHECK_UINT_EQ(v.len, N, "len after 1000000 pushes");
    /* Growing by a factor >= 1.5 needs about log(N)/log(1.5) ~ 34 steps;
     * growing by a constant amount (<= 64 by the check above) needs
     * thousands. */
    LL_CHECK(g_calls <= 40,
             "1000000 pushes called fvec_realloc %zu times; geometric growth "
             "(x1.5 or x2) needs at most 40",
             g_calls);
    LL_CHECK(capacity_changes <= 40,
             "cap changed %zu times over 1000000 pushes; expected at most 40",
             capacity_changes);
    LL_CHECK(g_calls >= 1, "fvec_realloc was never called: all memory must "
                           "come from fvec_realloc (see vector.h)");
    for (size_t i = 0; i < N; i += 997)
        LL_CHECK_FLOAT_NEAR(fvec_get(&v, i), (double)i, 0.0,
                            "element kept across reallocations");
    LL_CHECK_FLOAT_NEAR(fvec_get(&v, N - 1), N - 1.0, 0.0, "last element");
    fvec_free(&v);
}

LL_TEST(vector, reserve_avoids_reallocation)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    LL_CHECK_INT_EQ(fvec_reserve(&v, 1000), 0, "fvec_reserve(&v, 1000)");
    LL_CHECK(v.cap >= 1000, "cap after fvec_reserve(&v, 1000) is %zu", v.cap);
    LL_CHECK_UINT_EQ(v.len, 0,
                     "len after fvec_reserve (reserve adds no "
                     "elements)");
    LL_CHECK_UINT_EQ(g_calls, 1, "fvec_realloc calls made by fvec_reserve");
    for (int i = 0; i < 1000; i++)
        push_ok(&v, (float)(i * i));
    LL_CHECK_UINT_EQ(g_calls, 1,
                     "fvec_realloc calls after 1000 pushes into "
                     "a vector reserved for 1000 (no growth "
                     "should be needed)");
    const size_t cap = v.cap;
    LL_CHECK_INT_EQ(fvec_reserve(&v, 10), 0,
                    "fvec_reserve(&v, 10) on a "
                    "larger vector");
    LL_CHECK_UINT_EQ(v.cap, cap,
                     "cap after reserving less than cap (no "
                     "change, never shrink)");
    LL_CHECK_UINT_EQ(g_calls, 1, "fvec_realloc calls after a no-op reserve");
    LL_CHECK_FLOAT_NEAR(fvec_get(&v, 999), 998001.0, 0.0, "element 999");
    fvec_free(&v);
}

LL_TEST(vector, realloc_failure_keeps_data)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    push_ok(&v, 1.0f);
    while (v.len < v.cap) /* fill up without needing memory */
        push_ok(&v, (float)v.len + 1.0f);
    const fvec before = v;

    g_ok_left = 0; /* from now on fvec_realloc fails */
    int rc = fvec_push(&v, -99.0f);
    LL_CHECK_INT_EQ(rc, -1,
                    "fvec_push on a full vector when fvec_realloc "
                    "returns NULL");
    LL_CHECK_PTR_EQ(v.data, before.data,
                    "data after a failed push (the old block must be kept: "
                    "realloc does not free it when it fails)");
    LL_CHECK_UINT_EQ(v.len, before.len, "len after a failed push");
    LL_CHECK_UINT_EQ(v.cap, before.cap, "cap after a failed push");
    for (size_t i = 0; i < v.len; i++)
        LL_CHECK_FLOAT_NEAR(fvec_get(&v, i), (double)i + 1.0, 0.0,
                            "element after a failed push");
    LL_CHECK_INT_EQ(fvec_reserve(&v, v.cap + 100), -1,
                    "fvec_reserve when fvec_realloc returns NULL");
    LL_CHECK_UINT_EQ(v.cap, before.cap, "cap after a failed reserve");

    g_ok_left = -1; /* memory is back */
    push_ok(&v, 123.0f);
    LL_CHECK_FLOAT_NEAR(fvec_get(&v, v.len - 1), 123.0, 0.0,
                        "value pushed once memory is back");
    fvec_free(&v);
}

LL_TEST(vector, reserve_rejects_overflowing_sizes)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    push_ok(&v, 7.0f);
    const fvec before = v;
    /* (SIZE_MAX/4 + 2) * 4 wraps around to 4 bytes: an unchecked
     * multiplication "succeeds" with a tiny block. */
    const size_t wraps = SIZE_MAX / sizeof(float) + 2;
    LL_CHECK_INT_EQ(fvec_reserve(&v, wraps), -1,
                    "fvec_reserve(&v, SIZE_MAX/4 + 2): the byte count "
                    "overflows size_t");
    LL_CHECK_UINT_EQ(v.cap, before.cap, "cap after the rejected reserve");
    LL_CHECK_INT_EQ(fvec_reserve(&v, SIZE_MAX), -1,
                    "fvec_reserve(&v, "
                    "SIZE_MAX)");
    LL_CHECK_INT_EQ(fvec_reserve(&v, SIZE_MAX / sizeof(float)), -1,
                    "fvec_reserve(&v, SIZE_MAX/4) (no overflow, but no "
                    "memory)");
    LL_CHECK_PTR_EQ(v.data, before.data, "data after the rejected reserves");
    LL_CHECK_UINT_EQ(v.cap, before.cap, "cap after the rejected reserves");
    LL_CHECK_FLOAT_NEAR(fvec_get(&v, 0), 7.0, 0.0, "element 0 kept");
    fvec_free(&v);
}

LL_TEST(vector, free_resets_for_reuse)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    for (int i = 0; i < 100; i++)
        push_ok(&v, (float)i);
    fvec_free(&v);
    LL_CHECK_NULL(v.data, "data after fvec_free");
    LL_CHECK_UINT_EQ(v.len, 0, "len after fvec_free");
    LL_CHECK_UINT_EQ(v.cap, 0, "cap after fvec_free");
    /* An emptied vector works again (and must be freed again). */
    push_ok(&v, 3.25f);
    LL_CHECK_FLOAT_NEAR(fvec_get(&v, 0), 3.25, 0.0, "element 0 after reuse");
    fvec_free(&v);
    fvec_free(&v); /* freeing an empty vector is harmless */
    LL_CHECK_NULL(v.data, "data after freeing twice");
}

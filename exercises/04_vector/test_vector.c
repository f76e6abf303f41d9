/* Tests for 04_vector. Students: read them, do not edit them.
 *
 * This file defines fvec_realloc, the allocator the vector must use, so the
 * tests can count reallocations and simulate running out of memory. At the
 * end of every test LeakSanitizer checks that everything was freed. Each
 * test pushes values (and counts) of its own drawn from the grader's seeded
 * generator (ll_rand_*). */
#include "llmlings.h"
#include "vector.h"

#include <stdint.h>
#include <stdio.h>
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

/* Pushes x[0..n) with one check for all of them: the first refusal, if any,
 * with the vector's state at that moment. */
static void push_all(fvec *v, const float *x, size_t n)
{
    size_t at = n, len = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; i < n && at == n; i++) {
        len = v->len;
        cap = v->cap;
        rc = fvec_push(v, x[i]);
        if (rc != 0)
            at = i;
    }
    LL_CHECK(at == n,
             "fvec_push(v, %g) (push #%zu, with len=%zu cap=%zu) returned %d, "
             "expected 0",
             at < n ? (double)x[at] : 0.0, at, len, cap, rc);
    (void)len, (void)cap; /* only in the message (compiled out in judge mode) */
}

/* n seeded floats. */
static float *random_floats(size_t n)
{
    float *x = ll_alloc(n * sizeof *x);
    ll_rand_floats(x, n, -1000.0f, 1000.0f);
    return x;
}

/* fvec_get(v, i) for every i < v->len, compared with want[0..v->len) as one
 * array. */
static void check_contents(const fvec *v, const float *want, const char *what)
{
    float *got = ll_alloc(v->len * sizeof *got);
    for (size_t i = 0; i < v->len; i++)
        got[i] = fvec_get(v, i);
    LL_CHECK_FLOATS_NEAR(got, want, v->len, 0.0f, 0.0f, what);
    free(got);
}

/* The first n elements are x[0..n) and the rest (up to len) are the 0.5
 * fill of realloc_failure_keeps_data: two checks whose sizes do not depend
 * on the growth policy. */
static void check_first(const fvec *v, const float *x, size_t n,
                        const char *when)
{
    float *got = ll_alloc(n * sizeof *got);
    for (size_t i = 0; i < n && i < v->len; i++)
        got[i] = fvec_get(v, i);
    LL_CHECK(v->len >= n, "len %s: expected at least %zu, got %zu", when, n,
             v->len);
    char what[128];
    snprintf(what, sizeof what,
             "fvec_get(v, i) %s (the %zu seeded values, element [i])", when, n);
    LL_CHECK_FLOATS_NEAR(got, x, n, 0.0f, 0.0f, what);
    size_t bad = v->len;
    for (size_t i = n; i < v->len && bad == v->len; i++)
        bad = fvec_get(v, i) == 0.5f ? v->len : i;
    LL_CHECK(bad == v->len,
             "fvec_get(v, %zu) %s: expected 0.5 (the fill), got %g", bad, when,
             bad < v->len ? (double)fvec_get(v, bad) : 0.0);
    free(got);
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
    check_contents(&v, want,
                   "fvec_get(v, i) after pushing -2, -0.5, 1, 2.5, 4 "
                   "(element [i])");
    LL_CHECK(g_calls >= 1,
             "fvec_push stored 5 floats without calling fvec_realloc: all "
             "memory must come from fvec_realloc (see vector.h)");
    fvec_free(&v);

    /* A seeded count of seeded values, across a few growths. */
    const size_t n = (size_t)ll_rand_int(1, 300);
    float *x = random_floats(n);
    push_all(&v, x, n);
    char what[96];
    snprintf(what, sizeof what, "len after %zu pushes", n);
    LL_CHECK_UINT_EQ(v.len, n, what);
    LL_CHECK(v.cap >= v.len, "cap (%zu) must be >= len (%zu)", v.cap, v.len);
    snprintf(what, sizeof what,
             "fvec_get(v, i) after %zu seeded pushes (element [i])", n);
    check_contents(&v, x, what);
    free(x);
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

    /* Seeded values pushed, then all popped: they come back in reverse
     * order, and pops never reallocate. */
    const size_t n = (size_t)ll_rand_int(1, 100);
    float *in = random_floats(n);
    push_all(&v, in, n);
    const size_t calls = g_calls;
    float *got = ll_alloc(n * sizeof *got);
    float *want = ll_alloc(n * sizeof *want);
    size_t refused = n;
    for (size_t i = 0; i < n; i++)
        if (fvec_pop(&v, &got[i]) != 0 && refused == n)
            refused = i;
    LL_ORACLE
    {
        for (size_t i = 0; i < n; i++)
            want[i] = in[n - 1 - i];
    }
    LL_CHECK(refused == n, "pop #%zu of %zu refused (returned -1)", refused, n);
    char what[96];
    snprintf(what, sizeof what,
             "values popped after %zu seeded pushes (pop #i = element [i])", n);
    LL_CHECK_FLOATS_NEAR(got, want, n, 0.0f, 0.0f, what);
    LL_CHECK(g_calls == calls,
             "fvec_pop called fvec_realloc %zu times: expected never",
             g_calls - calls);
    free(want);
    free(got);
    free(in);
    fvec_free(&v);
}

LL_TEST(vector, growth_is_geometric)
{
    reset_allocator();
    enum { N = 1000000 };
    /* the values pushed: i XOR a seeded salt, exact in a float */
    const size_t salt = (size_t)ll_rand_int(0, (1 << 20) - 1);
    fvec v;
    fvec_init(&v);
    size_t capacity_changes = 0, last_cap = v.cap;
    size_t refused_at = N, over_len = 0, over_cap = 0;
    int rc = 0;
    for (size_t i = 0; i < N && refused_at == N; i++) {
        rc = fvec_push(&v, (float)(i ^ salt));
        if (rc != 0)
            refused_at = i;
        if (v.cap != last_cap) {
            capacity_changes++;
            last_cap = v.cap;
        }
        /* Geometric growth by a factor <= 4 never holds more than about
         * 4x what is used; a huge first block or step is not geometric. */
        if (v.cap > 4 * v.len + 64 && over_cap == 0) {
            over_len = v.len;
            over_cap = v.cap;
        }
    }
    LL_CHECK(refused_at == N,
             "fvec_push #%zu (len=%zu cap=%zu) returned %d, expected 0",
             refused_at, v.len, v.cap, rc);
    LL_CHECK(over_cap == 0,
             "after %zu pushes cap is %zu: expected at most 4*len + 64 "
             "(start small, grow by a factor between 1.5 and 4)",
             over_len, over_cap);
    (void)over_len; /* only in the message (compiled out in judge mode) */
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

    /* every 997th element, and the last one */
    enum { SAMPLES = N / 997 + 2 };
    float got[SAMPLES], want[SAMPLES];
    for (size_t s = 0; s < SAMPLES; s++) {
        const size_t i = s + 1 < SAMPLES ? s * 997 : N - 1;
        got[s] = fvec_get(&v, i);
    }
    LL_ORACLE
    {
        for (size_t s = 0; s < SAMPLES; s++) {
            const size_t i = s + 1 < SAMPLES ? s * 997 : N - 1;
            want[s] = (float)(i ^ salt);
        }
    }
    char what[128];
    snprintf(what, sizeof what,
             "fvec_get(v, 997 * s) after pushing i ^ %zu for i < 1000000 "
             "(element [s]; the last one is element 999999)",
             salt);
    LL_CHECK_FLOATS_NEAR(got, want, SAMPLES, 0.0f, 0.0f, what);
    fvec_free(&v);
}

LL_TEST(vector, reserve_avoids_reallocation)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    const size_t n = (size_t)ll_rand_int(500, 3000);
    char what[128];
    snprintf(what, sizeof what, "fvec_reserve(&v, %zu)", n);
    LL_CHECK_INT_EQ(fvec_reserve(&v, n), 0, what);
    LL_CHECK(v.cap >= n, "cap after fvec_reserve(&v, %zu) is %zu", n, v.cap);
    LL_CHECK_UINT_EQ(v.len, 0,
                     "len after fvec_reserve (reserve adds no "
                     "elements)");
    LL_CHECK_UINT_EQ(g_calls, 1, "fvec_realloc calls made by fvec_reserve");
    float *x = random_floats(n);
    push_all(&v, x, n);
    snprintf(what, sizeof what,
             "fvec_realloc calls after %zu pushes into a vector reserved for "
             "%zu (no growth should be needed)",
             n, n);
    LL_CHECK_UINT_EQ(g_calls, 1, what);
    const size_t cap = v.cap;
    LL_CHECK_INT_EQ(fvec_reserve(&v, 10), 0,
                    "fvec_reserve(&v, 10) on a "
                    "larger vector");
    LL_CHECK(v.cap == cap,
             "cap after fvec_reserve(&v, 10) with cap %zu: expected no change "
             "(never shrink), got %zu",
             cap, v.cap);
    LL_CHECK_INT_EQ(fvec_reserve(&v, cap), 0,
                    "fvec_reserve(&v, cap) (exactly the capacity)");
    LL_CHECK(v.cap == cap,
             "cap after fvec_reserve(&v, cap) with cap %zu: expected no "
             "change, got %zu",
             cap, v.cap);
    LL_CHECK_UINT_EQ(g_calls, 1, "fvec_realloc calls after no-op reserves");
    snprintf(what, sizeof what,
             "fvec_get(v, i) after %zu seeded pushes and two no-op reserves "
             "(element [i])",
             n);
    check_contents(&v, x, what);

    /* Growing a vector that holds data keeps the data. */
    LL_CHECK_INT_EQ(fvec_reserve(&v, cap + 1), 0, "fvec_reserve(&v, cap + 1)");
    LL_CHECK(v.cap >= cap + 1, "cap after fvec_reserve(&v, %zu) is %zu",
             cap + 1, v.cap);
    LL_CHECK_UINT_EQ(g_calls, 2, "fvec_realloc calls after growing by one");
    check_contents(&v, x, "fvec_get(v, i) after growing the reserve");
    free(x);
    fvec_free(&v);
}

LL_TEST(vector, realloc_failure_keeps_data)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);

    /* With no memory at all, the first push fails and leaves v empty. */
    g_ok_left = 0;
    LL_CHECK_INT_EQ(fvec_push(&v, 1.0f), -1,
                    "fvec_push on an empty vector when fvec_realloc "
                    "returns NULL");
    LL_CHECK_NULL(v.data, "data after a failed first push");
    LL_CHECK_UINT_EQ(v.len, 0, "len after a failed first push");
    LL_CHECK_UINT_EQ(v.cap, 0, "cap after a failed first push");
    g_ok_left = -1;

    /* Seeded values up to a full vector (a seeded number of growths). */
    const size_t n = (size_t)ll_rand_int(1, 200);
    float *x = random_floats(n);
    push_all(&v, x, n);
    /* fill up without needing memory (how far depends on your growth) */
    size_t fill_refused = 0;
    while (v.len < v.cap && fill_refused == 0)
        fill_refused = fvec_push(&v, 0.5f) != 0 ? v.len + 1 : 0;
    LL_CHECK(fill_refused == 0,
             "fvec_push(v, 0.5) with len=%zu cap=%zu returned -1 although "
             "len < cap",
             v.len, v.cap);
    const fvec before = v;

    g_ok_left = 0; /* from now on fvec_realloc fails */
    int rc = fvec_push(&v, -99.0f);
    LL_CHECK_INT_EQ(rc, -1,
                    "fvec_push on a full vector when fvec_realloc "
                    "returns NULL");
    LL_CHECK_PTR_EQ(v.data, before.data,
                    "data after a failed push (the old block must be kept: "
                    "realloc does not free it when it fails)");
    LL_CHECK(v.len == before.len && v.cap == before.cap,
             "len, cap after a failed push: expected %zu, %zu (unchanged), "
             "got %zu, %zu",
             before.len, before.cap, v.len, v.cap);
    check_first(&v, x, n, "after a failed push");
    LL_CHECK_INT_EQ(fvec_reserve(&v, v.cap + 100), -1,
                    "fvec_reserve when fvec_realloc returns NULL");
    LL_CHECK_PTR_EQ(v.data, before.data, "data after a failed reserve");
    LL_CHECK(v.cap == before.cap,
             "cap after a failed reserve: expected %zu (unchanged), got %zu",
             before.cap, v.cap);

    g_ok_left = -1; /* memory is back */
    push_ok(&v, 123.0f);
    LL_CHECK_FLOAT_NEAR(fvec_get(&v, v.len - 1), 123.0, 0.0,
                        "value pushed once memory is back");
    LL_CHECK_FLOAT_NEAR(fvec_get(&v, 0), x[0], 0.0,
                        "element 0 once memory is back");
    free(x);
    fvec_free(&v);
}

LL_TEST(vector, reserve_rejects_overflowing_sizes)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    const float x = ll_rand_float(-1000.0f, 1000.0f);
    push_ok(&v, x);
    const fvec before = v;
    /* (SIZE_MAX/4 + 2) * 4 wraps around to 4 bytes: an unchecked
     * multiplication "succeeds" with a tiny block; so does any count a
     * little above SIZE_MAX/4. */
    const size_t wraps = SIZE_MAX / sizeof(float) + 2;
    LL_CHECK_INT_EQ(fvec_reserve(&v, wraps), -1,
                    "fvec_reserve(&v, SIZE_MAX/4 + 2): the byte count "
                    "overflows size_t");
    LL_CHECK(v.cap == before.cap,
             "cap after the rejected reserve: expected %zu (unchanged), got "
             "%zu",
             before.cap, v.cap);
    const size_t above =
        SIZE_MAX / sizeof(float) + 1 + (size_t)ll_rand_int(1, 1 << 20);
    char what[96];
    snprintf(what, sizeof what,
             "fvec_reserve(&v, SIZE_MAX/4 + 1 + %zu): overflows size_t",
             above - SIZE_MAX / sizeof(float) - 1);
    LL_CHECK_INT_EQ(fvec_reserve(&v, above), -1, what);
    LL_CHECK_INT_EQ(fvec_reserve(&v, SIZE_MAX), -1,
                    "fvec_reserve(&v, "
                    "SIZE_MAX)");
    LL_CHECK_INT_EQ(fvec_reserve(&v, SIZE_MAX / sizeof(float)), -1,
                    "fvec_reserve(&v, SIZE_MAX/4) (no overflow, but no "
                    "memory)");
    LL_CHECK_PTR_EQ(v.data, before.data, "data after the rejected reserves");
    LL_CHECK(v.cap == before.cap,
             "cap after the rejected reserves: expected %zu (unchanged), got "
             "%zu",
             before.cap, v.cap);
    LL_CHECK_FLOAT_NEAR(fvec_get(&v, 0), x, 0.0, "element 0 kept");
    fvec_free(&v);
}

LL_TEST(vector, free_resets_for_reuse)
{
    reset_allocator();
    fvec v;
    fvec_init(&v);
    fvec_free(&v); /* freeing a vector that owns nothing is harmless */
    LL_CHECK_NULL(v.data, "data after freeing an empty vector");
    const size_t n = (size_t)ll_rand_int(1, 200);
    float *x = random_floats(n);
    push_all(&v, x, n);
    fvec_free(&v);
    LL_CHECK_NULL(v.data, "data after fvec_free");
    LL_CHECK_UINT_EQ(v.len, 0, "len after fvec_free");
    LL_CHECK_UINT_EQ(v.cap, 0, "cap after fvec_free");
    /* An emptied vector works again (and must be freed again). */
    push_all(&v, x, n);
    char what[96];
    snprintf(what, sizeof what,
             "fvec_get(v, i) after reuse (%zu seeded values, element [i])", n);
    check_contents(&v, x, what);
    fvec_free(&v);
    fvec_free(&v); /* freeing an empty vector is harmless */
    LL_CHECK_NULL(v.data, "data after freeing twice");
    free(x);
}

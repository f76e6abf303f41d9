/* Tests for 01_pointers. Students: read them, do not edit them.
 *
 * Besides the fixed cases, each test draws a case of its own from the
 * grader's seeded generator (ll_rand_*): when it grades, the grader may pick
 * other arrays and ranges than the ones you see. */
#include "llmlings.h"
#include "pointers.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n seeded ints in [lo, hi]. */
static int *random_ints(size_t n, int lo, int hi)
{
    int *v = ll_alloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (int)ll_rand_int(lo, hi);
    return v;
}

LL_TEST(pointers, swap_exchanges_values)
{
    int a = 3, b = -7;
    swap_int(&a, &b);
    LL_CHECK_INT_EQ(a, -7, "after swap_int(&a, &b) with a=3, b=-7: a");
    LL_CHECK_INT_EQ(b, 3, "after swap_int(&a, &b) with a=3, b=-7: b");

    /* Swapping two elements of an array through pointers into it. */
    int v[3] = {10, 20, 30};
    swap_int(&v[0], v + 2);
    LL_CHECK_INT_EQ(v[0], 30, "swap_int(&v[0], v + 2) on {10,20,30}: v[0]");
    LL_CHECK_INT_EQ(v[1], 20, "swap_int(&v[0], v + 2): v[1] must not move");
    LL_CHECK_INT_EQ(v[2], 10, "swap_int(&v[0], v + 2) on {10,20,30}: v[2]");

    /* The same object twice: a swap through a temporary leaves it as is. */
    int c = 42;
    swap_int(&c, &c);
    LL_CHECK_INT_EQ(c, 42, "swap_int(&c, &c) with c=42 (same object)");

    /* Two seeded elements of a seeded array (possibly the same one). */
    const size_t n = (size_t)ll_rand_int(2, 16);
    int *w = random_ints(n, INT_MIN, INT_MAX);
    const size_t i = (size_t)ll_rand_int(0, (long long)n - 1);
    const size_t j = (size_t)ll_rand_int(0, (long long)n - 1);
    int *want = ll_alloc(n * sizeof *want);
    LL_ORACLE
    {
        memcpy(want, w, n * sizeof *w);
        want[i] = w[j];
        want[j] = w[i];
    }
    swap_int(&w[i], &w[j]);
    char what[96];
    snprintf(what, sizeof what,
             "swap_int(&v[%zu], &v[%zu]) on %zu seeded ints: the whole array",
             i, j, n);
    LL_CHECK_BYTES_EQ(w, want, n * sizeof *w, what);
    free(want);
    free(w);
}

LL_TEST(pointers, sum_range_walks_pointers)
{
    const int v[6] = {4, -1, 7, 100, -50, 3};
    LL_CHECK_INT_EQ(sum_range(v, v + 6), 63,
                    "sum_range(v, v + 6), v = "
                    "{4,-1,7,100,-50,3}");
    LL_CHECK_INT_EQ(sum_range(v + 2, v + 5), 57,
                    "sum_range(v + 2, v + 5) (elements 7, 100, -50)");
    LL_CHECK_INT_EQ(sum_range(v + 3, v + 4), 100,
                    "sum_range(v + 3, v + 4) (one element)");
    LL_CHECK_INT_EQ(sum_range(v + 4, v + 4), 0,
                    "sum_range(v + 4, v + 4) (empty range)");

    /* Large values: the sum must not overflow an int, either way. */
    int *big = ll_alloc(4 * sizeof *big);
    for (int i = 0; i < 4; i++)
        big[i] = INT_MAX;
    LL_CHECK_INT_EQ(sum_range(big, big + 4), 4L * INT_MAX,
                    "sum_range over 4 x INT_MAX (use a long)");
    for (int i = 0; i < 4; i++)
        big[i] = INT_MIN;
    LL_CHECK_INT_EQ(sum_range(big, big + 4), 4L * INT_MIN,
                    "sum_range over 4 x INT_MIN (use a long)");
    free(big);

    /* A seeded sub-range [begin, end) of seeded ints of any size. */
    const size_t n = (size_t)ll_rand_int(1, 64);
    int *w = random_ints(n, INT_MIN, INT_MAX);
    const size_t b = (size_t)ll_rand_int(0, (long long)n);
    const size_t e = (size_t)ll_rand_int((long long)b, (long long)n);
    long want = 0;
    LL_ORACLE
    {
        for (size_t i = b; i < e; i++)
            want += w[i];
    }
    char what[96];
    snprintf(what, sizeof what,
             "sum_range(v + %zu, v + %zu) on %zu seeded ints", b, e, n);
    LL_CHECK_INT_EQ(sum_range(w + b, w + e), want, what);
    free(w);
}

/* Checks min_max(v, n) against the extremes found by a scan of its own. */
static void check_min_max(const int *v, size_t n, const char *name)
{
    int lo = 1234, hi = 1234, want_lo = 0, want_hi = 0;
    LL_ORACLE
    {
        want_lo = want_hi = v[0];
        for (size_t i = 1; i < n; i++) {
            want_lo = v[i] < want_lo ? v[i] : want_lo;
            want_hi = v[i] > want_hi ? v[i] : want_hi;
        }
    }
    const int rc = min_max(v, n, &lo, &hi);
    char what[96];
    snprintf(what, sizeof what, "min_max(%s, %zu, ...) return value", name, n);
    LL_CHECK_INT_EQ(rc, 0, what);
    snprintf(what, sizeof what, "min of %s (%zu ints)", name, n);
    LL_CHECK_INT_EQ(lo, want_lo, what);
    snprintf(what, sizeof what, "max of %s (%zu ints)", name, n);
    LL_CHECK_INT_EQ(hi, want_hi, what);
}

LL_TEST(pointers, min_max_out_params)
{
    const int v[6] = {5, -3, 9, 0, 9, -3};
    int lo = 1234, hi = 1234;
    int rc = min_max(v, 6, &lo, &hi);
    LL_CHECK_INT_EQ(rc, 0, "min_max(v, 6, ...) return value");
    LL_CHECK_INT_EQ(lo, -3, "min of {5,-3,9,0,9,-3}");
    LL_CHECK_INT_EQ(hi, 9, "max of {5,-3,9,0,9,-3}");

    const int neg[3] = {-8, -2, -5};
    rc = min_max(neg, 3, &lo, &hi);
    LL_CHECK_INT_EQ(rc, 0, "min_max(neg, 3, ...) return value");
    LL_CHECK_INT_EQ(lo, -8, "min of {-8,-2,-5}");
    LL_CHECK_INT_EQ(hi, -2,
                    "max of {-8,-2,-5} (all negative: do not start "
                    "from 0)");

    /* The extremes in the last place: the scan must reach v[n - 1]. */
    const int last[4] = {3, 1, 2, 0};
    rc = min_max(last, 4, &lo, &hi);
    LL_CHECK_INT_EQ(rc, 0, "min_max(last, 4, ...) return value");
    LL_CHECK_INT_EQ(lo, 0, "min of {3,1,2,0} (the last element)");
    const int up[3] = {1, 2, 3};
    rc = min_max(up, 3, &lo, &hi);
    LL_CHECK_INT_EQ(rc, 0, "min_max(up, 3, ...) return value");
    LL_CHECK_INT_EQ(hi, 3, "max of {1,2,3} (the last element)");

    const int one = 77;
    rc = min_max(&one, 1, &lo, &hi);
    LL_CHECK_INT_EQ(rc, 0, "min_max(&one, 1, ...) return value");
    LL_CHECK_INT_EQ(lo, 77, "min of {77}");
    LL_CHECK_INT_EQ(hi, 77, "max of {77}");

    lo = 1234;
    hi = 5678;
    rc = min_max(v, 0, &lo, &hi);
    LL_CHECK_INT_EQ(rc, -1, "min_max(v, 0, ...) (empty) return value");
    LL_CHECK_INT_EQ(lo, 1234, "*min_out after min_max with n == 0 (untouched)");
    LL_CHECK_INT_EQ(hi, 5678, "*max_out after min_max with n == 0 (untouched)");

    /* Seeded ints, all negative or of any sign. */
    const size_t n = (size_t)ll_rand_int(1, 40);
    int *w = random_ints(n, -1000, 1000);
    check_min_max(w, n, "seeded v");
    free(w);
    int *m = random_ints(n, INT_MIN, -1);
    check_min_max(m, n, "seeded negative v");
    free(m);
}

LL_TEST(pointers, find_first_returns_address)
{
    const int v[7] = {8, 3, 5, 3, 9, 5, 1};
    LL_CHECK_PTR_EQ(find_first(v, 7, 5), &v[2],
                    "find_first(v, 7, 5) must point at v[2] (first 5)");
    LL_CHECK_PTR_EQ(find_first(v, 7, 8), &v[0],
                    "find_first(v, 7, 8) must point at v[0]");
    LL_CHECK_PTR_EQ(find_first(v, 7, 1), &v[6],
                    "find_first(v, 7, 1) must point at v[6] (last)");
    LL_CHECK_NULL(find_first(v, 7, 4), "find_first(v, 7, 4) (absent)");
    LL_CHECK_NULL(find_first(v, 6, 1),
                  "find_first(v, 6, 1) (only v[0..6) is searched)");
    LL_CHECK_NULL(find_first(v, 0, 8), "find_first(v, 0, 8) (empty)");

    /* A pointer difference turns the address back into an index. */
    const int *p = find_first(v, 7, 9);
    LL_CHECK_NOT_NULL(p, "find_first(v, 7, 9)");
    LL_CHECK_INT_EQ(p - v, 4, "index of 9 computed as find_first(...) - v");

    /* Seeded digits, so that most values repeat and some are absent. */
    const size_t n = (size_t)ll_rand_int(1, 30);
    int *w = random_ints(n, 0, 9);
    char what[128];
    for (int x = 0; x <= 9; x++) {
        long want = -1;
        LL_ORACLE
        {
            for (size_t i = n; i-- > 0;)
                want = w[i] == x ? (long)i : want;
        }
        p = find_first(w, n, x);
        const long got = p == NULL ? -1 : (long)(p - w);
        snprintf(what, sizeof what,
                 "find_first(v, %zu, %d) - v on seeded digits (-1: NULL)", n,
                 x);
        LL_CHECK_INT_EQ(got, want, what);
    }
    free(w);
}

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

/* The sign of a comparator's result: -1, 0 or 1. */
static int sign_of(int r)
{
    return (r > 0) - (r < 0);
}

/* sign(compare_scored(&x, &y)) must be want; the swapped call the
 * opposite. */
static void check_compare(scored x, scored y, int want)
{
    char what[128];
    snprintf(what, sizeof what,
             "sign of compare_scored(&{%g, %d}, &{%g, %d}) (-1: the first "
             "comes first)",
             (double)x.score, x.id, (double)y.score, y.id);
    LL_CHECK_INT_EQ(sign_of(compare_scored(&x, &y)), want, what);
    snprintf(what, sizeof what,
             "sign of compare_scored(&{%g, %d}, &{%g, %d}) (-1: the first "
             "comes first)",
             (double)y.score, y.id, (double)x.score, x.id);
    LL_CHECK_INT_EQ(sign_of(compare_scored(&y, &x)), -want, what);
}

LL_TEST(pointers, compare_and_qsort)
{
    check_compare((scored){0.9f, 2}, (scored){0.5f, 7}, -1);
    check_compare((scored){0.5f, 3}, (scored){0.5f, 7}, -1);
    check_compare((scored){0.5f, 3}, (scored){0.5f, 3}, 0);
    /* Close scores: their difference (0.2) is 0 as an int. */
    check_compare((scored){0.3f, 9}, (scored){0.1f, 1}, -1);
    /* Far apart scores and ids: a subtraction would overflow an int. */
    check_compare((scored){3e9f, 5}, (scored){-3e9f, 0}, -1);
    check_compare((scored){1.0f, INT_MIN}, (scored){1.0f, INT_MAX}, -1);

    /* The README's example. */
    scored v[3] = {{0.5f, 7}, {0.9f, 2}, {0.5f, 3}};
    sort_scored(v, 3);
    const float want_scores[3] = {0.9f, 0.5f, 0.5f};
    float got_scores[3], got_ids[3];
    for (int i = 0; i < 3; i++) {
        got_scores[i] = v[i].score;
        got_ids[i] = (float)v[i].id;
    }
    LL_CHECK_FLOATS_NEAR(got_scores, want_scores, 3, 0.0f, 0.0f,
                         "scores after sort_scored({0.5, 7}, {0.9, 2}, {0.5, "
                         "3})");
    const float want_ids[3] = {2, 3, 7};
    LL_CHECK_FLOATS_NEAR(got_ids, want_ids, 3, 0.0f, 0.0f,
                         "ids after sort_scored({0.5, 7}, {0.9, 2}, {0.5, 3})");
    scored one = {0.25f, 4};
    sort_scored(&one, 1);
    LL_CHECK_INT_EQ(one.id, 4, "id after sorting one element");
    sort_scored(NULL, 0); /* nothing to sort: must not touch v */

    /* Seeded scores, few distinct so that many tie, and seeded ids in a
     * seeded order; the expected order comes from an insertion sort. */
    const size_t n = (size_t)ll_rand_int(2, 200);
    scored *s = ll_alloc(n * sizeof *s);
    size_t *perm = ll_alloc(n * sizeof *perm);
    ll_rand_permutation(perm, n);
    for (size_t i = 0; i < n; i++) {
        s[i].score = (float)ll_rand_int(-4, 4) * 0.25f;
        s[i].id = (int)perm[i] * 3 - 100;
    }
    float *want = ll_alloc(2 * n * sizeof *want);
    LL_ORACLE
    {
        scored *t = ll_alloc(n * sizeof *t);
        for (size_t i = 0; i < n; i++) {
            size_t j = i;
            while (j > 0 &&
                   (t[j - 1].score < s[i].score ||
                    (t[j - 1].score == s[i].score && t[j - 1].id > s[i].id))) {
                t[j] = t[j - 1];
                j--;
            }
            t[j] = s[i];
        }
        for (size_t i = 0; i < n; i++) {
            want[i] = t[i].score;
            want[n + i] = (float)t[i].id;
        }
        free(t);
    }
    sort_scored(s, n);
    float *got = ll_alloc(2 * n * sizeof *got);
    for (size_t i = 0; i < n; i++) {
        got[i] = s[i].score;
        got[n + i] = (float)s[i].id;
    }
    char what[160];
    snprintf(what, sizeof what,
             "sort_scored of %zu seeded values: element [i] is v[i].score, "
             "element [%zu + i] is v[i].id",
             n, n);
    LL_CHECK_FLOATS_NEAR(got, want, 2 * n, 0.0f, 0.0f, what);
    free(got);
    free(want);
    free(perm);
    free(s);
}

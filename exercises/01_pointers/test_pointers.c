/* Tests for 01_pointers. Students: read them, do not edit them. */
#include "llmlings.h"
#include "pointers.h"

#include <limits.h>
#include <stdlib.h>

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

    /* Large values: the sum must not overflow an int. */
    int *big = malloc(4 * sizeof *big);
    LL_CHECK_NOT_NULL(big, "malloc");
    for (int i = 0; i < 4; i++)
        big[i] = INT_MAX;
    long s = sum_range(big, big + 4);
    free(big);
    LL_CHECK_INT_EQ(s, 4L * INT_MAX, "sum_range over 4 x INT_MAX (use a long)");
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
}

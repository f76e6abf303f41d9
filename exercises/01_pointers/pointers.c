/* 01_pointers: swap, pointer arithmetic, out-parameters, const, qsort.
 * Edit this file until `make check EX=01_pointers` passes.
 *
 * Lecture: lectures/01_c_memory.md#pointers-and-addresses
 */
#include "pointers.h"

#include <stdlib.h>

void swap_int(int *a, int *b)
{
    /* TODO: exchange the values a and b point to (you need a temporary). */
    (void)a;
    (void)b;
}

long sum_range(const int *begin, const int *end)
{
    /* TODO: walk a pointer from begin up to (not including) end. */
    (void)begin;
    (void)end;
    return 0;
}

int min_max(const int *v, size_t n, int *min_out, int *max_out)
{
    /* TODO: handle n == 0 first, then scan v once and write the results
     * through the out-parameters. */
    (void)v;
    (void)n;
    (void)min_out;
    (void)max_out;
    return -1;
}

const int *find_first(const int *v, size_t n, int x)
{
    /* TODO: return the address of the first match (&v[i], or v + i). */
    (void)v;
    (void)n;
    (void)x;
    return NULL;
}

int compare_scored(const void *a, const void *b)
{
    /* TODO: qsort hands you untyped pointers to two elements: convert them
     * to const scored * and compare the scores (higher first), then the ids
     * (lower first). Compare with < and >: a difference can overflow an int
     * or round to 0 when converted. */
    (void)a;
    (void)b;
    return 0;
}

void sort_scored(scored *v, size_t n)
{
    /* TODO: qsort(base, count, size of one element, comparator). */
    (void)v;
    (void)n;
}

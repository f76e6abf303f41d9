/* 01_pointers: reference solution. */
#include "pointers.h"

#include <stdlib.h>

void swap_int(int *a, int *b)
{
    const int tmp = *a;
    *a = *b;
    *b = tmp;
}

long sum_range(const int *begin, const int *end)
{
    long sum = 0;
    for (const int *p = begin; p != end; p++)
        sum += *p;
    return sum;
}

int min_max(const int *v, size_t n, int *min_out, int *max_out)
{
    if (n == 0)
        return -1;
    int lo = v[0], hi = v[0];
    for (const int *p = v + 1; p != v + n; p++) {
        if (*p < lo)
            lo = *p;
        if (*p > hi)
            hi = *p;
    }
    *min_out = lo;
    *max_out = hi;
    return 0;
}

const int *find_first(const int *v, size_t n, int x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return v + i;
    return NULL;
}

int compare_scored(const void *a, const void *b)
{
    const scored *first = a, *second = b;
    if (first->score > second->score)
        return -1;
    if (first->score < second->score)
        return 1;
    return (first->id > second->id) - (first->id < second->id);
}

void sort_scored(scored *v, size_t n)
{
    if (n > 1) /* qsort(NULL, 0, ...) is not defined behaviour */
        qsort(v, n, sizeof *v, compare_scored);
}

/* pointers.h: the interface of exercise 01_pointers (do not edit). */
#ifndef POINTERS_H
#define POINTERS_H

#include <stddef.h>

/* Exchanges the ints *a and *b. a and b may point to the same int (then
 * nothing changes). */
void swap_int(int *a, int *b);

/* Returns the sum of the ints in the half-open range [begin, end), walking
 * from begin to end with pointer arithmetic. begin == end is the empty range
 * (sum 0). The sum is accumulated in a long. */
long sum_range(const int *begin, const int *end);

/* Finds the smallest and the largest of the n ints at v and stores them in
 * *min_out and *max_out. Returns 0 on success. When n == 0 there is no
 * minimum: returns -1 and leaves *min_out and *max_out untouched. */
int min_max(const int *v, size_t n, int *min_out, int *max_out);

/* Returns the address of the FIRST element of v[0..n) equal to x (a pointer
 * into v, not a copy), or NULL when there is none. The result is a pointer
 * to const because v is: the caller may read through it but not write. */
const int *find_first(const int *v, size_t n, int x);

/* A score and the id it belongs to (in chapter 5: a token's probability and
 * the token's index). */
typedef struct scored {
    float score;
    int id;
} scored;

/* A comparator for qsort (man 3 qsort): a and b point to two scored
 * values. The order: the HIGHER score first; equal scores by id, the lower
 * id first. Returns a negative int when *a comes first, a positive int when
 * *b comes first, and 0 only when score and id are both equal. Scores are
 * never NaN. */
int compare_scored(const void *a, const void *b);

/* Sorts v[0..n) into the order of compare_scored by passing it to qsort.
 * n == 0 (v may then be NULL) and n == 1 are already sorted. */
void sort_scored(scored *v, size_t n);

#endif

/* 04_vector: a growable float vector on the heap.
 * Edit this file until `make check EX=04_vector` passes.
 *
 * Lecture: lectures/01_c_memory.md#the-heap-malloc-realloc-free
 */
#include "vector.h"

#include <stdint.h>
#include <stdlib.h>

void fvec_init(fvec *v)
{
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
}

int fvec_reserve(fvec *v, size_t min_cap)
{
    /* TODO: nothing to do if cap is already enough. Otherwise check that
     * min_cap * sizeof(float) does not overflow, call fvec_realloc, and only
     * update v when it did not return NULL. */
    (void)v;
    (void)min_cap;
    return 0;
}

int fvec_push(fvec *v, float x)
{
    /* TODO: when len == cap, grow geometrically (fvec_reserve helps), then
     * store x at the end. */
    (void)v;
    (void)x;
    return -1;
}

float fvec_get(const fvec *v, size_t i)
{
    /* TODO */
    (void)v;
    (void)i;
    return 0.0f;
}

int fvec_pop(fvec *v, float *out)
{
    /* TODO: refuse an empty vector; otherwise take the last element. */
    (void)v;
    (void)out;
    return -1;
}

void fvec_free(fvec *v)
{
    /* TODO: release the memory (free) and make *v empty again. Forgetting
     * this is a leak: LeakSanitizer fails the test and says where the
     * memory was allocated. */
    (void)v;
}

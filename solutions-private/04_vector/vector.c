/* 04_vector: reference solution. */
#include "vector.h"

#include <stdint.h>
#include <stdlib.h>

enum { FVEC_MIN_CAP = 8 };

void fvec_init(fvec *v)
{
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
}

int fvec_reserve(fvec *v, size_t min_cap)
{
    if (min_cap <= v->cap)
        return 0;
    if (min_cap > SIZE_MAX / sizeof(float))
        return -1; /* the byte count would wrap around */
    /* realloc's result goes to a temporary: on failure the old block is
     * still ours and still referenced by v->data. */
    float *p = fvec_realloc(v->data, min_cap * sizeof(float));
    if (p == NULL)
        return -1;
    v->data = p;
    v->cap = min_cap;
    return 0;
}

int fvec_push(fvec *v, float x)
{
    if (v->len == v->cap) {
        size_t want = v->cap < FVEC_MIN_CAP ? FVEC_MIN_CAP : v->cap;
        if (v->cap >= FVEC_MIN_CAP)
            want = v->cap <= SIZE_MAX / 2 ? v->cap * 2 : SIZE_MAX;
        if (fvec_reserve(v, want) != 0)
            return -1;
    }
    v->data[v->len++] = x;
    return 0;
}

float fvec_get(const fvec *v, size_t i)
{
    return v->data[i];
}

int fvec_pop(fvec *v, float *out)
{
    if (v->len == 0)
        return -1;
    *out = v->data[--v->len];
    return 0;
}

void fvec_free(fvec *v)
{
    free(v->data);
    fvec_init(v);
}

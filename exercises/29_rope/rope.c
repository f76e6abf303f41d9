/* 29_rope: rotary position embedding (RoPE).
 *
 * Lecture: lectures/04_attention.md#rotary-position-embedding-rope
 *
 * Later exercises link this file: keep every helper you add `static`.
 */
#include "rope.h"

#include <math.h>

void rope(float *x, int n_heads, int head_dim, int pos)
{
    /* TODO: for every head and every even index i inside it, rotate the pair
     * (x[i], x[i+1]) by pos * 10000^(-i / head_dim) radians. Read both
     * values before you overwrite either. */
    (void)x;
    (void)n_heads;
    (void)head_dim;
    (void)pos;
}

/* 27_softmax: numerically stable softmax and online softmax.
 *
 * Lecture: lectures/04_attention.md#softmax-without-overflow
 *          lectures/04_attention.md#online-softmax
 *
 * Later exercises link this file: keep every helper you add `static`.
 */
#include "softmax.h"

#include <math.h>

void softmax(float *x, int n)
{
    /* TODO: find the max, replace x[i] by exp(x[i] - max), sum them, divide.
     * A row that is all -INFINITY must become zeros (look at what
     * -INFINITY - -INFINITY is before you subtract). */
    (void)x;
    (void)n;
}

softmax_state softmax_state_empty(void)
{
    /* TODO: the state of nothing seen: which max is below every logit? */
    return (softmax_state){0.0f, 0.0f};
}

softmax_state softmax_state_add(softmax_state s, float x)
{
    /* TODO: when x is a new max, the old sum was relative to the old max:
     * rescale it before adding exp(x - new max) = 1. */
    (void)x;
    return s;
}

softmax_state softmax_state_merge(softmax_state a, softmax_state b)
{
    /* TODO: bring both sums to the larger of the two maxima. An empty part
     * (max -INFINITY) must not turn the result into NaN. */
    (void)b;
    return a;
}

void softmax_online(float *x, int n)
{
    /* TODO: one pass with softmax_state_add, then one pass to normalize. */
    (void)x;
    (void)n;
}

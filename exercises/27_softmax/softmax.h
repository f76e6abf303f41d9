/* softmax.h: the interface of exercise 27_softmax (do not edit).
 *
 * Later exercises (attention, flash attention, the inference engine) link
 * your softmax.c, so these are the functions they call.
 */
#ifndef SOFTMAX_H
#define SOFTMAX_H

/* Replaces x[0..n) by its softmax: exp(x[i] - max) / sum_j exp(x[j] - max).
 * Numerically stable (no overflow for logits like 1e4). n >= 1. A row whose
 * entries are all -INFINITY (every position masked) becomes all zeros. */
void softmax(float *x, int n);

/* The running summary of the logits seen so far, as online softmax keeps
 * it: max is the largest logit, sum is the sum of exp(logit - max).
 * The empty state (nothing seen yet) is { -INFINITY, 0 }. */
typedef struct {
    float max;
    float sum;
} softmax_state;

/* The empty state { -INFINITY, 0 }. */
softmax_state softmax_state_empty(void);

/* The state after also seeing logit x (x may be -INFINITY: it adds 0). */
softmax_state softmax_state_add(softmax_state s, float x);

/* The state of the concatenation of two parts, given the state of each.
 * Either or both may be empty. Order does not matter. */
softmax_state softmax_state_merge(softmax_state a, softmax_state b);

/* Softmax in place with one pass over x to build the state (running max and
 * running sum together) and one pass to write exp(x[i] - max) / sum.
 * Same results and the same all -INFINITY rule as softmax(). n >= 1. */
void softmax_online(float *x, int n);

#endif

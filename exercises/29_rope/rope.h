/* rope.h: the interface of exercise 29_rope (do not edit).
 *
 * The inference engine (chapter 5) links your rope.c.
 */
#ifndef ROPE_H
#define ROPE_H

/* Rotary position embedding, in place, llama2.c convention.
 *
 * x holds n_heads heads of head_dim floats each (head_dim even). Within each
 * head, every consecutive pair (x[2i], x[2i+1]), i = 0 .. head_dim/2 - 1, is
 * rotated by the angle  pos * 10000^(-2i / head_dim):
 *
 *     x[2i]   <- x[2i] * cos(angle) - x[2i+1] * sin(angle)
 *     x[2i+1] <- x[2i] * sin(angle) + x[2i+1] * cos(angle)
 *
 * pos >= 0 is the token's position in the sequence. */
void rope(float *x, int n_heads, int head_dim, int pos);

#endif

/* fast.h: the interface of exercise 42_fast_engine (do not edit).
 *
 * The same forward pass as 38_forward (same weights, same results up to
 * rounding, same calling rules), made fast. Decoding one token reads every
 * weight once, so the speed is set by how many bytes per token cross the
 * memory bus and how many cores pull them: see the lecture. */
#ifndef FAST_H
#define FAST_H

#include "checkpoint.h"

typedef struct FastEngine FastEngine;

/* An engine for the model `w` (the floats it points to are borrowed: they
 * must outlive the engine).
 * n_threads >= 1 threads compute (the caller's thread counts as one).
 * quant 32: float32 weights as they are; quant 8: int8 weights in groups of
 * 32 along each row with one float scale per group (the engine makes its
 * own copy; a matrix whose rows are not a multiple of 32 may stay float).
 * Returns NULL when out of memory or when an argument is invalid. */
FastEngine *fast_new(const Config *c, const TransformerWeights *w,
                     int n_threads, int quant);

/* Logits (vocab_size floats, owned by the engine) for `token` at `pos`,
 * exactly as forward() of 38: positions in order within a sequence, 0
 * starts a new one. */
float *fast_forward(FastEngine *e, int token, int pos);

/* Stops the threads and frees everything. NULL is fine. */
void fast_free(FastEngine *e);

#endif

/* flash.h: the interface of exercise 33_flash_attention (do not edit).
 *
 * This exercise links your 27_softmax: softmax_state (running max and
 * running sum) comes from softmax.h.
 */
#ifndef FLASH_H
#define FLASH_H

#include "softmax.h"

/* One step of attention with online softmax, for one query and one block of
 * n keys k[0..n) and values v[0..n) (both [n x d]), all visible.
 *
 * The query's running state covers every key it has seen so far:
 *   st->max  the largest score s_j = scale * (q . k_j) so far,
 *   st->sum  the sum of exp(s_j - st->max) so far,
 *   acc[d]   the sum of exp(s_j - st->max) * v_j so far (not yet divided).
 * flash_block folds the block in: afterwards the three describe the old
 * keys and the block together. Start from softmax_state_empty() and
 * acc = 0; after the last block the output is acc / st->sum. n == 0 leaves
 * everything unchanged. */
void flash_block(softmax_state *st, float *acc, const float *q, const float *k,
                 const float *v, int n, int d, float scale);

/* Causal attention (same result as 30_attention's attention(): row t sees
 * positions 0..t, scale 1 / sqrt(d)), computed tile by tile: queries and
 * keys are taken in blocks of `block` positions (block >= 1; T need not be
 * a multiple), each query keeps an online-softmax state, key blocks that lie
 * entirely in a query's future are skipped, and the T x T score matrix is
 * never stored: extra memory is O(block * d), not O(T^2). */
void flash_attention(float *out, const float *q, const float *k, const float *v,
                     int T, int d, int block);

#endif

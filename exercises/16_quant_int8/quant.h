/* quant.h: the interface of exercise 16_quant_int8 (do not edit).
 *
 * Symmetric int8 block quantization (the Q8_0 idea of llama.cpp): the
 * vector is cut into blocks of QK8 = 32 values; each block stores one float
 * scale and 32 signed bytes, 36 bytes instead of 128.
 *
 *   scale = max_i |x_i| / 127          (0 when the block is all zeros)
 *   q_i   = roundf(x_i / scale)        clamped to [-127, 127]; 0 if scale 0
 *   x_i  ~= scale * q_i
 *
 * Lecture: lectures/02_tensors.md#int8-block-quantization
 */
#ifndef QUANT_H
#define QUANT_H

#include <stddef.h>
#include <stdint.h>

#define QK8 32

typedef struct block_q8 {
    float scale;
    int8_t q[QK8];
} block_q8;

/* Quantizes x[0..n-1] into n / QK8 blocks written to out, with the rules
 * above. Returns the number of blocks; returns 0 and writes nothing when n
 * is not a multiple of QK8. */
size_t quantize_q8(const float *x, size_t n, block_q8 *out);

/* out[b*QK8 + i] = blocks[b].scale * blocks[b].q[i]. */
void dequantize_q8(const block_q8 *blocks, size_t nblocks, float *out);

/* The dot product of two quantized vectors of nblocks blocks each:
 *   sum over blocks b of  a[b].scale * b[b].scale * (sum_i a.q[i]*b.q[i])
 * where the inner sum is computed exactly in integers (int32 cannot
 * overflow: 32 * 127 * 127 = 516128). */
float dot_q8(const block_q8 *a, const block_q8 *b, size_t nblocks);

#endif /* QUANT_H */

/* float_bits.h: the interface of exercise 06_float_bits (do not edit).
 *
 *   fp32  s | eeeeeeee (8, bias 127) | mmmmmmmmmmmmmmmmmmmmmmm (23)
 *   fp16  s | eeeee    (5, bias 15)  | mmmmmmmmmm (10)
 *   bf16  s | eeeeeeee (8, bias 127) | mmmmmmm (7)
 *
 * fp16 and bf16 values are passed around as their raw 16-bit patterns.
 * Rules for every conversion here:
 *  - narrowing (fp32 -> 16 bits) rounds to nearest, ties to even;
 *  - values too large for the format become +-Inf; +-Inf stay +-Inf;
 *  - values too small become (signed) subnormals or a zero of the same sign;
 *  - a NaN stays a NaN with the same sign and is always returned QUIET (the
 *    most significant mantissa bit set); never turn a NaN into an Inf;
 *  - widening (16 bits -> fp32) is exact for every value that is not a NaN.
 */
#ifndef FLOAT_BITS_H
#define FLOAT_BITS_H

#include <stdint.h>

/* IEEE 754 binary32 -> binary16 (half), round to nearest even. */
uint16_t fp32_to_fp16(float f);

/* binary16 -> binary32, exact (subnormal halves become normal floats). */
float fp16_to_fp32(uint16_t h);

/* binary32 -> bfloat16 (the top 16 bits of a float), round to nearest
 * even. */
uint16_t fp32_to_bf16(float f);

/* bfloat16 -> binary32, exact. */
float bf16_to_fp32(uint16_t b);

#endif

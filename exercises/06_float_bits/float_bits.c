/* 06_float_bits: fp32 <-> fp16 and fp32 <-> bf16 by bit manipulation.
 * Edit this file until `make check EX=06_float_bits` passes.
 *
 * Lecture: lectures/01_c_memory.md#float-bit-layouts
 */
#include "float_bits.h"

#include <string.h>

/* Reinterprets the bits of a float (memcpy is the portable way: a pointer
 * cast would break the strict-aliasing rule). */
static uint32_t bits_of(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float float_of(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

uint16_t fp32_to_fp16(float f)
{
    /* TODO: split bits_of(f) into sign, exponent and mantissa. Handle
     * Inf/NaN, then re-bias the exponent (127 -> 15): too large is Inf, too
     * small is a subnormal half (shift in the implicit 1) or zero. Round the
     * dropped mantissa bits to nearest even; a carry may bump the exponent. */
    (void)bits_of(f);
    return 0;
}

float fp16_to_fp32(uint16_t h)
{
    /* TODO: the inverse. A subnormal half (exponent field 0) must be
     * normalized: shift the mantissa left until its leading 1 reaches the
     * implicit position, lowering the exponent as you go. */
    (void)h;
    return float_of(0);
}

uint16_t fp32_to_bf16(float f)
{
    /* TODO: bf16 is the high half of the float. Round on the low 16 bits
     * (adding 0x7fff plus the lowest kept bit does ties-to-even), but deal
     * with NaN first. */
    (void)f;
    return 0;
}

float bf16_to_fp32(uint16_t b)
{
    /* TODO */
    (void)b;
    return 0.0f;
}

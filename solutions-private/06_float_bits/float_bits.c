/* 06_float_bits: reference solution. */
#include "float_bits.h"

#include <string.h>

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

/* Shifts v right by s bits, rounding to nearest even on the dropped bits. */
static uint32_t shift_round_even(uint32_t v, unsigned s)
{
    const uint32_t kept = v >> s;
    const uint32_t rem = v & ((1u << s) - 1);
    const uint32_t half = 1u << (s - 1);
    return kept + (rem > half || (rem == half && (kept & 1u)));
}

uint16_t fp32_to_fp16(float f)
{
    const uint32_t x = bits_of(f);
    const uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    const int exp = (int)((x >> 23) & 0xffu);
    uint32_t man = x & 0x7fffffu;

    if (exp == 0xff) /* Inf, or NaN kept NaN: set the quiet bit */
        return (uint16_t)(sign | 0x7c00u | (man ? 0x0200u | (man >> 13) : 0u));
    const int e = exp - 127 + 15; /* re-biased exponent of the half */
    if (e >= 31)
        return (uint16_t)(sign | 0x7c00u);
    if (e <= 0) {
        if (e < -10) /* below half of the smallest subnormal: zero */
            return sign;
        /* Subnormal half: count in units of 2^-24. The float is
         * (0x800000 | man) * 2^(exp - 150) = (...) * 2^(e - 14) * 2^-24,
         * so shift right by 14 - e (14..24) with the implicit 1 set. */
        man |= 0x800000u;
        return (uint16_t)(sign | shift_round_even(man, (unsigned)(14 - e)));
    }
    /* Normal: the exponent sits above the mantissa, so a carry out of the
     * rounded mantissa correctly bumps the exponent, and from the largest
     * exponent it gives 0x7c00 = Inf. */
    return (uint16_t)(sign | shift_round_even(((uint32_t)e << 23) | man, 13));
}

float fp16_to_fp32(uint16_t h)
{
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t man = h & 0x3ffu;

    if (exp == 0x1f) /* Inf, or a NaN made quiet */
        return float_of(sign | 0x7f800000u | (man << 13) |
                        (man ? 0x400000u : 0u));
    if (exp == 0) {
        if (man == 0)
            return float_of(sign); /* signed zero */
        int e = 1 - 15;            /* subnormal: value = man * 2^-24 */
        while ((man & 0x400u) == 0) {
            man <<= 1;
            e--;
        }
        man &= 0x3ffu;
        return float_of(sign | ((uint32_t)(e + 127) << 23) | (man << 13));
    }
    return float_of(sign | ((exp - 15 + 127) << 23) | (man << 13));
}

uint16_t fp32_to_bf16(float f)
{
    const uint32_t x = bits_of(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) /* NaN: truncate, keep it quiet */
        return (uint16_t)((x >> 16) | 0x0040u);
    const uint32_t lsb = (x >> 16) & 1u;
    return (uint16_t)((x + 0x7fffu + lsb) >> 16);
}

float bf16_to_fp32(uint16_t b)
{
    uint32_t x = (uint32_t)b << 16;
    if ((x & 0x7fffffffu) > 0x7f800000u)
        x |= 0x400000u;
    return float_of(x);
}

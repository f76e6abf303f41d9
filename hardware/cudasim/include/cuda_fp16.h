/* cuda_fp16.h: the half-precision type of the llmlings CUDA simulator.
 *
 * __half (and its alias half) holds an IEEE 754 binary16 value: 1 sign
 * bit, 5 exponent bits, 10 fraction bits (11 significant bits; largest
 * finite value 65504, smallest normal 2^-14, subnormals down to 2^-24).
 * Conversions round as nvcc's do: __float2half and __float2half_rn round to
 * nearest, ties to even; values from 65520 up become infinity; a NaN
 * becomes the canonical 0x7fff. __half2float is exact. Usable in host and
 * device code, as in CUDA. Arithmetic on __half is not provided: convert to
 * float, compute, convert back (or use wmma, mma.h).
 */
#ifndef CUDASIM_CUDA_FP16_H
#define CUDASIM_CUDA_FP16_H

#include <cstdint>
#include <cstring>

namespace cudasim
{

/* binary32 -> binary16 bits, round to nearest even. */
static inline unsigned short float_to_half_bits(float f)
{
    uint32_t x;
    std::memcpy(&x, &f, sizeof x);
    const unsigned short sign = (unsigned short)((x >> 16) & 0x8000u);
    const uint32_t ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) /* NaN */
        return 0x7fffu;
    if (ax >= 0x477ff000u) /* 65520 and up (ties to even go up): infinity */
        return (unsigned short)(sign | 0x7c00u);
    if (ax >= 0x38800000u) { /* normal in half: 2^-14 and up */
        uint32_t r = (ax - 0x38000000u) >> 13;
        const uint32_t rest = ax & 0x1fffu;
        if (rest > 0x1000u || (rest == 0x1000u && (r & 1u)))
            r++; /* a carry into the exponent is still right */
        return (unsigned short)(sign | r);
    }
    if (ax <= 0x33000000u) /* 2^-25 and below round to zero (a tie: even) */
        return sign;
    /* subnormal in half: units of 2^-24 */
    const uint32_t e = ax >> 23;
    const uint32_t m = (ax & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126u - e; /* 14 .. 24 */
    uint32_t r = m >> shift;
    const uint32_t rest = m & ((1u << shift) - 1u),
                   half_way = 1u << (shift - 1u);
    if (rest > half_way || (rest == half_way && (r & 1u)))
        r++;
    return (unsigned short)(sign | r);
}

/* binary16 bits -> binary32 (exact). */
static inline float half_bits_to_float(unsigned short h)
{
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
    uint32_t x;
    if (exp == 0x1fu) {
        x = sign | 0x7f800000u | (man << 13);
    } else if (exp != 0) {
        x = sign | ((exp + 112u) << 23) | (man << 13);
    } else if (man == 0) {
        x = sign;
    } else { /* subnormal: normalise */
        uint32_t e = 113u, m = man;
        while (!(m & 0x400u)) {
            m <<= 1;
            e--;
        }
        x = sign | (e << 23) | ((m & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &x, sizeof f);
    return f;
}

} /* namespace cudasim */

struct __half {
    unsigned short __x;
    __half() = default;
    __half(float f) : __x(::cudasim::float_to_half_bits(f)) {}
    __half(double d) : __x(::cudasim::float_to_half_bits((float)d)) {}
    __half(int i) : __x(::cudasim::float_to_half_bits((float)i)) {}
    operator float() const
    {
        return ::cudasim::half_bits_to_float(__x);
    }
};
typedef __half half;

static inline __half __float2half(float f)
{
    __half h;
    h.__x = ::cudasim::float_to_half_bits(f);
    return h;
}
static inline __half __float2half_rn(float f)
{
    return __float2half(f);
}
static inline float __half2float(__half h)
{
    return ::cudasim::half_bits_to_float(h.__x);
}
static inline unsigned short __half_as_ushort(__half h)
{
    return h.__x;
}
static inline __half __ushort_as_half(unsigned short bits)
{
    __half h;
    h.__x = bits;
    return h;
}

#endif /* CUDASIM_CUDA_FP16_H */

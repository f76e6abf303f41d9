/* Tests for 06_float_bits. Students: read them, do not edit them.
 *
 * Expected values are independent of any student code: bit patterns derived
 * by hand (see the lecture), gcc's own _Float16 conversions as an oracle for
 * fp16, and for bf16 a value-based rounding done by the FPU in double
 * precision. */
#include "float_bits.h"
#include "llmlings.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
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

typedef struct {
    float in;
    uint16_t want;
    const char *what;
} to16_case;

typedef struct {
    uint16_t in;
    float want;
    const char *what;
} from16_case;

static void check_to16(uint16_t (*fn)(float), const char *fname,
                       const to16_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const uint16_t got = fn(c[i].in);
        LL_CHECK(got == c[i].want,
                 "%s(%.9g, bits 0x%08x; %s): expected 0x%04x, got 0x%04x",
                 fname, (double)c[i].in, bits_of(c[i].in), c[i].what, c[i].want,
                 got);
    }
}

static void check_from16(float (*fn)(uint16_t), const char *fname,
                         const from16_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float got = fn(c[i].in);
        LL_CHECK(bits_of(got) == bits_of(c[i].want),
                 "%s(0x%04x) (%s): expected %.9g (bits 0x%08x), got %.9g "
                 "(bits 0x%08x)",
                 fname, c[i].in, c[i].what, (double)c[i].want,
                 bits_of(c[i].want), (double)got, bits_of(got));
    }
}

/* ---- fp16 ------------------------------------------------------------- */

LL_TEST(float_bits, fp16_from_fp32_table)
{
    static const to16_case c[] = {
        {1.0f, 0x3c00, "1"},
        {-2.0f, 0xc000, "-2"},
        {0.5f, 0x3800, "0.5"},
        {0.1f, 0x2e66, "0.1 (mantissa 614.4 -> 614)"},
        {-3.140625f, 0xc248, "-3.140625"},
        {1.0f / 3.0f, 0x3555, "1/3"},
        {65504.0f, 0x7bff, "65504 (largest half)"},
        {0x1p-14f, 0x0400, "2^-14 (smallest normal half)"},
        {0x1p-24f, 0x0001, "2^-24 (smallest subnormal half)"},
        {0x3ffp-24f, 0x03ff, "1023 * 2^-24 (largest subnormal half)"},
        {-0x1p-20f, 0x8010, "-2^-20 (subnormal)"},
        {0.0f, 0x0000, "+0"},
        {-0.0f, 0x8000, "-0 (the sign survives)"},
        {INFINITY, 0x7c00, "+Inf"},
        {-INFINITY, 0xfc00, "-Inf"},
    };
    check_to16(fp32_to_fp16, "fp32_to_fp16", c, sizeof c / sizeof c[0]);
}

LL_TEST(float_bits, fp16_round_to_nearest_even)
{
    static const to16_case c[] = {
        {1.0f + 0x1p-11f, 0x3c00, "1 + 2^-11, a tie: down to even 0x3c00"},
        {1.0f + 0x3p-11f, 0x3c02, "1 + 3*2^-11, a tie: up to even 0x3c02"},
        {1.0f + 0x1p-11f + 0x1p-20f, 0x3c01, "just above a tie: up"},
        {1.0f + 0x1p-11f - 0x1p-23f, 0x3c00, "just below a tie: down"},
        {2047.5f, 0x6800, "2047.5, a tie: carries into the exponent"},
        {2049.0f, 0x6800, "2049, a tie between 2048 and 2050"},
        {2051.0f, 0x6802, "2051, a tie between 2050 and 2052"},
        {65519.0f, 0x7bff, "65519 (rounds down to 65504)"},
        {65520.0f, 0x7c00, "65520, a tie: rounds up to Inf"},
        {-65520.0f, 0xfc00, "-65520: -Inf"},
        {1.0e6f, 0x7c00, "1e6 (overflow)"},
        {FLT_MAX, 0x7c00, "FLT_MAX (overflow)"},
        {0x1p-25f, 0x0000, "2^-25, a tie: down to +0"},
        {-0x1p-25f, 0x8000, "-2^-25: down to -0"},
        {0x1p-25f + 0x1p-35f, 0x0001, "just above 2^-25"},
        {0x3p-25f, 0x0002, "3*2^-25, a tie: up to 2"},
        {0x5p-25f, 0x0002, "5*2^-25, a tie: down to 2"},
        {0x1p-14f - 0x1p-25f, 0x0400, "2^-14 - 2^-25: up to the first normal"},
        {0x1p-26f, 0x0000, "2^-26 (underflow)"},
        {1.0e-10f, 0x0000, "1e-10 (underflow)"},
        {FLT_TRUE_MIN, 0x0000, "the smallest float subnormal"},
    };
    check_to16(fp32_to_fp16, "fp32_to_fp16", c, sizeof c / sizeof c[0]);
}

LL_TEST(float_bits, fp16_to_fp32_table)
{
    static const from16_case c[] = {
        {0x3c00, 1.0f, "1"},
        {0xc000, -2.0f, "-2"},
        {0x3555, 0.333251953125f, "0x3555"},
        {0x7bff, 65504.0f, "largest half"},
        {0x0400, 0x1p-14f, "smallest normal"},
        {0x0001, 0x1p-24f, "smallest subnormal"},
        {0x8001, -0x1p-24f, "negative subnormal"},
        {0x03ff, 0x3ffp-24f, "largest subnormal"},
        {0x0155, 0x155p-24f, "subnormal 0x155"},
        {0x0000, 0.0f, "+0"},
        {0x8000, -0.0f, "-0"},
        {0x7c00, INFINITY, "+Inf"},
        {0xfc00, -INFINITY, "-Inf"},
    };
    check_from16(fp16_to_fp32, "fp16_to_fp32", c, sizeof c / sizeof c[0]);
}

/* A quiet NaN of the expected sign, in either format. */
static void check_quiet_nan16(uint16_t got, int negative, const char *what)
{
    LL_CHECK((got & 0x7c00) == 0x7c00 && (got & 0x03ff) != 0,
             "%s: expected a NaN (exponent all ones, mantissa != 0), got "
             "0x%04x%s",
             what, got,
             (got & 0x7fff) == 0x7c00 ? " (an Inf: NaN payload lost)" : "");
    LL_CHECK(got & 0x0200, "%s: expected a QUIET NaN (bit 9 set), got 0x%04x",
             what, got);
    LL_CHECK(!!(got & 0x8000) == negative, "%s: sign of the NaN lost: 0x%04x",
             what, got);
}

static void check_quiet_nan32(float got, int negative, const char *what)
{
    const uint32_t u = bits_of(got);
    LL_CHECK(isnan(got), "%s: expected a NaN, got %g (bits 0x%08x)", what,
             (double)got, u);
    LL_CHECK(u & 0x400000u,
             "%s: expected a QUIET NaN (bit 22 set), got bits 0x%08x", what, u);
    LL_CHECK(!!(u & 0x80000000u) == negative,
             "%s: sign of the NaN lost: 0x%08x", what, u);
}

LL_TEST(float_bits, fp16_nan_stays_quiet_nan)
{
    /* A signaling NaN whose payload lives only in the low bits: dropping
     * them naively would give 0x7c00, an Inf. */
    check_quiet_nan16(fp32_to_fp16(float_of(0x7f800001u)), 0,
                      "fp32_to_fp16(signaling NaN 0x7f800001)");
    check_quiet_nan16(fp32_to_fp16(float_of(0x7fc00000u)), 0,
                      "fp32_to_fp16(quiet NaN 0x7fc00000)");
    check_quiet_nan16(fp32_to_fp16(float_of(0xffa00000u)), 1,
                      "fp32_to_fp16(negative NaN 0xffa00000)");
    check_quiet_nan16(fp32_to_fp16(NAN), 0, "fp32_to_fp16(NAN)");
    check_quiet_nan32(fp16_to_fp32(0x7e00), 0, "fp16_to_fp32(0x7e00)");
    check_quiet_nan32(fp16_to_fp32(0x7c01), 0,
                      "fp16_to_fp32(signaling NaN 0x7c01)");
    check_quiet_nan32(fp16_to_fp32(0xfd00), 1, "fp16_to_fp32(0xfd00)");
}

/* gcc's own conversions (libgcc's soft-float routines, round to nearest
 * even in the default rounding mode) as the oracle. volatile keeps the
 * compiler from folding them at compile time. */
static uint16_t oracle_to_fp16(float f)
{
    volatile float in = f;
    volatile _Float16 h = (_Float16)in;
    uint16_t u;
    _Float16 copy = h;
    memcpy(&u, &copy, sizeof u);
    return u;
}

static float oracle_from_fp16(uint16_t u)
{
    _Float16 h;
    memcpy(&h, &u, sizeof h);
    volatile _Float16 vh = h;
    return (float)vh;
}

/* Compares fp32_to_fp16(f) with the oracle (NaNs: both quiet NaNs). */
static void check_one_to16(float f)
{
    const uint16_t want = oracle_to_fp16(f);
    const uint16_t got = fp32_to_fp16(f);
    if (isnan(f)) {
        check_quiet_nan16(got, signbit(f) != 0, "fp32_to_fp16(a NaN)");
        return;
    }
    LL_CHECK(got == want,
             "fp32_to_fp16(%.9g, bits 0x%08x): expected 0x%04x (gcc "
             "_Float16), got 0x%04x",
             (double)f, bits_of(f), want, got);
}

LL_TEST(float_bits, fp16_matches_gcc_Float16)
{
    /* Every half pattern, widened. */
    for (uint32_t u = 0; u <= 0xffff; u++) {
        const float want = oracle_from_fp16((uint16_t)u);
        const float got = fp16_to_fp32((uint16_t)u);
        if (isnan(want)) {
            check_quiet_nan32(got, (u & 0x8000) != 0, "fp16_to_fp32(a NaN)");
            continue;
        }
        LL_CHECK(bits_of(got) == bits_of(want),
                 "fp16_to_fp32(0x%04x): expected %.9g (bits 0x%08x, gcc "
                 "_Float16), got %.9g (bits 0x%08x)",
                 u, (double)want, bits_of(want), (double)got, bits_of(got));
    }
    /* Floats spread over the whole 32-bit space (a prime stride). */
    for (uint64_t u = 0; u <= 0xffffffffu; u += 65521)
        check_one_to16(float_of((uint32_t)u));
    /* Every tie between two neighbouring halves, and the floats just
     * around it: where rounding mistakes live. */
    for (uint32_t h = 0; h < 0x7c00; h++) {
        const double lo = oracle_from_fp16((uint16_t)h);
        const double hi = h == 0x7bff ? 65536.0 : oracle_from_fp16(h + 1);
        const float mid = (float)((lo + hi) / 2); /* exact in a float */
        const float sides[3] = {nextafterf(mid, 0.0f), mid,
                                nextafterf(mid, INFINITY)};
        for (int s = 0; s < 3; s++) {
            check_one_to16(sides[s]);
            check_one_to16(-sides[s]);
        }
    }
}

/* ---- bf16 ------------------------------------------------------------- */

LL_TEST(float_bits, bf16_table_and_rounding)
{
    const to16_case c[] = {
        {1.0f, 0x3f80, "1"},
        {-1.5f, 0xbfc0, "-1.5"},
        {float_of(0x40490fdbu), 0x4049, "pi (low half 0x0fdb: down)"},
        {float_of(0x3f808000u), 0x3f80, "1 + 2^-8, a tie: down to even"},
        {float_of(0x3f818000u), 0x3f82, "a tie above an odd bf16: up"},
        {float_of(0x3f808001u), 0x3f81, "just above a tie: up"},
        {float_of(0x3f807fffu), 0x3f80, "just below a tie: down"},
        {float_of(0x3f80ffffu), 0x3f81, "0x3f80ffff: up"},
        {float_of(0x3fffffffu), 0x4000,
         "0x3fffffff: carries into the "
         "exponent"},
        {float_of(0x7f7f7fffu), 0x7f7f, "a large float below a tie"},
        {float_of(0x7f7f8000u), 0x7f80, "a tie above the largest bf16: Inf"},
        {FLT_MAX, 0x7f80, "FLT_MAX: rounds up to Inf"},
        {-FLT_MAX, 0xff80, "-FLT_MAX: -Inf"},
        {float_of(0x00000001u), 0x0000, "smallest float subnormal"},
        {float_of(0x00008000u), 0x0000, "a subnormal tie: down to even 0"},
        {float_of(0x00018000u), 0x0002, "a subnormal tie: up to even 2"},
        {float_of(0x00008001u), 0x0001, "a subnormal just above a tie"},
        {float_of(0x807fffffu), 0x8080,
         "largest negative subnormal: up to "
         "the smallest normal"},
    };
    check_to16(fp32_to_bf16, "fp32_to_bf16", c, sizeof c / sizeof c[0]);
}

LL_TEST(float_bits, bf16_special_values)
{
    const to16_case c[] = {
        {INFINITY, 0x7f80, "+Inf"},
        {-INFINITY, 0xff80, "-Inf"},
        {-0.0f, 0x8000, "-0"},
        {0.0f, 0x0000, "+0"},
    };
    check_to16(fp32_to_bf16, "fp32_to_bf16", c, sizeof c / sizeof c[0]);

    uint16_t got = fp32_to_bf16(float_of(0x7f800001u));
    LL_CHECK((got & 0x7f80) == 0x7f80 && (got & 0x007f) != 0,
             "fp32_to_bf16(signaling NaN 0x7f800001): expected a NaN, got "
             "0x%04x%s",
             got, got == 0x7f80 ? " (Inf: the NaN was truncated away)" : "");
    LL_CHECK(got & 0x0040,
             "fp32_to_bf16(NaN): expected a QUIET NaN (bit 6), "
             "got 0x%04x",
             got);
    got = fp32_to_bf16(float_of(0xff7fffffu | 0x00800000u)); /* -NaN */
    LL_CHECK((got & 0xff80) == 0xff80 && (got & 0x7f) != 0 && (got & 0x40),
             "fp32_to_bf16(negative NaN 0xffffffff): expected a quiet "
             "negative NaN, got 0x%04x (rounding a NaN up overflows it)",
             got);

    static const from16_case d[] = {
        {0x3f80, 1.0f, "1"},
        {0xc2f7, -123.5f, "-123.5"},
        {0x0001, 0x1p-133f, "the smallest bf16 subnormal"},
        {0x8000, -0.0f, "-0"},
        {0x7f80, INFINITY, "+Inf"},
        {0xff80, -INFINITY, "-Inf"},
        {0x7f7f, 0x1.fep127f, "the largest bf16"},
    };
    check_from16(bf16_to_fp32, "bf16_to_fp32", d, sizeof d / sizeof d[0]);
    check_quiet_nan32(bf16_to_fp32(0x7f81), 0,
                      "bf16_to_fp32(signaling NaN 0x7f81)");
    check_quiet_nan32(bf16_to_fp32(0xffc0), 1, "bf16_to_fp32(0xffc0)");
}

/* bf16 rounding done by value: a bf16 keeps 8 significant bits, so for f in
 * [2^e, 2^(e+1)) its spacing is 2^(e-7) (2^-133 for the subnormal range).
 * Adding and subtracting c = 2^(e+45) in double (52 mantissa bits) makes the
 * FPU round f to a multiple of 2^(e-7), ties to even. */
static uint16_t oracle_to_bf16(float f)
{
    if (isinf(f) || f == 0.0f)
        return (uint16_t)(bits_of(f) >> 16);
    int e;
    frexp(fabs((double)f), &e);
    e -= 1; /* |f| in [2^e, 2^(e+1)) */
    if (e < -126)
        e = -126;
    volatile double c = ldexp(1.0, e + 45);
    volatile double t = fabs((double)f) + c;
    const double r = t - c;
    float rf = r >= 0x1p128 ? INFINITY : (float)r;
    if (signbit(f))
        rf = -rf;
    return (uint16_t)(bits_of(rf) >> 16);
}

static void check_one_bf16(float f)
{
    if (isnan(f))
        return;
    const uint16_t want = oracle_to_bf16(f);
    const uint16_t got = fp32_to_bf16(f);
    LL_CHECK(got == want,
             "fp32_to_bf16(%.9g, bits 0x%08x): expected 0x%04x, got 0x%04x",
             (double)f, bits_of(f), want, got);
}

LL_TEST(float_bits, bf16_matches_value_rounding)
{
    for (uint64_t u = 0; u <= 0xffffffffu; u += 65521)
        check_one_bf16(float_of((uint32_t)u));
    /* Every tie and its neighbours. */
    for (uint32_t b = 0; b <= 0xffff; b++) {
        if ((b & 0x7f80) == 0x7f80)
            continue; /* Inf / NaN */
        const uint32_t tie = (b << 16) | 0x8000u;
        check_one_bf16(float_of(tie - 1));
        check_one_bf16(float_of(tie));
        check_one_bf16(float_of(tie + 1));
    }
    /* Widening is exact: every non-NaN bf16 comes back unchanged. */
    for (uint32_t b = 0; b <= 0xffff; b++) {
        const float f = bf16_to_fp32((uint16_t)b);
        if ((b & 0x7f80) == 0x7f80 && (b & 0x7f))
            continue;
        LL_CHECK(bits_of(f) == b << 16,
                 "bf16_to_fp32(0x%04x): expected bits 0x%08x, got 0x%08x", b,
                 b << 16, bits_of(f));
    }
}

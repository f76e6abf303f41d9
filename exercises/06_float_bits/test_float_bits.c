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
#include <stdio.h>
#include <stdlib.h>
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

/* The value of a half / a bf16 pattern (NaN patterns give a NaN). Used to
 * turn results into values, so that one check compares whole arrays and
 * says "expected 1.5, got 1.49" at the first difference. */
static float half_value(uint16_t u)
{
    _Float16 h;
    memcpy(&h, &u, sizeof h);
    volatile _Float16 vh = h;
    return (float)vh;
}

static float bf16_value(uint16_t b)
{
    return float_of((uint32_t)b << 16);
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
    char what[160];
    for (size_t i = 0; i < n; i++) {
        snprintf(what, sizeof what, "%s(%.9g, bits 0x%08x; %s)", fname,
                 (double)c[i].in, bits_of(c[i].in), c[i].what);
        LL_CHECK_UINT_EQ(fn(c[i].in), c[i].want, what);
    }
}

/* The value first (a readable message), then the bits (the sign of 0). */
static void check_one_from16(float (*fn)(uint16_t), const char *fname,
                             uint16_t in, float want, const char *label)
{
    char what[160];
    const float got = fn(in);
    snprintf(what, sizeof what, "%s(0x%04x) (%s)", fname, in, label);
    LL_CHECK_FLOAT_NEAR(got, want, 0.0, what);
    snprintf(what, sizeof what, "%s(0x%04x) (%s): the bits", fname, in, label);
    LL_CHECK_UINT_EQ(bits_of(got), bits_of(want), what);
}

static void check_from16(float (*fn)(uint16_t), const char *fname,
                         const from16_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_one_from16(fn, fname, c[i].in, c[i].want, c[i].what);
}

/* ---- fp16 ------------------------------------------------------------- */

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

/* A seeded finite half pattern of either sign. */
static uint16_t random_finite_half(void)
{
    return (uint16_t)(ll_rand_int(0, 0x7bff) | (ll_rand_int(0, 1) << 15));
}

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

    /* Seeded values that a half holds exactly come back unchanged. */
    char what[96];
    for (int k = 0; k < 8; k++) {
        const uint16_t h = random_finite_half();
        const float f = half_value(h);
        snprintf(what, sizeof what,
                 "fp32_to_fp16(%.9g, bits 0x%08x; exactly a half)", (double)f,
                 bits_of(f));
        LL_CHECK_UINT_EQ(fp32_to_fp16(f), h, what);
    }
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

    /* Seeded ties between two neighbouring halves h and h + 1 (of either
     * sign): the even one wins; just above a tie rounds away from h. */
    char what[128];
    for (int k = 0; k < 8; k++) {
        const uint16_t h = random_finite_half();
        const uint16_t mag = h & 0x7fff, sign = h & 0x8000;
        const double lo = fabs((double)half_value(mag));
        const double hi =
            mag == 0x7bff ? 65536.0 : fabs((double)half_value(mag + 1));
        const float mid = (float)((lo + hi) / 2) * (sign ? -1.0f : 1.0f);
        snprintf(what, sizeof what,
                 "fp32_to_fp16(%.9g, bits 0x%08x; a tie between 0x%04x and "
                 "0x%04x)",
                 (double)mid, bits_of(mid), h, h + 1);
        LL_CHECK_UINT_EQ(fp32_to_fp16(mid), (mag & 1) ? h + 1 : h, what);
        const float above = nextafterf(mid, sign ? -INFINITY : INFINITY);
        snprintf(what, sizeof what,
                 "fp32_to_fp16(%.9g, bits 0x%08x; just above the tie between "
                 "0x%04x and 0x%04x)",
                 (double)above, bits_of(above), h, h + 1);
        LL_CHECK_UINT_EQ(fp32_to_fp16(above), h + 1, what);
    }
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

    /* Seeded patterns, normal and subnormal, against gcc's _Float16. */
    for (int k = 0; k < 8; k++) {
        uint16_t h = random_finite_half();
        if (k < 3)
            h &= 0x83ff; /* subnormal (or zero) */
        check_one_from16(fp16_to_fp32, "fp16_to_fp32", h, half_value(h),
                         "a seeded pattern; expected: gcc's _Float16");
    }
}

/* A quiet NaN of the expected sign, in either format. */
static void check_quiet_nan16(uint16_t got, int negative, const char *what)
{
    (void)what; /* only in the messages (compiled out in judge mode) */
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
    (void)what; /* only in the messages (compiled out in judge mode) */
    const uint32_t u = bits_of(got);
    LL_CHECK(isnan(got), "%s: expected a NaN, got %g (bits 0x%08x)", what,
             (double)got, u);
    LL_CHECK(u & 0x400000u,
             "%s: expected a QUIET NaN (bit 22 set), got bits 0x%08x", what, u);
    LL_CHECK(!!(u & 0x80000000u) == negative,
             "%s: sign of the NaN lost: 0x%08x", what, u);
}

/* A seeded fp32 NaN: any payload (signaling ones included), either sign. */
static uint32_t random_nan32(void)
{
    return 0x7f800000u | (uint32_t)ll_rand_int(1, 0x7fffff) |
           ((uint32_t)ll_rand_int(0, 1) << 31);
}

/* Runs 16 seeded NaNs through a narrowing conversion: every result must be
 * a quiet NaN (bits nan_exp all ones, quiet_bit set) of its input's sign.
 * The signs are compared as one 16-bit mask, which depends on the seed. */
static void check_random_nans_to16(uint16_t (*fn)(float), const char *fname,
                                   uint16_t nan_exp, uint16_t quiet_bit)
{
    unsigned in_signs = 0, out_signs = 0;
    uint32_t bad_in = 0;
    uint16_t bad_out = 0;
    for (unsigned k = 0; k < 16; k++) {
        const uint32_t x = random_nan32();
        const uint16_t got = fn(float_of(x));
        in_signs |= (x >> 31) << k;
        out_signs |= (unsigned)(got >> 15) << k;
        const int nan =
            (got & nan_exp) == nan_exp && (got & (nan_exp ^ 0x7fff));
        if ((!nan || !(got & quiet_bit)) && bad_in == 0) {
            bad_in = x;
            bad_out = got;
        }
    }
    LL_CHECK(bad_in == 0,
             "%s(NaN with bits 0x%08x): expected a quiet NaN, got 0x%04x",
             fname, bad_in, bad_out);
    (void)bad_out; /* only in the message (compiled out in judge mode) */
    char what[128];
    snprintf(what, sizeof what,
             "%s of 16 seeded NaNs: their signs (bit k = the sign of NaN k)",
             fname);
    LL_CHECK_UINT_EQ(out_signs, in_signs, what);
}

/* The same for widening: 16 seeded 16-bit NaN patterns. */
static void check_random_nans_to32(float (*fn)(uint16_t), const char *fname,
                                   uint16_t nan_exp)
{
    unsigned in_signs = 0, out_signs = 0;
    uint16_t bad_in = 0;
    uint32_t bad_out = 0;
    for (unsigned k = 0; k < 16; k++) {
        const uint16_t h =
            (uint16_t)(nan_exp | ll_rand_int(1, nan_exp ^ 0x7fff) |
                       (ll_rand_int(0, 1) << 15));
        const float got = fn(h);
        in_signs |= (unsigned)(h >> 15) << k;
        out_signs |= (bits_of(got) >> 31) << k;
        if ((!isnan(got) || !(bits_of(got) & 0x400000u)) && bad_in == 0) {
            bad_in = h;
            bad_out = bits_of(got);
        }
    }
    LL_CHECK(bad_in == 0,
             "%s(NaN 0x%04x): expected a quiet NaN, got bits 0x%08x", fname,
             bad_in, bad_out);
    (void)bad_out; /* only in the message (compiled out in judge mode) */
    char what[128];
    snprintf(what, sizeof what,
             "%s of 16 seeded NaNs: their signs (bit k = the sign of NaN k)",
             fname);
    LL_CHECK_UINT_EQ(out_signs, in_signs, what);
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

    check_random_nans_to16(fp32_to_fp16, "fp32_to_fp16", 0x7c00, 0x0200);
    check_random_nans_to32(fp16_to_fp32, "fp16_to_fp32", 0x7c00);
}

/* The first index in [0, n) where ok[i] is 0, or n. */
static size_t first_false(const unsigned char *ok, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ok[i])
            return i;
    return n;
}

/* Narrows the n floats x with fn and compares the VALUES of the results
 * (value() decodes a result pattern) with those of the oracle's, as one
 * array; NaN inputs must give quiet NaNs (checked apart: NaN payloads are
 * free). */
static void check_sweep_to16(uint16_t (*fn)(float), uint16_t (*oracle)(float),
                             float (*value)(uint16_t), uint16_t quiet_bit,
                             const float *x, size_t n, const char *what)
{
    float *got = ll_alloc(n * sizeof *got);
    float *want = ll_alloc(n * sizeof *want);
    unsigned char *nan_ok = ll_alloc(n);
    for (size_t i = 0; i < n; i++) {
        const uint16_t r = fn(x[i]);
        got[i] = value(r);
        nan_ok[i] = !isnan(x[i]) || (isnan(got[i]) && (r & quiet_bit));
    }
    LL_ORACLE
    {
        for (size_t i = 0; i < n; i++)
            want[i] = isnan(x[i]) ? NAN : value(oracle(x[i]));
    }
    LL_CHECK_FLOATS_NEAR(got, want, n, 0.0f, 0.0f, what);
    const size_t bad = first_false(nan_ok, n);
    LL_CHECK(bad == n, "%s: element [%zu] (bits 0x%08x): expected a quiet NaN",
             what, bad, bad < n ? bits_of(x[bad]) : 0u);
    free(nan_ok);
    free(want);
    free(got);
}

/* Floats spread over the whole 32-bit space: the bits first + k * 65521 (a
 * prime stride) for a seeded first. *n receives the count. */
static float *spread_floats(size_t *n, uint32_t *first)
{
    *first = (uint32_t)ll_rand_int(0, 65520);
    *n = (size_t)((0xffffffffu - *first) / 65521u) + 1;
    float *x = ll_alloc(*n * sizeof *x);
    for (size_t k = 0; k < *n; k++)
        x[k] = float_of(*first + (uint32_t)k * 65521u);
    return x;
}

LL_TEST(float_bits, fp16_matches_gcc_Float16)
{
    /* Every half pattern, widened. */
    enum { PATTERNS = 0x10000 };
    float *got = ll_alloc(PATTERNS * sizeof *got);
    float *want = ll_alloc(PATTERNS * sizeof *want);
    uint32_t bad_nan = PATTERNS;
    for (uint32_t u = 0; u < PATTERNS; u++) {
        got[u] = fp16_to_fp32((uint16_t)u);
        const int is_nan = (u & 0x7c00) == 0x7c00 && (u & 0x3ff);
        if (is_nan && bad_nan == PATTERNS &&
            (!isnan(got[u]) || !(bits_of(got[u]) & 0x400000u) ||
             !!(bits_of(got[u]) >> 31) != !!(u & 0x8000)))
            bad_nan = u;
    }
    LL_ORACLE
    {
        for (uint32_t u = 0; u < PATTERNS; u++)
            want[u] = half_value((uint16_t)u);
    }
    LL_CHECK_FLOATS_NEAR(got, want, PATTERNS, 0.0f, 0.0f,
                         "fp16_to_fp32(h) for every pattern h = 0x0000 .. "
                         "0xffff (element [h]; expected: gcc's _Float16)");
    LL_CHECK(bad_nan == PATTERNS,
             "fp16_to_fp32(0x%04x): expected a quiet NaN of the same sign, got "
             "bits 0x%08x",
             bad_nan, bad_nan < PATTERNS ? bits_of(got[bad_nan]) : 0u);
    free(want);
    free(got);

    /* Floats spread over the whole 32-bit space. */
    size_t n;
    uint32_t first;
    float *x = spread_floats(&n, &first);
    char what[200];
    snprintf(what, sizeof what,
             "the value of fp32_to_fp16(x_k), x_k = the float with bits %u + "
             "k * 65521 (element [k]; expected: gcc's _Float16)",
             first);
    check_sweep_to16(fp32_to_fp16, oracle_to_fp16, half_value, 0x0200, x, n,
                     what);
    free(x);

    /* Every tie between two neighbouring halves, and the floats just
     * around it: where rounding mistakes live. */
    const size_t ties = 0x7c00 * 6;
    x = ll_alloc(ties * sizeof *x);
    for (uint32_t h = 0; h < 0x7c00; h++) {
        const double lo = half_value((uint16_t)h);
        const double hi = h == 0x7bff ? 65536.0 : half_value((uint16_t)(h + 1));
        const float mid = (float)((lo + hi) / 2); /* exact in a float */
        const float sides[3] = {nextafterf(mid, 0.0f), mid,
                                nextafterf(mid, INFINITY)};
        for (int s = 0; s < 3; s++) {
            x[6 * h + 2 * s] = sides[s];
            x[6 * h + 2 * s + 1] = -sides[s];
        }
    }
    check_sweep_to16(fp32_to_fp16, oracle_to_fp16, half_value, 0x0200, x, ties,
                     "the value of fp32_to_fp16(x) around the tie between "
                     "halves h and h + 1 (element [6h + 2s + neg]: s = 0 "
                     "just below the tie, 1 the tie, 2 just above; neg = 1 "
                     "for -x; expected: gcc's _Float16)");
    free(x);
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

    /* Seeded ties (low half 0x8000) below Inf: the even neighbour wins. */
    char what[128];
    for (int k = 0; k < 8; k++) {
        const uint32_t b =
            (uint32_t)(ll_rand_int(0, 0x7f7e) | (ll_rand_int(0, 1) << 15));
        const float tie = float_of((b << 16) | 0x8000u);
        snprintf(what, sizeof what,
                 "fp32_to_bf16(%.9g, bits 0x%08x; a tie between 0x%04x and "
                 "0x%04x)",
                 (double)tie, bits_of(tie), b, b + 1);
        LL_CHECK_UINT_EQ(fp32_to_bf16(tie), (b & 1) ? b + 1 : b, what);
    }
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

    check_random_nans_to16(fp32_to_bf16, "fp32_to_bf16", 0x7f80, 0x0040);
    check_random_nans_to32(bf16_to_fp32, "bf16_to_fp32", 0x7f80);
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

LL_TEST(float_bits, bf16_matches_value_rounding)
{
    size_t n;
    uint32_t first;
    float *x = spread_floats(&n, &first);
    char what[200];
    snprintf(what, sizeof what,
             "the value of fp32_to_bf16(x_k), x_k = the float with bits %u + "
             "k * 65521 (element [k]; expected: rounding by the FPU in "
             "double)",
             first);
    check_sweep_to16(fp32_to_bf16, oracle_to_bf16, bf16_value, 0x0040, x, n,
                     what);
    free(x);

    /* Every tie and its neighbours. */
    enum { PATTERNS = 0x10000 };
    x = ll_alloc(3 * PATTERNS * sizeof *x);
    size_t m = 0;
    for (uint32_t b = 0; b < PATTERNS; b++) {
        if ((b & 0x7f80) == 0x7f80)
            continue; /* Inf / NaN */
        const uint32_t tie = (b << 16) | 0x8000u;
        x[m++] = float_of(tie - 1);
        x[m++] = float_of(tie);
        x[m++] = float_of(tie + 1);
    }
    check_sweep_to16(fp32_to_bf16, oracle_to_bf16, bf16_value, 0x0040, x, m,
                     "the value of fp32_to_bf16(x) around the ties (element "
                     "[3i + s]: the tie above the i-th finite bf16 b, bits "
                     "(b << 16 | 0x8000) - 1 + s)");
    free(x);

    /* Widening is exact: every non-NaN bf16 comes back unchanged. */
    float *got = ll_alloc(PATTERNS * sizeof *got);
    float *want = ll_alloc(PATTERNS * sizeof *want);
    uint32_t bad_nan = PATTERNS;
    for (uint32_t b = 0; b < PATTERNS; b++) {
        got[b] = bf16_to_fp32((uint16_t)b);
        const int is_nan = (b & 0x7f80) == 0x7f80 && (b & 0x7f);
        if (is_nan && bad_nan == PATTERNS &&
            (!isnan(got[b]) || !(bits_of(got[b]) & 0x400000u) ||
             !!(bits_of(got[b]) >> 31) != !!(b & 0x8000)))
            bad_nan = b;
    }
    LL_ORACLE
    {
        for (uint32_t b = 0; b < PATTERNS; b++)
            want[b] = float_of(b << 16);
    }
    LL_CHECK_FLOATS_NEAR(got, want, PATTERNS, 0.0f, 0.0f,
                         "bf16_to_fp32(b) for every pattern b = 0x0000 .. "
                         "0xffff (element [b]; expected: the float with bits "
                         "b << 16)");
    LL_CHECK(bad_nan == PATTERNS,
             "bf16_to_fp32(0x%04x): expected a quiet NaN of the same sign, got "
             "bits 0x%08x",
             bad_nan, bad_nan < PATTERNS ? bits_of(got[bad_nan]) : 0u);
    free(want);
    free(got);
}

/* Tests for 39_sampling. Students: read them, do not edit them.
 *
 * Expected draws come from the NumPy oracle (golden/llama_golden.h), which
 * runs llama2.c's generator and sample() in Python, and from the oracle_*
 * functions below, which follow sampling.h's rules step by step (another
 * sort, no shortcuts) on inputs drawn from the grader's seeded generator
 * (ll_rand_*: when it grades, the grader may draw other ones than the ones
 * you see). The small cases are worked out by hand in the comments.
 *
 * Probabilities in the seeded cases of sample_mult and sample_topp are
 * multiples of 1/64, so every running sum is exact in float and a coin
 * can land exactly on a boundary (where "exceeds" must mean >, not >=).
 * sample() divides and normalises in float before it draws: its oracle
 * calls the same softmax (27_softmax) on the same floats, and the coin is
 * a multiple of 2^-24, so a correct implementation whose softmax rounds
 * differently could in principle take the other side of a boundary; with
 * these logits the chance of that is below 1e-4 per run. */
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "sampling.h"
#include "softmax.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the oracles
 * -------------------------------------------------------------- */

static unsigned int oracle_u32(unsigned long long *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (unsigned int)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

static float oracle_f32(unsigned long long *state)
{
    return (float)(oracle_u32(state) >> 8) * (1.0f / 16777216.0f);
}

static int oracle_argmax(const float *p, int n)
{
    int best = 0;
    for (int i = 1; i < n; i++)
        if (p[i] > p[best])
            best = i;
    return best;
}

static int oracle_mult(const float *p, int n, float coin)
{
    float cdf = 0.0f;
    for (int i = 0; i < n; i++) {
        cdf += p[i];
        if (coin < cdf)
            return i;
    }
    return n - 1;
}

/* sampling.h's nucleus rule, with an insertion sort that keeps equal
 * probabilities in index order. */
static int oracle_topp(const float *p, int n, float topp, float coin)
{
    const float cutoff = (1.0f - topp) / (float)(n - 1);
    ProbIndex *c = ll_alloc((size_t)n * sizeof *c);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!(p[i] >= cutoff))
            continue;
        int j = m++;
        while (j > 0 && c[j - 1].prob < p[i]) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = (ProbIndex){p[i], i};
    }
    int result = n - 1;
    if (m > 0) {
        float sum = 0.0f;
        int last = m - 1;
        for (int i = 0; i < m; i++) {
            sum += c[i].prob;
            if (sum > topp) {
                last = i;
                break;
            }
        }
        const float r = coin * sum;
        float cdf = 0.0f;
        result = c[last].index;
        for (int i = 0; i <= last; i++) {
            cdf += c[i].prob;
            if (r < cdf) {
                result = c[i].index;
                break;
            }
        }
    }
    free(c);
    return result;
}

/* sample() by sampling.h's rules; the softmax is 27_softmax's. */
static int oracle_sample(const float *logits, int n, float temperature,
                         float topp, unsigned long long *state)
{
    if (temperature == 0.0f)
        return oracle_argmax(logits, n);
    float *p = ll_alloc((size_t)n * sizeof *p);
    for (int i = 0; i < n; i++)
        p[i] = logits[i] / temperature;
    softmax(p, n);
    const float coin = oracle_f32(state);
    const int r = topp <= 0.0f || topp >= 1.0f ? oracle_mult(p, n, coin)
                                               : oracle_topp(p, n, topp, coin);
    free(p);
    return r;
}

/* n seeded probabilities, multiples of 1/64 (some 0, many equal), that
 * sum to 1 exactly; returned in p (n <= 64). */
static void random_probabilities(float *p, int n)
{
    int units[64] = {0};
    for (int k = 0; k < 64; k++) /* 64 units of 1/64 dealt at random */
        units[ll_rand_int(0, n - 1)]++;
    for (int i = 0; i < n; i++)
        p[i] = (float)units[i] / 64.0f;
}

static void format_list(char *buf, size_t cap, const float *v, int n)
{
    ll_format_floats(buf, cap, v, (size_t)n);
}

/* ---- the generator ----------------------------------------------------------
 */

LL_TEST(sampling, random_u32_is_xorshift64star)
{
    for (int s = 0; s < LLG_N_RNG_SEEDS; s++) {
        unsigned long long state = LLG_RNG_SEEDS[s];
        for (int k = 0; k < LLG_RNG_DRAWS; k++) {
            char what[96];
            snprintf(what, sizeof what, "draw %d of random_u32, seed %llu", k,
                     LLG_RNG_SEEDS[s]);
            LL_CHECK_UINT_EQ(random_u32(&state), LLG_RNG_U32[s][k], what);
        }
    }
    /* seeded states: 64 draws each, and the state they leave behind */
    for (int s = 0; s < 4; s++) {
        const unsigned long long seed = ll_rand_u64() | 1;
        unsigned long long state = seed, want_state = seed;
        unsigned int got[64], want[64];
        for (int k = 0; k < 64; k++)
            got[k] = random_u32(&state);
        LL_ORACLE
        {
            for (int k = 0; k < 64; k++)
                want[k] = oracle_u32(&want_state);
        }
        char what[160];
        snprintf(what, sizeof what,
                 "64 draws of random_u32 from seed %llu (unsigned int [k])",
                 seed);
        LL_CHECK_BYTES_EQ(got, want, sizeof got, what);
        snprintf(what, sizeof what,
                 "the state after 64 draws of random_u32 from seed %llu", seed);
        LL_CHECK_UINT_EQ(state, want_state, what);
    }
}

LL_TEST(sampling, random_f32_keeps_24_bits)
{
    unsigned long long state = LLG_RNG_SEEDS[0];
    for (int k = 0; k < LLG_RNG_DRAWS; k++) {
        char what[64];
        snprintf(what, sizeof what, "draw %d of random_f32, seed 42", k);
        LL_CHECK_FLOAT_NEAR(random_f32(&state), LLG_RNG_F32_SEED0[k], 0, what);
    }
    /* seeded: 4096 draws, each exactly (u32 >> 8) / 2^24, in [0, 1) */
    const unsigned long long seed = ll_rand_u64() | 1;
    unsigned long long want_state = seed;
    float *got = ll_alloc(4096 * sizeof *got);
    float *want = ll_alloc(4096 * sizeof *want);
    state = seed;
    for (int k = 0; k < 4096; k++)
        got[k] = random_f32(&state);
    LL_ORACLE
    {
        for (int k = 0; k < 4096; k++)
            want[k] = oracle_f32(&want_state);
    }
    char what[128];
    snprintf(what, sizeof what,
             "4096 draws of random_f32 from seed %llu (the top 24 bits of "
             "random_u32, / 2^24)",
             seed);
    LL_CHECK_FLOATS_NEAR(got, want, 4096, 0.0f, 0.0f, what);
    /* the largest draw: top 24 bits all ones */
    int below_one = 1;
    for (int k = 0; k < 4096; k++)
        below_one &= got[k] >= 0.0f && got[k] < 1.0f;
    LL_CHECK(below_one, "random_f32 returned a value outside [0, 1)");
    free(want);
    free(got);
}

/* ---- argmax, mult, top-p --------------------------------------------------
 */

LL_TEST(sampling, argmax_takes_the_first_maximum)
{
    const float a[] = {-3.0f, -1.0f, -2.0f, -1.0f};
    LL_CHECK_INT_EQ(sample_argmax(a, 4), 1, "argmax of {-3, -1, -2, -1}");
    const float b[] = {0.1f, 0.2f, 0.7f, 0.7f, 0.0f};
    LL_CHECK_INT_EQ(sample_argmax(b, 5), 2, "argmax of {.1, .2, .7, .7, 0}");
    LL_CHECK_INT_EQ(sample_argmax(LLG_SAMPLE_LOGITS, LLG_SAMPLE_N), 4,
                    "argmax of the test logits");
    const float one[] = {-INFINITY};
    LL_CHECK_INT_EQ(sample_argmax(one, 1), 0, "argmax of {-inf} (n = 1)");
    const float nans[] = {NAN, NAN, NAN};
    LL_CHECK_INT_EQ(sample_argmax(nans, 3), 0, "argmax of {nan, nan, nan}");
    /* seeded: values from a small set (ties everywhere), short and long */
    for (int c = 0; c < 12; c++) {
        const int n = c < 4 ? (int)ll_rand_int(1, 8) : (int)ll_rand_int(9, 300);
        float *v = ll_alloc((size_t)n * sizeof *v);
        for (int i = 0; i < n; i++)
            v[i] = ll_rand_int(0, 9) == 0 ? -INFINITY
                                          : (float)ll_rand_int(-5, 5) / 4;
        char buf[200], what[260];
        snprintf(what, sizeof what, "sample_argmax(%s, n = %d)",
                 ll_format_floats(buf, sizeof buf, v, (size_t)n), n);
        LL_CHECK_INT_EQ(sample_argmax(v, n), oracle_argmax(v, n), what);
        free(v);
    }
}

LL_TEST(sampling, mult_walks_the_cumulative_distribution)
{
    const float p[] = {0.125f, 0.25f, 0.5f, 0.125f}; /* cdf .125 .375 .875 1 */
    LL_CHECK_INT_EQ(sample_mult(p, 4, 0.0f), 0, "sample_mult(coin 0)");
    LL_CHECK_INT_EQ(sample_mult(p, 4, 0.125f), 1,
                    "sample_mult(coin 0.125): coin < cdf is strict");
    LL_CHECK_INT_EQ(sample_mult(p, 4, 0.5f), 2, "sample_mult(coin 0.5)");
    LL_CHECK_INT_EQ(sample_mult(p, 4, 0.9f), 3, "sample_mult(coin 0.9)");
    const float q[] = {0.25f, 0.25f, 0.25f}; /* sums to 0.75 only */
    LL_CHECK_INT_EQ(sample_mult(q, 3, 0.8f), 2,
                    "sample_mult(coin above the total): the last index");
    const float nans[] = {NAN, NAN};
    LL_CHECK_INT_EQ(sample_mult(nans, 2, 0.5f), 1,
                    "sample_mult({nan, nan}): no cdf exceeds the coin");
    /* seeded: probabilities and coins that are multiples of 1/64 */
    for (int c = 0; c < 16; c++) {
        const int n = (int)ll_rand_int(1, 12);
        float v[64];
        random_probabilities(v, n);
        const float coin = (float)ll_rand_int(0, 63) / 64.0f;
        char buf[200], what[280];
        format_list(buf, sizeof buf, v, n);
        snprintf(what, sizeof what, "sample_mult(%s, n = %d, coin %g)", buf, n,
                 (double)coin);
        LL_CHECK_INT_EQ(sample_mult(v, n, coin), oracle_mult(v, n, coin), what);
    }
}

/* sample_topp with a scratch array of exactly n entries. */
static int topp(const float *p, int n, float top, float coin)
{
    ProbIndex *scratch = ll_alloc((size_t)n * sizeof *scratch);
    const int r = sample_topp(p, n, top, scratch, coin);
    free(scratch);
    return r;
}

LL_TEST(sampling, topp_samples_inside_the_nucleus)
{
    /* cutoff (1 - 0.8) / 4 = 0.05 keeps all five; sorted: .4 (1), .3 (3),
     * .15 (4), .1 (2), .05 (0); running sums .4 .7 .85: the nucleus is the
     * first three, its mass 0.85 */
    const float p[] = {0.05f, 0.4f, 0.1f, 0.3f, 0.15f};
    LL_CHECK_INT_EQ(topp(p, 5, 0.8f, 0.1f), 1,
                    "sample_topp(coin 0.1): r = 0.085 falls in the first");
    LL_CHECK_INT_EQ(topp(p, 5, 0.8f, 0.5f), 3,
                    "sample_topp(coin 0.5): r = 0.425 falls in the second");
    LL_CHECK_INT_EQ(topp(p, 5, 0.8f, 0.99f), 4,
                    "sample_topp(coin 0.99): r = 0.8415, still the third");
    /* topp 0.5: .6 alone exceeds it, so every coin gives index 2 */
    const float q[] = {0.01f, 0.39f, 0.6f};
    LL_CHECK_INT_EQ(topp(q, 3, 0.5f, 0.99f), 2,
                    "sample_topp(topp 0.5, coin 0.99): only the top token");
    /* cutoff (1 - 0.9) / 2 = 0.05 drops index 0; nucleus {.5 (1), .46 (2)}
     * of mass .96: coin 0.99 -> r = .9504 -> index 2 */
    const float r[] = {0.04f, 0.5f, 0.46f};
    LL_CHECK_INT_EQ(topp(r, 3, 0.9f, 0.99f), 2,
                    "sample_topp(topp 0.9, coin 0.99)");
    /* exactly at the cutoff (1 - 0.75) / 4 = 0.0625: kept; the running sum
     * .75 of the first does not exceed topp 0.75, so the nucleus is .75 (4)
     * and .0625 (0), of mass .8125: coin 0.99 -> r = 0.804 -> index 0 */
    const float e[] = {0.0625f, 0.0625f, 0.0625f, 0.0625f, 0.75f};
    LL_CHECK_INT_EQ(topp(e, 5, 0.75f, 0.99f), 0,
                    "sample_topp({.0625, .0625, .0625, .0625, .75}, topp "
                    "0.75, coin 0.99): p == cutoff is kept, a sum == topp "
                    "does not exceed it");
    /* equal probabilities: the lower index first */
    const float t[] = {0.25f, 0.25f, 0.25f, 0.25f};
    LL_CHECK_INT_EQ(topp(t, 4, 0.3f, 0.0f), 0,
                    "sample_topp({.25, .25, .25, .25}, topp 0.3, coin 0): "
                    "equal probabilities sort by index");
    LL_CHECK_INT_EQ(topp(t, 4, 0.3f, 0.7f), 1,
                    "sample_topp({.25, .25, .25, .25}, topp 0.3, coin 0.7): "
                    "nucleus {0, 1}, r = 0.35 -> index 1");
    /* seeded: ties everywhere, sums and coins exact in float */
    for (int c = 0; c < 24; c++) {
        const int n = (int)ll_rand_int(2, 12);
        float v[64];
        random_probabilities(v, n);
        const float top = (float)ll_rand_int(1, 63) / 64.0f;
        const float coin = (float)ll_rand_int(0, 63) / 64.0f;
        char buf[200], what[300];
        format_list(buf, sizeof buf, v, n);
        snprintf(what, sizeof what, "sample_topp(%s, n = %d, topp %g, coin %g)",
                 buf, n, (double)top, (double)coin);
        LL_CHECK_INT_EQ(topp(v, n, top, coin), oracle_topp(v, n, top, coin),
                        what);
    }
}

LL_TEST(sampling, topp_without_candidates_returns_the_last_index)
{
    const float nans[] = {NAN, NAN, NAN, NAN};
    LL_CHECK_INT_EQ(topp(nans, 4, 0.9f, 0.5f), 3,
                    "sample_topp(4 NaN probabilities): no candidate, n - 1");
    const float one[] = {1.0f};
    LL_CHECK_INT_EQ(topp(one, 1, 0.9f, 0.5f), 0,
                    "sample_topp({1}, n = 1): the cutoff divides by 0");
    const float some[] = {0.5f, 0.5f};
    LL_CHECK_INT_EQ(topp(some, 2, NAN, 0.5f), 1,
                    "sample_topp(topp NaN): no candidate, n - 1");
    /* seeded: n NaN probabilities */
    const int n = (int)ll_rand_int(2, 40);
    float *v = ll_alloc((size_t)n * sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = NAN;
    char what[80];
    snprintf(what, sizeof what, "sample_topp(%d NaN probabilities)", n);
    LL_CHECK_INT_EQ(topp(v, n, ll_rand_float(0.1f, 0.9f), 0.5f),
                    oracle_topp(v, n, 0.5f, 0.5f), what);
    free(v);
}

/* ---- sample()
 * ----------------------------------------------------------------- */

LL_TEST(sampling, sample_matches_llama2c_draw_for_draw)
{
    for (int c = 0; c < LLG_N_SAMPLE_CASES; c++) {
        const llg_sample_case *k = &LLG_SAMPLE_CASES[c];
        Sampler s;
        memset(&s, 0, sizeof s);
        LL_CHECK_INT_EQ(
            sampler_init(&s, LLG_SAMPLE_N, k->temperature, k->topp, k->seed), 0,
            "sampler_init");
        for (int d = 0; d < LLG_SAMPLE_DRAWS; d++) {
            float logits[LLG_SAMPLE_N];
            memcpy(logits, LLG_SAMPLE_LOGITS, sizeof logits);
            char what[128];
            snprintf(what, sizeof what,
                     "draw %d with temperature %g, topp %g, seed %llu", d,
                     (double)k->temperature, (double)k->topp, k->seed);
            LL_CHECK_INT_EQ(sample(&s, logits), k->draws[d], what);
        }
        sampler_free(&s);
    }
    /* seeded: vocabulary, logits, temperature, topp (plain or nucleus) and
     * seed; 16 draws each, and the generator's state after them */
    for (int c = 0; c < 8; c++) {
        const int n = (int)ll_rand_int(1, 200);
        const float temperature =
            ll_rand_int(0, 3) == 0 ? 0.0f : (float)ll_rand_int(2, 30) / 10.0f;
        const float top = (float)ll_rand_int(0, 4) / 4.0f; /* 0 and 1: plain */
        const unsigned long long seed = ll_rand_u64() | 1;
        float *logits = ll_alloc((size_t)n * sizeof *logits);
        ll_rand_floats(logits, (size_t)n, -4.0f, 4.0f);
        Sampler s;
        memset(&s, 0, sizeof s);
        LL_CHECK_INT_EQ(sampler_init(&s, n, temperature, top, seed), 0,
                        "sampler_init");
        int got[16], want[16];
        float *work = ll_alloc((size_t)n * sizeof *work);
        for (int d = 0; d < 16; d++) {
            memcpy(work, logits, (size_t)n * sizeof *work);
            got[d] = sample(&s, work);
        }
        unsigned long long state = seed;
        LL_ORACLE
        {
            for (int d = 0; d < 16; d++)
                want[d] = oracle_sample(logits, n, temperature, top, &state);
        }
        char what[200];
        snprintf(what, sizeof what,
                 "16 draws of sample() (int [d]), vocab %d, temperature %g, "
                 "topp %g, seed %llu",
                 n, (double)temperature, (double)top, seed);
        LL_CHECK_BYTES_EQ(got, want, sizeof got, what);
        snprintf(what, sizeof what,
                 "rng_state after 16 draws of sample(), temperature %g, seed "
                 "%llu (one random_f32 per draw, none at temperature 0)",
                 (double)temperature, seed);
        LL_CHECK_UINT_EQ(s.rng_state, state, what);
        free(work);
        free(logits);
        sampler_free(&s);
    }
}

LL_TEST(sampling, nan_logits_give_a_defined_token)
{
    /* a NaN weight makes every logit NaN: argmax gives 0, plain and
     * nucleus sampling n - 1, and the coin is drawn all the same */
    const int n = (int)ll_rand_int(2, 50);
    const unsigned long long seed = ll_rand_u64() | 1;
    const float temps[3] = {0.0f, 0.8f, 0.8f}, tops[3] = {0.9f, 1.0f, 0.9f};
    for (int c = 0; c < 3; c++) {
        Sampler s;
        memset(&s, 0, sizeof s);
        LL_CHECK_INT_EQ(sampler_init(&s, n, temps[c], tops[c], seed), 0,
                        "sampler_init");
        float *logits = ll_alloc((size_t)n * sizeof *logits);
        for (int i = 0; i < n; i++)
            logits[i] = NAN;
        const int got = sample(&s, logits);
        unsigned long long state = seed;
        int want = 0;
        LL_ORACLE
        {
            for (int i = 0; i < n; i++)
                logits[i] = NAN;
            want = oracle_sample(logits, n, temps[c], tops[c], &state);
        }
        char what[160];
        snprintf(what, sizeof what,
                 "sample() of %d NaN logits, temperature %g, topp %g", n,
                 (double)temps[c], (double)tops[c]);
        LL_CHECK_INT_EQ(got, want, what);
        snprintf(what, sizeof what,
                 "rng_state after sample() of NaN logits, temperature %g",
                 (double)temps[c]);
        LL_CHECK_UINT_EQ(s.rng_state, state, what);
        free(logits);
        sampler_free(&s);
    }
}

LL_TEST(sampling, greedy_draws_no_random_number)
{
    Sampler s;
    memset(&s, 0, sizeof s);
    const unsigned long long seed = ll_rand_u64() | 1;
    LL_CHECK_INT_EQ(sampler_init(&s, LLG_SAMPLE_N, 0.0f, 0.9f, seed), 0,
                    "sampler_init");
    LL_CHECK_INT_EQ(s.vocab_size, LLG_SAMPLE_N, "sampler.vocab_size");
    LL_CHECK_NOT_NULL(s.probindex, "sampler.probindex");
    float logits[LLG_SAMPLE_N];
    memcpy(logits, LLG_SAMPLE_LOGITS, sizeof logits);
    LL_CHECK_INT_EQ(sample(&s, logits), 4, "sample at temperature 0");
    char what[96];
    snprintf(what, sizeof what,
             "rng_state after a greedy sample, seed %llu (must not move)",
             seed);
    LL_CHECK_UINT_EQ(s.rng_state, seed, what);
    sampler_free(&s);
    LL_CHECK_NULL(s.probindex, "sampler.probindex after sampler_free");
}

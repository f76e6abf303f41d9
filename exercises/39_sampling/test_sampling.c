/* Tests for 39_sampling. Students: read them, do not edit them.
 *
 * Expected draws come from the NumPy oracle (golden/llama_golden.h), which
 * runs llama2.c's generator and sample() in Python; the small cases below
 * are worked out by hand in the comments. */
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "sampling.h"

#include <stdio.h>
#include <string.h>

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
}

LL_TEST(sampling, random_f32_keeps_24_bits)
{
    unsigned long long state = LLG_RNG_SEEDS[0];
    for (int k = 0; k < LLG_RNG_DRAWS; k++) {
        char what[64];
        snprintf(what, sizeof what, "draw %d of random_f32, seed 42", k);
        LL_CHECK_FLOAT_NEAR(random_f32(&state), LLG_RNG_F32_SEED0[k], 0, what);
    }
    for (int k = 0; k < 10000; k++) {
        const float f = random_f32(&state);
        LL_CHECK(f >= 0.0f && f < 1.0f,
                 "random_f32 returned %g, outside [0, 1)", (double)f);
        /* a multiple of 2^-24: 24 bits, no more */
        LL_CHECK(f * 16777216.0f == (float)(int)(f * 16777216.0f),
                 "random_f32 returned %.10g, not a multiple of 2^-24",
                 (double)f);
    }
}

LL_TEST(sampling, argmax_takes_the_first_maximum)
{
    const float a[] = {-3.0f, -1.0f, -2.0f, -1.0f};
    LL_CHECK_INT_EQ(sample_argmax(a, 4), 1, "argmax of {-3, -1, -2, -1}");
    const float b[] = {0.1f, 0.2f, 0.7f, 0.7f, 0.0f};
    LL_CHECK_INT_EQ(sample_argmax(b, 5), 2, "argmax of {.1, .2, .7, .7, 0}");
    LL_CHECK_INT_EQ(sample_argmax(LLG_SAMPLE_LOGITS, LLG_SAMPLE_N), 4,
                    "argmax of the test logits");
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
}

LL_TEST(sampling, topp_samples_inside_the_nucleus)
{
    ProbIndex scratch[5];
    /* cutoff (1 - 0.8) / 4 = 0.05 keeps all five; sorted: .4 (1), .3 (3),
     * .15 (4), .1 (2), .05 (0); running sums .4 .7 .85: the nucleus is the
     * first three, its mass 0.85 */
    const float p[] = {0.05f, 0.4f, 0.1f, 0.3f, 0.15f};
    LL_CHECK_INT_EQ(sample_topp(p, 5, 0.8f, scratch, 0.1f), 1,
                    "sample_topp(coin 0.1): r = 0.085 falls in the first");
    LL_CHECK_INT_EQ(sample_topp(p, 5, 0.8f, scratch, 0.5f), 3,
                    "sample_topp(coin 0.5): r = 0.425 falls in the second");
    LL_CHECK_INT_EQ(sample_topp(p, 5, 0.8f, scratch, 0.99f), 4,
                    "sample_topp(coin 0.99): r = 0.8415, still the third");
    /* topp 0.5: .6 alone exceeds it, so every coin gives index 0 */
    const float q[] = {0.01f, 0.39f, 0.6f};
    LL_CHECK_INT_EQ(sample_topp(q, 3, 0.5f, scratch, 0.99f), 2,
                    "sample_topp(topp 0.5, coin 0.99): only the top token");
    /* cutoff (1 - 0.9) / 2 = 0.05 drops index 0; nucleus {.5 (1), .46 (2)}
     * of mass .96: coin 0.99 -> r = .9504 -> index 2 */
    const float r[] = {0.04f, 0.5f, 0.46f};
    LL_CHECK_INT_EQ(sample_topp(r, 3, 0.9f, scratch, 0.99f), 2,
                    "sample_topp(topp 0.9, coin 0.99)");
}

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
}

LL_TEST(sampling, greedy_draws_no_random_number)
{
    Sampler s;
    memset(&s, 0, sizeof s);
    LL_CHECK_INT_EQ(sampler_init(&s, LLG_SAMPLE_N, 0.0f, 0.9f, 1234), 0,
                    "sampler_init");
    LL_CHECK_INT_EQ(s.vocab_size, LLG_SAMPLE_N, "sampler.vocab_size");
    LL_CHECK_NOT_NULL(s.probindex, "sampler.probindex");
    float logits[LLG_SAMPLE_N];
    memcpy(logits, LLG_SAMPLE_LOGITS, sizeof logits);
    LL_CHECK_INT_EQ(sample(&s, logits), 4, "sample at temperature 0");
    LL_CHECK_UINT_EQ(s.rng_state, 1234,
                     "rng_state after a greedy sample (must not move)");
    sampler_free(&s);
    LL_CHECK_NULL(s.probindex, "sampler.probindex after sampler_free");
}

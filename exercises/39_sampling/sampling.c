/* 39_sampling: pick the next token from the logits, reproducibly.
 *
 * Lecture: lectures/05_engine.md#choosing-the-next-token
 */
#include "sampling.h"

#include "softmax.h" /* your softmax from 27_softmax */

#include <stdlib.h>

unsigned int random_u32(unsigned long long *state)
{
    /* TODO: xorshift64* as documented in sampling.h (the state is 64-bit:
     * mind the types of the constants). */
    (void)state;
    return 0;
}

float random_f32(unsigned long long *state)
{
    /* TODO: 24 random bits scaled into [0, 1). */
    (void)state;
    return 0.0f;
}

int sample_argmax(const float *probabilities, int n)
{
    /* TODO */
    (void)probabilities;
    (void)n;
    return 0;
}

int sample_mult(const float *probabilities, int n, float coin)
{
    /* TODO: walk the cumulative distribution. */
    (void)probabilities;
    (void)n;
    (void)coin;
    return 0;
}

int sample_topp(const float *probabilities, int n, float topp,
                ProbIndex *probindex, float coin)
{
    /* TODO: filter by the cutoff, qsort the survivors (descending), find the
     * nucleus, then sample inside it. */
    (void)probabilities;
    (void)n;
    (void)topp;
    (void)probindex;
    (void)coin;
    return 0;
}

int sampler_init(Sampler *s, int vocab_size, float temperature, float topp,
                 unsigned long long seed)
{
    /* TODO: fill the fields, allocate probindex. */
    (void)s;
    (void)vocab_size;
    (void)temperature;
    (void)topp;
    (void)seed;
    return 0;
}

void sampler_free(Sampler *s)
{
    /* TODO */
    (void)s;
}

int sample(Sampler *s, float *logits)
{
    /* TODO: argmax at temperature 0; otherwise temperature, softmax, ONE
     * coin, then sample_mult or sample_topp. */
    (void)s;
    (void)logits;
    return 0;
}

/* 39_sampling: reference solution (llama2.c's sampler). */
#include "sampling.h"

#include "softmax.h"

#include <math.h>
#include <stdlib.h>

unsigned int random_u32(unsigned long long *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return (unsigned int)((*state * 0x2545F4914F6CDD1Dull) >> 32);
}

float random_f32(unsigned long long *state)
{
    return (float)(random_u32(state) >> 8) / 16777216.0f;
}

/* The first index of the largest value; like the plain loop, a NaN is
 * never chosen, unless it is element 0. Block by block:
 * a block's maximum comes from 8 independent lanes, which the compiler
 * turns into vector max instructions, and only a block that holds a new
 * maximum is searched for its index; a running maximum changes rarely.
 * 32000 logits: ~4 us, against ~24 us for the plain loop, whose every
 * step waits for the previous comparison (measured; at 2 threads a
 * stories15M token takes ~0.6 ms). */
int sample_argmax(const float *probabilities, int n)
{
    const float *p = probabilities;
    int best = 0, i = 1;
    for (; i + 64 <= n; i += 64) {
        float lane[8];
        for (int k = 0; k < 8; k++)
            lane[k] = -INFINITY;
        for (int j = 0; j < 64; j += 8)
            for (int k = 0; k < 8; k++)
                lane[k] = p[i + j + k] > lane[k] ? p[i + j + k] : lane[k];
        float block_max = -INFINITY;
        for (int k = 0; k < 8; k++)
            block_max = lane[k] > block_max ? lane[k] : block_max;
        if (block_max > p[best])
            for (best = i; p[best] != block_max; best++)
                ;
    }
    for (; i < n; i++)
        if (p[i] > p[best])
            best = i;
    return best;
}

int sample_mult(const float *probabilities, int n, float coin)
{
    float cdf = 0.0f;
    for (int i = 0; i < n; i++) {
        cdf += probabilities[i];
        if (coin < cdf)
            return i;
    }
    return n - 1; /* rounding */
}

/* Descending probability; equal ones by ascending index (qsort is not
 * stable, so the tie-break must be explicit). */
static int by_prob_desc(const void *a, const void *b)
{
    const ProbIndex *x = a, *y = b;
    if (x->prob != y->prob)
        return (x->prob < y->prob) - (x->prob > y->prob);
    return (x->index > y->index) - (x->index < y->index);
}

int sample_topp(const float *probabilities, int n, float topp,
                ProbIndex *probindex, float coin)
{
    /* values below the cutoff can never be part of the nucleus: dropping
     * them first makes the sort much cheaper */
    const float cutoff = (1.0f - topp) / (float)(n - 1);
    int n0 = 0;
    for (int i = 0; i < n; i++)
        if (probabilities[i] >= cutoff)
            probindex[n0++] = (ProbIndex){probabilities[i], i};
    if (n0 == 0) /* NaN probabilities, or n == 1: no candidate */
        return n - 1;
    qsort(probindex, (size_t)n0, sizeof *probindex, by_prob_desc);
    float cumulative = 0.0f;
    int last = n0 - 1;
    for (int i = 0; i < n0; i++) {
        cumulative += probindex[i].prob;
        if (cumulative > topp) {
            last = i;
            break;
        }
    }
    const float r = coin * cumulative;
    float cdf = 0.0f;
    for (int i = 0; i <= last; i++) {
        cdf += probindex[i].prob;
        if (r < cdf)
            return probindex[i].index;
    }
    return probindex[last].index; /* rounding */
}

int sampler_init(Sampler *s, int vocab_size, float temperature, float topp,
                 unsigned long long seed)
{
    s->vocab_size = vocab_size;
    s->temperature = temperature;
    s->topp = topp;
    s->rng_state = seed;
    s->probindex = malloc((size_t)vocab_size * sizeof *s->probindex);
    return s->probindex ? 0 : -1;
}

void sampler_free(Sampler *s)
{
    free(s->probindex);
    s->probindex = NULL;
}

int sample(Sampler *s, float *logits)
{
    if (s->temperature == 0.0f)
        return sample_argmax(logits, s->vocab_size);
    for (int i = 0; i < s->vocab_size; i++)
        logits[i] /= s->temperature;
    softmax(logits, s->vocab_size);
    const float coin = random_f32(&s->rng_state);
    if (s->topp <= 0.0f || s->topp >= 1.0f)
        return sample_mult(logits, s->vocab_size, coin);
    return sample_topp(logits, s->vocab_size, s->topp, s->probindex, coin);
}

/* sampling.h: the interface of exercise 39_sampling (do not edit).
 *
 * Turning logits into the next token exactly as llama2.c's run.c does, so
 * that the same model, prompt and seed give the same tokens in both
 * programs: the same generator (xorshift64*), the same number of draws, the
 * same order of operations. */
#ifndef SAMPLING_H
#define SAMPLING_H

/* One candidate of top-p sampling. */
typedef struct {
    float prob;
    int index;
} ProbIndex;

typedef struct {
    int vocab_size;
    ProbIndex *probindex; /* scratch for top-p: vocab_size entries */
    float temperature;    /* 0: greedy (argmax) */
    float topp;           /* in (0, 1): nucleus sampling; else plain */
    unsigned long long rng_state;
} Sampler;

/* xorshift64*: state ^= state >> 12; state ^= state << 25;
 * state ^= state >> 27; returns (state * 0x2545F4914F6CDD1D) >> 32. */
unsigned int random_u32(unsigned long long *state);

/* A float in [0, 1): the top 24 bits of random_u32, divided by 2^24. */
float random_f32(unsigned long long *state);

/* Index of the largest value; the first one on ties. 0 when every value is
 * NaN (the logits of a model with a NaN weight). */
int sample_argmax(const float *probabilities, int n);

/* Index of the first i with coin < p[0] + ... + p[i] (sums in float);
 * n - 1 if rounding leaves coin above the total. */
int sample_mult(const float *probabilities, int n, float coin);

/* Nucleus sampling, run.c's way: keep the p[i] >= (1 - topp) / (n - 1),
 * sort them by descending probability (equal ones: the lower index first),
 * cut after the first one where the running sum exceeds topp (or keep
 * all), then return the first kept index whose running sum exceeds
 * coin * (the kept sum), or the last kept one if rounding leaves none.
 * When no p[i] reaches the cutoff (NaN probabilities; n == 1, where the
 * cutoff divides by 0), returns n - 1, as sample_mult does when the coin
 * is above the total, and never reads probindex[-1]. probindex: n
 * entries. */
int sample_topp(const float *probabilities, int n, float topp,
                ProbIndex *probindex, float coin);

/* Sets the fields and allocates probindex. Returns 0, or -1 if out of
 * memory. */
int sampler_init(Sampler *s, int vocab_size, float temperature, float topp,
                 unsigned long long seed);
void sampler_free(Sampler *s);

/* The next token. temperature 0: argmax of the logits, no random draw.
 * Otherwise: logits /= temperature and softmax, in place; then exactly one
 * coin = random_f32(); then sample_mult if topp <= 0 or topp >= 1, else
 * sample_topp. */
int sample(Sampler *s, float *logits);

#endif

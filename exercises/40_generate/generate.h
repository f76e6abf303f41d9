/* generate.h: the interface of exercise 40_generate (do not edit).
 *
 * The generate loop of llama2.c's run.c and its command line:
 *
 *   engine model.bin [-z tokenizer.bin] [-i prompt] [-n steps]
 *                    [-t temperature] [-p topp] [-s seed] [-j threads]
 *                    [-q 32|8]
 *
 * main.c in this folder turns engine_main into a program. */
#ifndef GENERATE_H
#define GENERATE_H

#include "sampling.h"
#include "tokenizer.h"

#include <stdio.h>

/* The most threads -j accepts (the fast engine of 42_fast_engine). */
#define GEN_MAX_THREADS 256

typedef struct {
    const char *checkpoint_path; /* the one positional argument */
    const char *tokenizer_path;  /* -z, default "tokenizer.bin" */
    const char *prompt;          /* -i, default NULL (no prompt) */
    int steps;                   /* -n, default 256: an int >= 0 */
    float temperature;           /* -t, default 1.0: finite, >= 0 */
    float topp;                  /* -p, default 0.9: in [0, 1] */
    unsigned long long seed;     /* -s, default 0: the current time */
    int threads;                 /* -j, default 1: 1..GEN_MAX_THREADS */
    int quant;                   /* -q, 32 (default) or 8: weight format */
} GenOptions;

/* Parses argv like run.c: argv[1] is the checkpoint, then pairs of a
 * two-character flag and its value, in any order (the last of a repeated
 * flag wins). Unlike run.c, a bad value is refused, never replaced by a
 * default: every number must be the whole value (strtol / strtof /
 * strtoull with nothing left over, no overflow) and in the range noted
 * above; -s takes decimal digits only (strtoull would read "-1" as
 * 2^64 - 1); -t and -p refuse nan and inf. Returns 0, or -1 after printing
 * what was wrong and a usage text to err (no checkpoint, a flag that is
 * not "-x", an unknown flag, a flag without a value, a bad value). */
int parse_args(int argc, char **argv, GenOptions *o, FILE *err);

/* Prints a decoded piece unless it is a single byte that is neither
 * printable nor white space (isprint / isspace): raw bytes of a broken
 * UTF-8 sequence would garble the terminal. NULL or "" prints nothing. */
void safe_print(FILE *out, const char *piece);

/* One step of any engine: logits (vocab_size) for `token` at `pos`. */
typedef float *(*ForwardFn)(void *model, int token, int pos);

/* run.c's generate(): encode the prompt with BOS, then for pos = 0, 1, ...
 * while pos < steps: logits = forward(token, pos); the next token is the
 * prompt's next token while pos < n_prompt - 1, else sample(); pos++; stop
 * if next is BOS (1); print safe_print(decode(token, next)); flush;
 * token = next. Finally print "\n".
 * Each `next` printed is stored in tokens_out (capacity steps) when it is
 * not NULL. Returns how many were printed, or -1 when the prompt cannot be
 * encoded. *tok_per_s, when not NULL, gets the speed measured from the end
 * of the first step (run.c's convention), or 0 when fewer than 2 steps. */
int generate(ForwardFn forward, void *model, const Tokenizer *tok,
             Sampler *sampler, const char *prompt, int steps, FILE *out,
             int *tokens_out, double *tok_per_s);

/* The whole program on the forward pass of 38_forward: parse; a seed of 0
 * becomes time(NULL) (xorshift never leaves state 0); load the checkpoint
 * (35_checkpoint); clamp steps (0 or more than seq_len means seq_len);
 * refuse a run whose KV cache, 2 x n_layers x steps x kv_dim floats, is
 * larger than half of the machine's physical memory
 * (sysconf(_SC_PHYS_PAGES) x sysconf(_SC_PAGESIZE) / 2: the weights, the
 * rest of the state and everything else need the other half); load the
 * tokenizer (36_tokenizer); start the
 * transformer with the model's config but seq_len = steps (positions never
 * reach steps: a long context costs nothing unless it is used); generate
 * to out; print "achieved tok/s: %f\n" to err. Returns 0, or 1 after an
 * error message to err (and nothing on out) when anything fails. */
int engine_main(int argc, char **argv, FILE *out, FILE *err);

#endif

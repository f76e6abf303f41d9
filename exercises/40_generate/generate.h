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

typedef struct {
    const char *checkpoint_path; /* the one positional argument */
    const char *tokenizer_path;  /* -z, default "tokenizer.bin" */
    const char *prompt;          /* -i, default NULL (no prompt) */
    int steps;                   /* -n, default 256; < 0 becomes 0 */
    float temperature;           /* -t, default 1.0; < 0 becomes 0 */
    float topp;                  /* -p, default 0.9; outside [0,1]: 0.9 */
    unsigned long long seed;     /* -s, default 0: the current time */
    int threads;                 /* -j, default 1; < 1 becomes 1 */
    int quant;                   /* -q, 32 (default) or 8: weight format */
} GenOptions;

/* Parses argv as run.c does: argv[1] is the checkpoint, then pairs of a
 * two-character flag and its value, in any order. Out-of-range values are
 * corrected as noted above (run.c's rules). Returns 0, or -1 after printing
 * what was wrong and a usage text to err (no checkpoint, a flag that is not
 * "-x", an unknown flag, a flag without a value, -q other than 32 or 8). */
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

/* The whole program on the forward pass of 38_forward: parse, load the
 * checkpoint (24) and the tokenizer (25), clamp steps (0 or more than
 * seq_len means seq_len), generate to out, then print
 * "achieved tok/s: %f\n" to err. Returns 0, or 1 after an error message
 * to err. */
int engine_main(int argc, char **argv, FILE *out, FILE *err);

#endif

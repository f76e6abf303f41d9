/* 40_generate: the generate loop and the program around it.
 *
 * Lecture: lectures/05_engine.md#the-generate-loop
 */
#include "generate.h"

#include "checkpoint.h" /* your 35_checkpoint */
#include "forward.h"    /* your 38_forward */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int parse_args(int argc, char **argv, GenOptions *o, FILE *err)
{
    /* TODO: defaults first (see generate.h), then argv[1], then the flag
     * pairs; refuse a bad value (strtol / strtof / strtoull with an end
     * pointer, then the range) and print what was wrong and a usage text
     * to err on any mistake. */
    (void)argc;
    (void)argv;
    (void)err;
    memset(o, 0, sizeof *o);
    return 0;
}

void safe_print(FILE *out, const char *piece)
{
    /* TODO */
    (void)out;
    (void)piece;
}

int generate(ForwardFn forward_fn, void *model, const Tokenizer *tok,
             Sampler *sampler, const char *prompt, int steps, FILE *out,
             int *tokens_out, double *tok_per_s)
{
    /* TODO: encode (with BOS), then the loop of generate.h. Time it with
     * timespec_get(&ts, TIME_UTC). */
    (void)forward_fn;
    (void)model;
    (void)tok;
    (void)sampler;
    (void)prompt;
    (void)steps;
    (void)out;
    (void)tokens_out;
    if (tok_per_s)
        *tok_per_s = 0.0;
    return 0;
}

int engine_main(int argc, char **argv, FILE *out, FILE *err)
{
    /* TODO: parse_args; seed 0 -> time(NULL); checkpoint_open; clamp the
     * steps; refuse a KV cache larger than half of physical memory;
     * tokenizer_load;
     * transformer_init with a copy of the config whose seq_len is steps;
     * sampler_init; generate with a small function that calls forward();
     * print the speed; free everything. Any failure: a message, return 1. */
    (void)argc;
    (void)argv;
    (void)out;
    (void)err;
    return 0;
}

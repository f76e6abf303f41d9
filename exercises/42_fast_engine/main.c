/* main.c: the fast command-line engine (do not edit).
 *
 *   engine model.bin -z tokenizer.bin -i "Once upon a time" -j 2 -q 8
 *
 * Same options and output as 40_generate's engine, on fast_forward. Not
 * part of the graded build; see this exercise's README to build it. */
#include "checkpoint.h"
#include "fast.h"
#include "generate.h"

#include <time.h>

static float *step(void *engine, int token, int pos)
{
    return fast_forward(engine, token, pos);
}

static int run(const GenOptions *o, const Checkpoint *ck)
{
    Tokenizer tok;
    if (tokenizer_load(&tok, o->tokenizer_path, ck->config.vocab_size) != 0) {
        fprintf(stderr, "error: cannot load %s\n", o->tokenizer_path);
        return 1;
    }
    FastEngine *e = fast_new(&ck->config, &ck->weights, o->threads, o->quant);
    Sampler s;
    int status = 1;
    if (e && sampler_init(&s, ck->config.vocab_size, o->temperature, o->topp,
                          o->seed) == 0) {
        double tps = 0.0;
        if (generate(step, e, &tok, &s, o->prompt, o->steps, stdout, NULL,
                     &tps) >= 0) {
            fprintf(stderr, "achieved tok/s: %f\n", tps);
            status = 0;
        }
        sampler_free(&s);
    } else {
        fprintf(stderr, "error: cannot start the engine\n");
    }
    fast_free(e);
    tokenizer_free(&tok);
    return status;
}

int main(int argc, char **argv)
{
    GenOptions o;
    if (parse_args(argc, argv, &o, stderr) != 0)
        return 1;
    if (o.seed == 0)
        o.seed = (unsigned long long)time(NULL);
    Checkpoint ck = {0};
    const int rc = checkpoint_open(&ck, o.checkpoint_path);
    if (rc != CK_OK) {
        fprintf(stderr, "error: cannot load %s (error %d)\n", o.checkpoint_path,
                rc);
        return 1;
    }
    if (o.steps == 0 || o.steps > ck.config.seq_len)
        o.steps = ck.config.seq_len;
    const int status = run(&o, &ck);
    checkpoint_close(&ck);
    return status;
}

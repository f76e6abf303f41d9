/* 40_generate: reference solution (run.c's generate and main). */
#include "generate.h"

#include "checkpoint.h"
#include "forward.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *err)
{
    fprintf(err,
            "usage: engine <checkpoint> [options]\n"
            "example: engine stories15M.bin -z tokenizer.bin -i \"Once upon "
            "a time\"\n"
            "  -t <float>  temperature in [0, inf), default 1.0 (0: greedy)\n"
            "  -p <float>  top-p in [0, 1], default 0.9\n"
            "  -s <int>    random seed, default: the current time\n"
            "  -n <int>    steps to run, default 256, 0 = max_seq_len\n"
            "  -i <string> prompt\n"
            "  -z <string> tokenizer, default tokenizer.bin\n"
            "  -j <int>    threads (the fast engine), default 1\n"
            "  -q <int>    weights: 32 (float) or 8 (int8, the fast engine)\n");
}

static int apply_flag(GenOptions *o, char flag, char *value, FILE *err)
{
    switch (flag) {
    case 't': o->temperature = (float)atof(value); break;
    case 'p': o->topp = (float)atof(value); break;
    case 's': o->seed = strtoull(value, NULL, 10); break;
    case 'n': o->steps = atoi(value); break;
    case 'i': o->prompt = value; break;
    case 'z': o->tokenizer_path = value; break;
    case 'j': o->threads = atoi(value); break;
    case 'q':
        o->quant = atoi(value);
        if (o->quant != 32 && o->quant != 8) {
            fprintf(err, "error: -q takes 32 or 8, not %s\n", value);
            return -1;
        }
        break;
    default: fprintf(err, "error: unknown flag -%c\n", flag); return -1;
    }
    return 0;
}

int parse_args(int argc, char **argv, GenOptions *o, FILE *err)
{
    *o = (GenOptions){NULL, "tokenizer.bin", NULL, 256, 1.0f, 0.9f, 0, 1, 32};
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(err, "error: no checkpoint given\n");
        usage(err);
        return -1;
    }
    o->checkpoint_path = argv[1];
    for (int i = 2; i < argc; i += 2) {
        const char *flag = argv[i];
        if (flag[0] != '-' || strlen(flag) != 2) {
            fprintf(err, "error: expected a flag like -n, got '%s'\n", flag);
            usage(err);
            return -1;
        }
        if (i + 1 >= argc) {
            fprintf(err, "error: flag %s needs a value\n", flag);
            usage(err);
            return -1;
        }
        if (apply_flag(o, flag[1], argv[i + 1], err) != 0) {
            usage(err);
            return -1;
        }
    }
    if (o->temperature < 0.0f)
        o->temperature = 0.0f;
    if (o->topp < 0.0f || o->topp > 1.0f)
        o->topp = 0.9f;
    if (o->steps < 0)
        o->steps = 0;
    if (o->threads < 1)
        o->threads = 1;
    return 0;
}

void safe_print(FILE *out, const char *piece)
{
    if (piece == NULL || piece[0] == '\0')
        return;
    if (piece[1] == '\0') {
        const unsigned char c = (unsigned char)piece[0];
        if (!(isprint(c) || isspace(c)))
            return;
    }
    fputs(piece, out);
}

static double now_s(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int generate(ForwardFn forward_fn, void *model, const Tokenizer *tok,
             Sampler *sampler, const char *prompt, int steps, FILE *out,
             int *tokens_out, double *tok_per_s)
{
    if (prompt == NULL)
        prompt = "";
    int *prompt_tokens = malloc((strlen(prompt) + 3) * sizeof(int));
    int n_prompt = 0;
    if (!prompt_tokens ||
        encode(tok, prompt, 1, 0, prompt_tokens, &n_prompt) != 0 ||
        n_prompt < 1) {
        free(prompt_tokens);
        return -1;
    }
    double start = 0.0;
    int token = prompt_tokens[0], pos = 0, printed = 0;
    while (pos < steps) {
        float *logits = forward_fn(model, token, pos);
        const int next = pos < n_prompt - 1 ? prompt_tokens[pos + 1]
                                            : sample(sampler, logits);
        pos++;
        if (next == 1) /* BOS delimits sequences */
            break;
        safe_print(out, decode(tok, token, next));
        fflush(out);
        if (tokens_out)
            tokens_out[printed] = next;
        printed++;
        token = next;
        if (start == 0.0)
            start = now_s(); /* the first step includes warm-up: skip it */
    }
    fputc('\n', out);
    fflush(out);
    if (tok_per_s)
        *tok_per_s = pos > 1 ? (pos - 1) / (now_s() - start) : 0.0;
    free(prompt_tokens);
    return printed;
}

static float *forward_27(void *model, int token, int pos)
{
    return forward(model, token, pos);
}

int engine_main(int argc, char **argv, FILE *out, FILE *err)
{
    GenOptions o;
    if (parse_args(argc, argv, &o, err) != 0)
        return 1;
    if (o.seed == 0)
        o.seed = (unsigned long long)time(NULL);
    Checkpoint ck = {0};
    const int rc = checkpoint_open(&ck, o.checkpoint_path);
    if (rc != CK_OK) {
        fprintf(err, "error: cannot load %s (error %d)\n", o.checkpoint_path,
                rc);
        return 1;
    }
    const Config *c = &ck.config;
    if (o.steps == 0 || o.steps > c->seq_len)
        o.steps = c->seq_len;
    Tokenizer tok;
    Transformer t;
    Sampler s;
    int status = 1;
    if (tokenizer_load(&tok, o.tokenizer_path, c->vocab_size) != 0) {
        fprintf(err, "error: cannot load %s\n", o.tokenizer_path);
    } else {
        if (transformer_init(&t, c, &ck.weights) == 0) {
            if (sampler_init(&s, c->vocab_size, o.temperature, o.topp,
                             o.seed) == 0) {
                double tps = 0.0;
                if (generate(forward_27, &t, &tok, &s, o.prompt, o.steps, out,
                             NULL, &tps) >= 0) {
                    fprintf(err, "achieved tok/s: %f\n", tps);
                    status = 0;
                } else {
                    fprintf(err, "error: cannot encode the prompt\n");
                }
                sampler_free(&s);
            }
            transformer_free(&t);
        }
        tokenizer_free(&tok);
    }
    checkpoint_close(&ck);
    return status;
}

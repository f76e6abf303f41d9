/* 40_generate: reference solution (run.c's generate and main). */
#define _POSIX_C_SOURCE 200809L /* sysconf */
#include "generate.h"

#include "checkpoint.h"
#include "forward.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *err)
{
    fprintf(err,
            "usage: engine <checkpoint> [options]\n"
            "example: engine stories15M.bin -z tokenizer.bin -i \"Once upon "
            "a time\"\n"
            "  -t <float>  temperature, finite and >= 0, default 1.0 (0: "
            "greedy)\n"
            "  -p <float>  top-p in [0, 1], default 0.9\n"
            "  -s <int>    random seed, default 0: the current time\n"
            "  -n <int>    steps to run, >= 0, default 256, 0 = max_seq_len\n"
            "  -i <string> prompt\n"
            "  -z <string> tokenizer, default tokenizer.bin\n"
            "  -j <int>    threads (the fast engine), 1 to %d, default 1\n"
            "  -q <int>    weights: 32 (float) or 8 (int8, the fast engine)\n",
            GEN_MAX_THREADS);
}

/* The whole of `s` as a long in [lo, hi]: 0, or -1 (not a number, trailing
 * characters, out of range). */
static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* The whole of `s` as a finite float in [lo, hi]: 0, or -1. */
static int parse_float(const char *s, float lo, float hi, float *out)
{
    char *end = NULL;
    const float v = strtof(s, &end);
    if (end == s || *end != '\0' || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Decimal digits only (strtoull would take "-1" as 2^64 - 1), 64 bits. */
static int parse_seed(const char *s, unsigned long long *out)
{
    if (*s == '\0')
        return -1;
    for (const char *digit = s; *digit != '\0'; digit++)
        if (!isdigit((unsigned char)*digit))
            return -1;
    errno = 0;
    const unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

/* Applies one flag; prints what is wrong and returns -1 on a bad value. */
static int apply_flag(GenOptions *o, char flag, char *value, FILE *err)
{
    long v = 0;
    int rc = 0;
    const char *want = "";
    switch (flag) {
    case 't':
        rc = parse_float(value, 0.0f, HUGE_VALF, &o->temperature);
        want = "a finite number >= 0";
        break;
    case 'p':
        rc = parse_float(value, 0.0f, 1.0f, &o->topp);
        want = "a number from 0 to 1";
        break;
    case 's':
        rc = parse_seed(value, &o->seed);
        want = "a decimal integer from 0 to 2^64 - 1";
        break;
    case 'n':
        rc = parse_long(value, 0, INT_MAX, &v);
        o->steps = (int)v;
        want = "an integer >= 0";
        break;
    case 'i': o->prompt = value; break;
    case 'z': o->tokenizer_path = value; break;
    case 'j':
        rc = parse_long(value, 1, GEN_MAX_THREADS, &v);
        o->threads = (int)v;
        want = "an integer from 1 to GEN_MAX_THREADS (256)";
        break;
    case 'q':
        rc = parse_long(value, 8, 32, &v);
        rc = rc == 0 && (v == 8 || v == 32) ? 0 : -1;
        o->quant = (int)v;
        want = "32 or 8";
        break;
    default: fprintf(err, "error: unknown flag -%c\n", flag); return -1;
    }
    if (rc != 0)
        fprintf(err, "error: -%c takes %s, not '%s'\n", flag, want, value);
    return rc;
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

static float *forward_38(void *model, int token, int pos)
{
    return forward(model, token, pos);
}

/* The machine's physical memory in bytes (SIZE_MAX when unknown). */
static size_t physical_memory(void)
{
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0 || (size_t)pages > SIZE_MAX / (size_t)page)
        return SIZE_MAX;
    return (size_t)pages * (size_t)page;
}

/* The KV cache of a run of `steps` positions: 2 x n_layers x steps x kv_dim
 * floats, in bytes; SIZE_MAX when that overflows. */
static size_t kv_cache_bytes(const Config *c, int steps)
{
    const size_t kv_dim = (size_t)c->dim / (size_t)c->n_heads * c->n_kv_heads;
    size_t n = 2 * sizeof(float);
    const size_t factors[3] = {(size_t)c->n_layers, (size_t)steps, kv_dim};
    for (int i = 0; i < 3; i++)
        if (__builtin_mul_overflow(n, factors[i], &n))
            return SIZE_MAX;
    return n;
}

/* Loads the tokenizer, the transformer and the sampler for config c (the
 * model's, sized for o->steps positions) and generates. */
static int run(const GenOptions *o, const Checkpoint *ck, const Config *c,
               FILE *out, FILE *err)
{
    Tokenizer tok;
    if (tokenizer_load(&tok, o->tokenizer_path, c->vocab_size) != 0) {
        fprintf(err, "error: cannot load the tokenizer %s\n",
                o->tokenizer_path);
        return 1;
    }
    Transformer t;
    Sampler s;
    int status = 1;
    if (transformer_init(&t, c, &ck->weights) != 0) {
        fprintf(err, "error: out of memory for the run state\n");
    } else {
        if (sampler_init(&s, c->vocab_size, o->temperature, o->topp, o->seed) !=
            0) {
            fprintf(err, "error: out of memory for the sampler\n");
        } else {
            double tps = 0.0;
            if (generate(forward_38, &t, &tok, &s, o->prompt, o->steps, out,
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
    return status;
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
    if (o.steps == 0 || o.steps > ck.config.seq_len)
        o.steps = ck.config.seq_len;
    /* positions never reach o.steps: the cache needs that many rows only */
    Config c = ck.config;
    c.seq_len = o.steps;
    int status = 1;
    const size_t need = kv_cache_bytes(&c, o.steps);
    /* the other half: the weights, the rest of the state, everything else
     * the machine runs; a cache that fills it would swap or be killed */
    if (need == SIZE_MAX || need > physical_memory() / 2)
        fprintf(err,
                "error: %d steps of this model need %zu MiB of KV cache, more "
                "than half of this machine's memory (try a smaller -n)\n",
                o.steps, need == SIZE_MAX ? SIZE_MAX >> 20 : need >> 20);
    else
        status = run(&o, &ck, &c, out, err);
    checkpoint_close(&ck);
    return status;
}

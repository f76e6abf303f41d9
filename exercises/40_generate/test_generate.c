/* Tests for 40_generate. Students: read them, do not edit them.
 *
 * Expected tokens and text come from the NumPy oracle
 * (golden/llama_golden.h), which runs run.c's generate loop in Python on
 * the same tinymodel.h files. */
#define _POSIX_C_SOURCE 200809L
#include "forward.h"
#include "generate.h"
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"

#include <stdio.h>
#include <string.h>

/* An in-memory FILE and what was written to it. */
typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} Capture;

static void capture_open(Capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    LL_CHECK_NOT_NULL(c->f, "open_memstream (test setup)");
}

static const char *capture_text(Capture *c)
{
    fflush(c->f);
    return c->buf;
}

static void capture_close(Capture *c)
{
    fclose(c->f);
    free(c->buf);
}

LL_TEST(generate, parse_args_defaults)
{
    char *argv[] = {"engine", "model.bin", NULL};
    GenOptions o;
    LL_CHECK_INT_EQ(parse_args(2, argv, &o, stderr), 0,
                    "parse_args(engine model.bin)");
    LL_CHECK_STR_EQ(o.checkpoint_path, "model.bin", "checkpoint_path");
    LL_CHECK_STR_EQ(o.tokenizer_path, "tokenizer.bin", "default -z");
    LL_CHECK_NULL(o.prompt, "default -i");
    LL_CHECK_INT_EQ(o.steps, 256, "default -n");
    LL_CHECK_FLOAT_NEAR(o.temperature, 1.0, 0, "default -t");
    LL_CHECK_FLOAT_NEAR(o.topp, 0.9f, 0, "default -p");
    LL_CHECK_UINT_EQ(o.seed, 0, "default -s");
    LL_CHECK_INT_EQ(o.threads, 1, "default -j");
    LL_CHECK_INT_EQ(o.quant, 32, "default -q");
}

LL_TEST(generate, parse_args_every_flag)
{
    char *argv[] = {"engine", "m.bin",
                    "-z",     "t.bin",
                    "-i",     "Once upon",
                    "-n",     "12",
                    "-t",     "0.5",
                    "-p",     "0.75",
                    "-s",     "18446744073709551615",
                    "-j",     "2",
                    "-q",     "8",
                    NULL};
    GenOptions o;
    LL_CHECK_INT_EQ(parse_args(18, argv, &o, stderr), 0,
                    "parse_args(every flag)");
    LL_CHECK_STR_EQ(o.checkpoint_path, "m.bin", "checkpoint_path");
    LL_CHECK_STR_EQ(o.tokenizer_path, "t.bin", "-z t.bin");
    LL_CHECK_STR_EQ(o.prompt, "Once upon", "-i \"Once upon\"");
    LL_CHECK_INT_EQ(o.steps, 12, "-n 12");
    LL_CHECK_FLOAT_NEAR(o.temperature, 0.5, 0, "-t 0.5");
    LL_CHECK_FLOAT_NEAR(o.topp, 0.75, 0, "-p 0.75");
    LL_CHECK_UINT_EQ(o.seed, 18446744073709551615ull,
                     "-s 18446744073709551615 (the full 64-bit range)");
    LL_CHECK_INT_EQ(o.threads, 2, "-j 2");
    LL_CHECK_INT_EQ(o.quant, 8, "-q 8");
    /* run.c's corrections of out-of-range values */
    char *bad[] = {"engine", "m.bin", "-t", "-1", "-p",
                   "1.5",    "-n",    "-4", NULL};
    LL_CHECK_INT_EQ(parse_args(8, bad, &o, stderr), 0,
                    "parse_args(-t -1 -p 1.5 -n -4)");
    LL_CHECK_FLOAT_NEAR(o.temperature, 0, 0, "-t -1 becomes");
    LL_CHECK_FLOAT_NEAR(o.topp, 0.9f, 0, "-p 1.5 becomes");
    LL_CHECK_INT_EQ(o.steps, 0, "-n -4 becomes");
}

static int parse_quietly(int argc, char **argv)
{
    Capture err;
    capture_open(&err);
    GenOptions o;
    const int rc = parse_args(argc, argv, &o, err.f);
    const size_t said = strlen(capture_text(&err) ? err.buf : "");
    capture_close(&err);
    LL_CHECK(rc != -1 || said > 0,
             "parse_args returned -1 without a word on err");
    return rc;
}

LL_TEST(generate, parse_args_rejects_mistakes)
{
    char *none[] = {"engine", NULL};
    LL_CHECK_INT_EQ(parse_quietly(1, none), -1, "parse_args(no checkpoint)");
    char *flag_first[] = {"engine", "-n", "5", NULL};
    LL_CHECK_INT_EQ(parse_quietly(3, flag_first), -1,
                    "parse_args(engine -n 5): no checkpoint");
    char *unknown[] = {"engine", "m.bin", "-x", "1", NULL};
    LL_CHECK_INT_EQ(parse_quietly(4, unknown), -1, "parse_args(-x 1)");
    char *missing[] = {"engine", "m.bin", "-n", NULL};
    LL_CHECK_INT_EQ(parse_quietly(3, missing), -1,
                    "parse_args(-n without a value)");
    char *longflag[] = {"engine", "m.bin", "-nn", "5", NULL};
    LL_CHECK_INT_EQ(parse_quietly(4, longflag), -1, "parse_args(-nn 5)");
    char *quant[] = {"engine", "m.bin", "-q", "4", NULL};
    LL_CHECK_INT_EQ(parse_quietly(4, quant), -1, "parse_args(-q 4)");
}

LL_TEST(generate, safe_print_drops_lone_control_bytes)
{
    Capture c;
    capture_open(&c);
    const char *pieces[] = {"A",  "\x01", " b", "\n",    "\xe6", "",
                            "\t", NULL,   "é",  "c\x01", "\x7f", "!"};
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        safe_print(c.f, pieces[i]);
    LL_CHECK_STR_EQ(capture_text(&c),
                    "A b\n\t\xc3\xa9"
                    "c\x01!",
                    "safe_print of A, \\x01, \" b\", \\n, \\xe6, \"\", \\t, "
                    "NULL, é, c\\x01, \\x7f, !");
    capture_close(&c);
}

typedef struct {
    unsigned char *bytes;
    Checkpoint ck;
    Transformer t;
    Tokenizer tok;
} Model;

static float *step(void *model, int token, int pos)
{
    return forward(&((Model *)model)->t, token, pos);
}

static void model_open(Model *m, int shape)
{
    memset(m, 0, sizeof *m);
    size_t size = 0;
    m->bytes = tm_checkpoint_build(&TM_SHAPES[shape], &size);
    LL_CHECK_INT_EQ(checkpoint_from_memory(&m->ck, m->bytes, size), CK_OK,
                    "checkpoint_from_memory (24)");
    LL_CHECK_INT_EQ(m->ck.config.dim, TM_SHAPES[shape].dim,
                    "config.dim loaded by your 35_checkpoint");
    LL_CHECK_INT_EQ(transformer_init(&m->t, &m->ck.config, &m->ck.weights), 0,
                    "transformer_init (27)");
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, &TM_SHAPES[shape]), 0,
                    "writing the test files (test setup)");
    const int rc = tokenizer_load(&m->tok, files.tokenizer, TM_TINY_VOCAB);
    tm_files_remove(&files);
    LL_CHECK_INT_EQ(rc, 0, "tokenizer_load (25)");
}

static void model_close(Model *m)
{
    tokenizer_free(&m->tok);
    transformer_free(&m->t);
    free(m->bytes);
}

static void check_generation(int shape, int sampled)
{
    const llg_shape *g = &LLG_SHAPES[shape];
    Model m;
    model_open(&m, shape);
    Sampler s;
    LL_CHECK_INT_EQ(sampler_init(&s, TM_TINY_VOCAB,
                                 sampled ? LLG_SAMPLED_TEMPERATURE : 0.0f,
                                 sampled ? LLG_SAMPLED_TOPP : 0.9f,
                                 sampled ? g->sampled_seed : 1),
                    0, "sampler_init (28)");
    Capture out;
    capture_open(&out);
    int tokens[64];
    const int steps = m.ck.config.seq_len;
    const int n =
        generate(step, &m, &m.tok, &s, LLG_PROMPT, steps, out.f, tokens, NULL);
    char what[128];
    snprintf(what, sizeof what, "shape %s, %s: tokens generated", g->name,
             sampled ? "sampled" : "greedy");
    const int want_n = sampled ? g->n_sampled : g->n_greedy;
    const int *want = sampled ? g->sampled : g->greedy;
    LL_CHECK_INT_EQ(n, want_n, what);
    for (int i = 0; i < n; i++) {
        snprintf(what, sizeof what, "shape %s, %s: token %d", g->name,
                 sampled ? "sampled" : "greedy", i);
        LL_CHECK_INT_EQ(tokens[i], want[i], what);
    }
    snprintf(what, sizeof what, "shape %s, %s: printed text", g->name,
             sampled ? "sampled" : "greedy");
    LL_CHECK_STR_EQ(capture_text(&out),
                    sampled ? g->sampled_text : g->greedy_text, what);
    capture_close(&out);
    sampler_free(&s);
    model_close(&m);
}

LL_TEST(generate, greedy_matches_the_oracle)
{
    for (int s = 0; s < TM_N_SHAPES; s++)
        check_generation(s, 0);
}

LL_TEST(generate, sampled_matches_the_oracle)
{
    for (int s = 0; s < TM_N_SHAPES; s++)
        check_generation(s, 1);
}

/* A scripted engine: records the calls, predicts token 262 (" a") twice,
 * then BOS. */
typedef struct {
    float logits[TM_TINY_VOCAB];
    int calls, tokens[16], positions[16];
} Script;

static float *scripted(void *model, int token, int pos)
{
    Script *s = model;
    if (s->calls < 16) {
        s->tokens[s->calls] = token;
        s->positions[s->calls] = pos;
    }
    memset(s->logits, 0, sizeof s->logits);
    s->logits[s->calls < 5 ? 262 : 1] = 5.0f;
    s->calls++;
    return s->logits;
}

LL_TEST(generate, prompt_is_forced_and_bos_stops)
{
    Model m;
    model_open(&m, 0);
    Script script;
    memset(&script, 0, sizeof script);
    Sampler s;
    LL_CHECK_INT_EQ(sampler_init(&s, TM_TINY_VOCAB, 0.0f, 0.9f, 1), 0,
                    "sampler_init (28)");
    Capture out;
    capture_open(&out);
    int tokens[32];
    /* "Lily" encodes to BOS, " ", "Lily": 2 forced steps, then 262 twice
     * (calls 2..4 predict 262; the prompt hides call 0 and 1), then BOS */
    const int n = generate(scripted, &script, &m.tok, &s, "Lily", 30, out.f,
                           tokens, NULL);
    LL_CHECK_INT_EQ(n, 5, "tokens printed before the BOS stop");
    const int want_calls = 6;
    LL_CHECK_INT_EQ(script.calls, want_calls, "forward calls");
    const int want_tok[] = {1, 324, 304, 262, 262, 262};
    for (int i = 0; i < want_calls; i++) {
        char what[64];
        snprintf(what, sizeof what, "token fed at call %d", i);
        LL_CHECK_INT_EQ(script.tokens[i], want_tok[i], what);
        snprintf(what, sizeof what, "position fed at call %d", i);
        LL_CHECK_INT_EQ(script.positions[i], i, what);
    }
    LL_CHECK_STR_EQ(capture_text(&out), "Lily a a a\n",
                    "printed text (no space after BOS)");
    capture_close(&out);
    sampler_free(&s);
    model_close(&m);
}

LL_TEST(generate, engine_main_runs_the_whole_program)
{
    const llg_shape *g = &LLG_SHAPES[2]; /* seq_len 16: -n 0 means 16 */
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, &TM_SHAPES[2]), 0,
                    "writing the test files (test setup)");
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", g->sampled_seed);
    char *greedy[] = {"engine", files.checkpoint,
                      "-z",     files.tokenizer,
                      "-i",     LLG_PROMPT,
                      "-t",     "0",
                      "-n",     "0",
                      NULL};
    char *sampled[] = {"engine", files.checkpoint,
                       "-z",     files.tokenizer,
                       "-i",     LLG_PROMPT,
                       "-t",     "0.8",
                       "-p",     "0.9",
                       "-s",     seed,
                       "-n",     "1000",
                       NULL};
    char *broken[] = {"engine", files.tokenizer, "-z", files.tokenizer, NULL};
    Capture out[3], err[3];
    int rc[3];
    char **argvs[3] = {greedy, sampled, broken};
    const int argcs[3] = {10, 14, 4};
    for (int i = 0; i < 3; i++) {
        capture_open(&out[i]);
        capture_open(&err[i]);
        rc[i] = engine_main(argcs[i], argvs[i], out[i].f, err[i].f);
    }
    tm_files_remove(&files);
    LL_CHECK_INT_EQ(rc[0], 0, "engine_main(-t 0) exit status");
    LL_CHECK_STR_EQ(capture_text(&out[0]), g->greedy_text,
                    "engine_main(-t 0 -n 0) output");
    LL_CHECK(strstr(capture_text(&err[0]) ? err[0].buf : "", "tok/s") != NULL,
             "engine_main: expected \"achieved tok/s: ...\" on err, got "
             "\"%s\"",
             err[0].buf ? err[0].buf : "");
    LL_CHECK_INT_EQ(rc[1], 0, "engine_main(-t 0.8 -p 0.9) exit status");
    LL_CHECK_STR_EQ(capture_text(&out[1]), g->sampled_text,
                    "engine_main(-t 0.8 -p 0.9 -s seed -n 1000) output");
    LL_CHECK_INT_EQ(rc[2], 1,
                    "engine_main(a tokenizer given as the checkpoint) exit "
                    "status");
    LL_CHECK(capture_text(&err[2]) && strlen(err[2].buf) > 0,
             "engine_main with a bad checkpoint: expected a message on err");
    for (int i = 0; i < 3; i++) {
        capture_close(&out[i]);
        capture_close(&err[i]);
    }
}

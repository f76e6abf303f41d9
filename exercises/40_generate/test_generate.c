/* Tests for 40_generate. Students: read them, do not edit them.
 *
 * Expected tokens and text come from two oracles. The NumPy oracle
 * (golden/llama_golden.h) runs run.c's generate loop in Python on
 * tinymodel.h's models. And "chain models", built below from values drawn
 * from the grader's seeded generator (ll_rand_*: when it grades, the
 * grader may draw other ones than the ones you see), make every step of
 * the engine predictable, so that chain_oracle() can say exactly what the
 * program must print:
 *
 *   - every weight matrix of every layer is zero, so the residual stream
 *     stays the token's embedding, which is one-hot: token t has a 1 in
 *     column t % dim (its "column");
 *   - the final RMSNorm keeps that one non-zero value (about sqrt(dim)),
 *     so the logits are the classifier's column of the last token: a
 *     column holds 40 for one or two candidate tokens and 0 elsewhere;
 *   - one candidate wins at any temperature; two candidates have equal
 *     logits and, since exp(-226) is 0 in float, probabilities of exactly
 *     1/2 each: a sampled step takes the lower id when the coin is below
 *     1/2 (plain sampling, and top-p >= 1/2 with ties in index order) and
 *     the higher one otherwise; at temperature 0, the lower one (the first
 *     maximum); top-p below 1/2 keeps only the lower one;
 *   - the last column of a chain holds BOS (1) alone: the program stops.
 */
#define _POSIX_C_SOURCE 200809L
#include "forward.h"
#include "generate.h"
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- captured output ------------------------------------------------------
 */

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
    return c->buf ? c->buf : "";
}

static void capture_close(Capture *c)
{
    fclose(c->f);
    free(c->buf);
}

/* ---- parse_args
 * --------------------------------------------------------------- */

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
    /* a seeded checkpoint name and one seeded flag: the others keep their
     * defaults */
    char path[32], steps[16];
    snprintf(path, sizeof path, "m%d.bin", (int)ll_rand_int(0, 99999));
    const int n = (int)ll_rand_int(0, 100000);
    snprintf(steps, sizeof steps, "%d", n);
    char *one[] = {"engine", path, "-n", steps, NULL};
    LL_CHECK_INT_EQ(parse_args(4, one, &o, stderr), 0, "parse_args(-n N)");
    LL_CHECK_STR_EQ(o.checkpoint_path, path, "checkpoint_path");
    char what[64];
    snprintf(what, sizeof what, "-n %s", steps);
    LL_CHECK_INT_EQ(o.steps, n, what);
    LL_CHECK_FLOAT_NEAR(o.temperature, 1.0, 0, "-t (default) next to -n");
    LL_CHECK_STR_EQ(o.tokenizer_path, "tokenizer.bin",
                    "-z (default) next to -n");
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
    /* the ends of each range, and a repeated flag (the last one wins) */
    char *ends[] = {"engine", "m.bin", "-n", "0",   "-p", "0", "-p", "1",
                    "-t",     "0",     "-j", "256", "-s", "0", NULL};
    LL_CHECK_INT_EQ(parse_args(14, ends, &o, stderr), 0,
                    "parse_args(-n 0 -p 0 -p 1 -t 0 -j 256 -s 0)");
    LL_CHECK_INT_EQ(o.steps, 0, "-n 0 (the model's seq_len)");
    LL_CHECK_FLOAT_NEAR(o.topp, 1.0, 0, "-p 0 then -p 1: the last wins");
    LL_CHECK_FLOAT_NEAR(o.temperature, 0.0, 0, "-t 0");
    LL_CHECK_INT_EQ(o.threads, GEN_MAX_THREADS, "-j 256 (GEN_MAX_THREADS)");
    /* seeded values of every flag, in a seeded order */
    char v[7][32];
    const int n = (int)ll_rand_int(0, 1 << 20), j = (int)ll_rand_int(1, 256);
    const int t = (int)ll_rand_int(0, 400), p = (int)ll_rand_int(0, 100);
    const unsigned long long s = ll_rand_u64();
    const int q = ll_rand_int(0, 1) ? 8 : 32, zi = (int)ll_rand_int(0, 999);
    snprintf(v[0], 32, "%d", n);
    snprintf(v[1], 32, "%.2f", t / 100.0);
    snprintf(v[2], 32, "%.2f", p / 100.0);
    snprintf(v[3], 32, "%llu", s);
    snprintf(v[4], 32, "%d", j);
    snprintf(v[5], 32, "%d", q);
    snprintf(v[6], 32, "tok%d.bin", zi);
    char flags[7][3] = {"-n", "-t", "-p", "-s", "-j", "-q", "-z"};
    size_t order[7];
    ll_rand_permutation(order, 7);
    char *args[17] = {"engine", "seeded.bin"};
    for (int i = 0; i < 7; i++) {
        args[2 + 2 * i] = flags[order[i]];
        args[3 + 2 * i] = v[order[i]];
    }
    args[16] = NULL;
    LL_CHECK_INT_EQ(parse_args(16, args, &o, stderr), 0,
                    "parse_args(seeded values of every flag)");
    LL_CHECK_INT_EQ(o.steps, n, "-n (seeded)");
    LL_CHECK_FLOAT_NEAR(o.temperature, strtof(v[1], NULL), 0, "-t (seeded)");
    LL_CHECK_FLOAT_NEAR(o.topp, strtof(v[2], NULL), 0, "-p (seeded)");
    LL_CHECK_UINT_EQ(o.seed, s, "-s (seeded)");
    LL_CHECK_INT_EQ(o.threads, j, "-j (seeded)");
    LL_CHECK_INT_EQ(o.quant, q, "-q (seeded)");
    LL_CHECK_STR_EQ(o.tokenizer_path, v[6], "-z (seeded)");
}

/* parse_args with its messages captured: returns its result, and checks
 * that -1 came with words on err. */
static int parse_quietly(int argc, char **argv)
{
    Capture err;
    capture_open(&err);
    GenOptions o;
    const int rc = parse_args(argc, argv, &o, err.f);
    const size_t said = strlen(capture_text(&err));
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
    char *noflag[] = {"engine", "m.bin", "n", "5", NULL};
    LL_CHECK_INT_EQ(parse_quietly(4, noflag), -1, "parse_args(n 5)");
    /* seeded: a correct command line with one pair broken, or not */
    for (int i = 0; i < 8; i++) {
        char *args[] = {"engine", "m.bin", "-n", "5", "-t", "0.5", NULL};
        const int broken = (int)ll_rand_int(0, 4);
        int argc = 6;
        if (broken == 1)
            args[2] = "-y"; /* unknown */
        if (broken == 2)
            argc = 5; /* -t without a value */
        if (broken == 3)
            args[4] = "--t"; /* not -x */
        char what[80];
        snprintf(what, sizeof what, "parse_args(%s %s %s %s%s%s)", args[1],
                 args[2], args[3], args[4], argc > 5 ? " " : "",
                 argc > 5 ? args[5] : "");
        LL_CHECK_INT_EQ(parse_quietly(argc, args),
                        broken == 0 || broken == 4 ? 0 : -1, what);
    }
}

/* Whether `value` is valid for `flag` (generate.h's ranges). */
static int oracle_valid(char flag, const char *value)
{
    char *end = NULL;
    errno = 0;
    if (flag == 'n' || flag == 'j' || flag == 'q') {
        const long v = strtol(value, &end, 10);
        if (end == value || *end || errno == ERANGE)
            return 0;
        return flag == 'n'   ? v >= 0 && v <= INT32_MAX
               : flag == 'j' ? v >= 1 && v <= GEN_MAX_THREADS
                             : v == 8 || v == 32;
    }
    if (flag == 's') {
        if (!*value)
            return 0;
        for (const char *c = value; *c; c++)
            if (!isdigit((unsigned char)*c))
                return 0;
        strtoull(value, NULL, 10);
        return errno != ERANGE;
    }
    const float v = strtof(value, &end);
    if (end == value || *end || !isfinite(v))
        return 0;
    return flag == 't' ? v >= 0 : v >= 0 && v <= 1;
}

LL_TEST(generate, parse_args_refuses_bad_values)
{
    static const char *const bad[][2] = {
        {"-n", "abc"},         {"-n", "-4"},
        {"-n", "12x"},         {"-n", ""},
        {"-n", "99999999999"}, {"-t", "-1"},
        {"-t", "nan"},         {"-t", "inf"},
        {"-t", "0.5.1"},       {"-p", "2"},
        {"-p", "-0.5"},        {"-p", "nan"},
        {"-p", "1.01"},        {"-j", "5000"},
        {"-j", "0"},           {"-j", "-2"},
        {"-j", "257"},         {"-s", "-1"},
        {"-s", "12a"},         {"-s", "18446744073709551616"},
        {"-q", "4"},           {"-q", "32bit"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *args[] = {"engine", "m.bin", (char *)bad[i][0], (char *)bad[i][1],
                        NULL};
        char what[80];
        snprintf(what, sizeof what, "parse_args(m.bin %s \"%s\")", bad[i][0],
                 bad[i][1]);
        LL_CHECK_INT_EQ(parse_quietly(4, args), -1, what);
    }
    /* seeded values around each range's ends */
    static const char flags[] = "ntpsjq";
    for (int i = 0; i < 24; i++) {
        const char flag = flags[ll_rand_int(0, 5)];
        char value[40];
        switch (flag) {
        case 'n':
        case 'j':
            snprintf(value, sizeof value, "%lld", ll_rand_int(-3, 300));
            break;
        case 'q':
            snprintf(value, sizeof value, "%d", (int)ll_rand_int(6, 34));
            break;
        case 's':
            snprintf(value, sizeof value, "%s%llu",
                     ll_rand_int(0, 3) ? "" : "-",
                     (unsigned long long)(ll_rand_u64() >> 8));
            break;
        default:
            snprintf(value, sizeof value, "%.3f", ll_rand_float(-0.5f, 1.5f));
        }
        char flag_s[3] = {'-', flag, '\0'};
        char *args[] = {"engine", "m.bin", flag_s, value, NULL};
        char what[80];
        snprintf(what, sizeof what, "parse_args(m.bin %s %s)", flag_s, value);
        LL_CHECK_INT_EQ(parse_quietly(4, args), oracle_valid(flag, value) - 1,
                        what);
    }
}

/* ---- safe_print
 * --------------------------------------------------------------- */

static void oracle_safe_print(char *out, const char *piece)
{
    if (piece == NULL || piece[0] == '\0')
        return;
    const unsigned char c = (unsigned char)piece[0];
    if (piece[1] == '\0' && !(isprint(c) || isspace(c)))
        return;
    strcat(out, piece);
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
    /* seeded: 200 pieces of 1 to 3 bytes, lone bytes of every kind */
    capture_open(&c);
    char *want = ll_alloc(1024);
    want[0] = '\0';
    for (int i = 0; i < 200; i++) {
        char piece[4] = {0};
        const int len = ll_rand_int(0, 2) ? 1 : (int)ll_rand_int(2, 3);
        for (int k = 0; k < len; k++)
            piece[k] = (char)ll_rand_int(1, 255);
        safe_print(c.f, piece);
        LL_ORACLE
        {
            oracle_safe_print(want, piece);
        }
    }
    LL_CHECK_STR_EQ(capture_text(&c), want, "safe_print of 200 seeded pieces");
    free(want);
    capture_close(&c);
}

/* ---- models
 * -------------------------------------------------------------------- */

typedef struct {
    unsigned char *bytes; /* tinymodel checkpoints (from memory) */
    Checkpoint ck;
    Transformer t;
    Tokenizer tok;
} Model;

static float *step(void *model, int token, int pos)
{
    return forward(&((Model *)model)->t, token, pos);
}

/* Loads the tiny tokenizer (vocab 384) into tok. */
static void load_tiny_tokenizer(Tokenizer *tok)
{
    tm_files files;
    LL_CHECK_INT_EQ(tm_files_create(&files, &TM_SHAPES[0]), 0,
                    "writing the test files (test setup)");
    const int rc = tokenizer_load(tok, files.tokenizer, TM_TINY_VOCAB);
    tm_files_remove(&files);
    LL_CHECK_INT_EQ(rc, 0, "tokenizer_load (your 36_tokenizer)");
}

static void model_open(Model *m, int shape)
{
    memset(m, 0, sizeof *m);
    size_t size = 0;
    m->bytes = tm_checkpoint_build(&TM_SHAPES[shape], &size);
    LL_CHECK_NOT_NULL(m->bytes, "tm_checkpoint_build (test setup)");
    LL_CHECK_INT_EQ(checkpoint_from_memory(&m->ck, m->bytes, size), CK_OK,
                    "checkpoint_from_memory (your 35_checkpoint)");
    LL_CHECK_INT_EQ(m->ck.config.dim, TM_SHAPES[shape].dim,
                    "config.dim loaded by your 35_checkpoint");
    LL_CHECK_INT_EQ(transformer_init(&m->t, &m->ck.config, &m->ck.weights), 0,
                    "transformer_init (your 38_forward)");
    load_tiny_tokenizer(&m->tok);
}

static void model_close(Model *m)
{
    tokenizer_free(&m->tok);
    transformer_free(&m->t);
    checkpoint_close(&m->ck);
    free(m->bytes);
}

/* ---- chain models (see the header comment) --------------------------------
 */

#define CH_MAX_DIM 32
#define CH_VOCAB TM_TINY_VOCAB

typedef struct {
    int dim, layers, seq_len;
    int cand[CH_MAX_DIM][2]; /* per column: candidate ids, -1 for none */
    int nan_weight;          /* 1: one weight of wq is NaN */
} Chain;

/* Writes chain c as a checkpoint (the RoPE tables, zeros, as a hole) and
 * the tiny tokenizer into a fresh tm_files directory. */
static void chain_write(const Chain *c, tm_files *files)
{
    LL_CHECK_INT_EQ(tm_files_create(files, &TM_SHAPES[0]), 0,
                    "writing the test files (test setup)");
    const size_t d = (size_t)c->dim, L = (size_t)c->layers, V = CH_VOCAB;
    FILE *f = fopen(files->checkpoint, "wb");
    LL_CHECK_NOT_NULL(f, "writing the chain model (test setup)");
    const int32_t header[7] = {c->dim, 1,         c->layers, 1,
                               1,      -CH_VOCAB, c->seq_len};
    int ok = fwrite(header, sizeof header, 1, f) == 1;
    float *row = ll_alloc(d * d * sizeof *row);
    for (size_t t = 0; t < V; t++) { /* one-hot embeddings */
        memset(row, 0, d * sizeof *row);
        row[t % d] = 1.0f;
        ok &= fwrite(row, sizeof *row, d, f) == d;
    }
    for (size_t i = 0; i < d; i++)
        row[i] = 1.0f;
    for (size_t l = 0; l < L; l++) /* rms_att */
        ok &= fwrite(row, sizeof *row, d, f) == d;
    memset(row, 0, d * d * sizeof *row);
    for (int m = 0; m < 4; m++) /* wq, wk, wv, wo */
        for (size_t l = 0; l < L; l++) {
            if (m == 0 && l == 0 && c->nan_weight)
                row[d + 1] = NAN;
            ok &= fwrite(row, sizeof *row, d * d, f) == d * d;
            row[d + 1] = 0.0f;
        }
    for (size_t i = 0; i < d; i++)
        row[i] = 1.0f;
    for (size_t l = 0; l < L; l++) /* rms_ffn */
        ok &= fwrite(row, sizeof *row, d, f) == d;
    memset(row, 0, d * sizeof *row);
    for (int m = 0; m < 3; m++) /* w1, w2, w3 (hidden_dim 1) */
        for (size_t l = 0; l < L; l++)
            ok &= fwrite(row, sizeof *row, d, f) == d;
    for (size_t i = 0; i < d; i++)
        row[i] = 1.0f;
    ok &= fwrite(row, sizeof *row, d, f) == d; /* rms_final */
    /* the RoPE tables, seq_len x head_size floats: a hole of zeros */
    ok &=
        fseek(f, (long)((size_t)c->seq_len * d * sizeof(float)), SEEK_CUR) == 0;
    for (size_t t = 0; t < V; t++) { /* the classifier */
        memset(row, 0, d * sizeof *row);
        for (size_t k = 0; k < d; k++)
            for (int j = 0; j < 2; j++)
                if (c->cand[k][j] == (int)t)
                    row[k] = 40.0f;
        ok &= fwrite(row, sizeof *row, d, f) == d;
    }
    ok &= fclose(f) == 0;
    free(row);
    LL_CHECK(ok, "writing the chain model (test setup)");
}

/* A seeded chain from `start` through `length` steps to BOS. Each step
 * moves to a column not visited yet; with probability two_way it has two
 * candidates (of the same column), else one; with eos, EOS (2) is one of
 * the steps. */
static void random_chain(Chain *c, int dim, int start, int length,
                         int two_way_percent, int eos)
{
    memset(c, 0, sizeof *c);
    memset(c->cand, 0xff, sizeof c->cand);
    c->dim = dim;
    c->layers = (int)ll_rand_int(1, 2);
    c->seq_len = 48;
    int used[CH_MAX_DIM] = {0};
    used[start % dim] = 1;
    used[1 % dim] = 1; /* BOS's own column */
    const int eos_at = eos ? (int)ll_rand_int(0, length - 1) : -1;
    int token = start;
    for (int i = 0; i < length; i++) {
        int a = 2;
        if (i != eos_at || used[2 % dim])
            do /* a piece of the tiny vocabulary, in an unused column */
                a = (int)ll_rand_int(259, CH_VOCAB - 1);
            while (used[a % dim]);
        int b = -1;
        if (a != 2 && ll_rand_int(0, 99) < two_way_percent)
            do
                b = (int)ll_rand_int(259, CH_VOCAB - 1);
            while (b % dim != a % dim || b == a);
        c->cand[token % dim][0] = a < b || b < 0 ? a : b;
        c->cand[token % dim][1] = a < b || b < 0 ? b : a;
        used[a % dim] = 1;
        token = a;
    }
    c->cand[token % dim][0] = 1; /* BOS: the end */
}

static unsigned int oracle_u32(unsigned long long *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (unsigned int)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

/* The piece generate() prints for `next` after `prev` (decode and
 * safe_print's rules), appended to text. */
static void oracle_print(char *text, int prev, int next)
{
    char piece[32];
    tm_token(next, piece, sizeof piece);
    const char *p = piece;
    if (prev == 1 && p[0] == ' ')
        p++;
    unsigned int byte = 0;
    char one[2] = {0, 0};
    if (next >= 3 && next < 259 && sscanf(p, "<0x%2X>", &byte) == 1) {
        one[0] = (char)byte;
        p = one;
    }
    const unsigned char b = (unsigned char)p[0];
    if (p[0] != '\0' && p[1] == '\0' && !(isprint(b) || isspace(b)))
        return;
    strcat(text, p);
}

/* What generate() does on chain c: the tokens it prints (count returned)
 * and the text, "\n" included. prompt: the encoded prompt, BOS first. */
static int chain_oracle(const Chain *c, const int *prompt, int n_prompt,
                        int steps, float temperature, float topp,
                        unsigned long long seed, int *tokens, char *text)
{
    unsigned long long state = seed;
    int token = prompt[0], n = 0;
    text[0] = '\0';
    const int one_only = topp > 0.0f && topp < 0.5f;
    for (int pos = 0; pos < steps; pos++) {
        int next;
        if (pos < n_prompt - 1) {
            next = prompt[pos + 1];
        } else if (c->nan_weight) { /* every logit NaN */
            if (temperature != 0.0f)
                oracle_u32(&state);
            next = temperature == 0.0f ? 0 : CH_VOCAB - 1;
        } else {
            const int *k = c->cand[token % c->dim];
            next = k[0];
            if (temperature != 0.0f) {
                const float coin =
                    (float)(oracle_u32(&state) >> 8) / 16777216.0f;
                if (k[1] >= 0 && !one_only && coin >= 0.5f)
                    next = k[1];
            }
        }
        if (next == 1)
            break;
        oracle_print(text, token, next);
        tokens[n++] = next;
        token = next;
    }
    strcat(text, "\n");
    return n;
}

static void format_ids(char *buf, size_t cap, const int *ids, int n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%d", i ? " " : "",
                                 ids[i]);
}

/* The prompt LLG_PROMPT as the NumPy oracle encoded it (BOS first). */
static const llg_encoding *golden_prompt(void)
{
    return &LLG_ENCODINGS[0];
}

/* ---- generate() -------------------------------------------------------------
 */

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
                    0, "sampler_init (your 39_sampling)");
    Capture out;
    capture_open(&out);
    const int steps = m.ck.config.seq_len;
    int *tokens = ll_alloc((size_t)steps * sizeof *tokens);
    const int n =
        generate(step, &m, &m.tok, &s, LLG_PROMPT, steps, out.f, tokens, NULL);
    char what[128], got[1024], want[1024];
    snprintf(what, sizeof what, "shape %s, %s: tokens printed", g->name,
             sampled ? "sampled" : "greedy");
    format_ids(got, sizeof got, tokens, n);
    format_ids(want, sizeof want, sampled ? g->sampled : g->greedy,
               sampled ? g->n_sampled : g->n_greedy);
    LL_CHECK_STR_EQ(got, want, what);
    snprintf(what, sizeof what, "shape %s, %s: printed text", g->name,
             sampled ? "sampled" : "greedy");
    LL_CHECK_STR_EQ(capture_text(&out),
                    sampled ? g->sampled_text : g->greedy_text, what);
    capture_close(&out);
    free(tokens);
    sampler_free(&s);
    model_close(&m);
}

/* generate() on chain c loaded with your 35, 38 and 39, against the chain
 * oracle. */
static void check_chain_generation(const Chain *c, const char *prompt,
                                   int steps, float temperature, float topp,
                                   unsigned long long seed, const char *why)
{
    tm_files files;
    chain_write(c, &files);
    Model m;
    memset(&m, 0, sizeof m);
    const int rc = checkpoint_open(&m.ck, files.checkpoint);
    const int tok_rc = tokenizer_load(&m.tok, files.tokenizer, CH_VOCAB);
    tm_files_remove(&files);
    LL_CHECK_INT_EQ(rc, CK_OK, "checkpoint_open(chain model) (your 35)");
    LL_CHECK_INT_EQ(tok_rc, 0, "tokenizer_load (your 36)");
    LL_CHECK_INT_EQ(transformer_init(&m.t, &m.ck.config, &m.ck.weights), 0,
                    "transformer_init (your 38)");
    Sampler s;
    LL_CHECK_INT_EQ(sampler_init(&s, CH_VOCAB, temperature, topp, seed), 0,
                    "sampler_init (your 39)");
    Capture out;
    capture_open(&out);
    int *tokens = ll_alloc((size_t)steps * sizeof *tokens);
    const int n =
        generate(step, &m, &m.tok, &s, prompt, steps, out.f, tokens, NULL);
    char what[300], got[2048], want_ids[2048], want_text[2048];
    LL_ORACLE
    {
        const llg_encoding *e = golden_prompt();
        const int bos_only[1] = {1};
        int *want = ll_alloc((size_t)steps * sizeof *want);
        const int nw =
            chain_oracle(c, *prompt ? e->ids : bos_only, *prompt ? e->n : 1,
                         steps, temperature, topp, seed, want, want_text);
        format_ids(want_ids, sizeof want_ids, want, nw);
        free(want);
    }
    format_ids(got, sizeof got, tokens, n);
    snprintf(what, sizeof what,
             "generate(chain model%s, prompt \"%s\", steps %d, temperature %g, "
             "topp %g, seed %llu): tokens printed",
             why, prompt, steps, (double)temperature, (double)topp, seed);
    LL_CHECK_STR_EQ(got, want_ids, what);
    snprintf(what, sizeof what,
             "generate(chain model%s, prompt \"%s\", steps %d, temperature %g, "
             "topp %g, seed %llu): printed text",
             why, prompt, steps, (double)temperature, (double)topp, seed);
    LL_CHECK_STR_EQ(capture_text(&out), want_text, what);
    capture_close(&out);
    free(tokens);
    sampler_free(&s);
    tokenizer_free(&m.tok);
    transformer_free(&m.t);
    checkpoint_close(&m.ck);
}

LL_TEST(generate, greedy_matches_the_oracle)
{
    for (int s = 0; s < TM_N_SHAPES; s++)
        check_generation(s, 0);
    for (int i = 0; i < 2; i++) {
        Chain c;
        random_chain(&c, CH_MAX_DIM, i ? 291 : 1, (int)ll_rand_int(1, 12), 50,
                     0);
        check_chain_generation(&c, i ? LLG_PROMPT : "", 48, 0.0f, 0.9f, 1, "");
    }
}

LL_TEST(generate, sampled_matches_the_oracle)
{
    for (int s = 0; s < TM_N_SHAPES; s++)
        check_generation(s, 1);
    /* plain sampling, top-p >= 1/2 (two candidates) and < 1/2 (one) */
    const float tops[3] = {1.0f, ll_rand_float(0.5f, 0.99f),
                           ll_rand_float(0.05f, 0.49f)};
    for (int i = 0; i < 3; i++) {
        Chain c;
        random_chain(&c, CH_MAX_DIM, 291, (int)ll_rand_int(8, 20), 80, 0);
        check_chain_generation(&c, LLG_PROMPT, 48, ll_rand_float(0.5f, 1.5f),
                               tops[i], ll_rand_u64() | 1, "");
    }
}

/* A scripted engine: records the calls and predicts tokens from a list. */
typedef struct {
    float logits[TM_TINY_VOCAB];
    int calls, tokens[64], positions[64];
    int predict[64];
} Script;

static float *scripted(void *model, int token, int pos)
{
    Script *s = model;
    if (s->calls < 64) {
        s->tokens[s->calls] = token;
        s->positions[s->calls] = pos;
    }
    memset(s->logits, 0, sizeof s->logits);
    s->logits[s->predict[s->calls < 64 ? s->calls : 63]] = 5.0f;
    s->calls++;
    return s->logits;
}

LL_TEST(generate, prompt_is_forced_and_bos_stops)
{
    Tokenizer tok;
    load_tiny_tokenizer(&tok);
    Script script;
    memset(&script, 0, sizeof script);
    for (int i = 0; i < 64; i++) /* " a" (262) for calls 0..4, then BOS */
        script.predict[i] = i < 5 ? 262 : 1;
    Sampler s;
    LL_CHECK_INT_EQ(sampler_init(&s, TM_TINY_VOCAB, 0.0f, 0.9f, 1), 0,
                    "sampler_init (your 39)");
    Capture out;
    capture_open(&out);
    int tokens[32];
    /* "Lily" encodes to BOS, " ", "Lily": 2 forced steps, then 262 three
     * times (calls 2..4 predict 262; the prompt hides calls 0 and 1), then
     * BOS */
    const int n =
        generate(scripted, &script, &tok, &s, "Lily", 30, out.f, tokens, NULL);
    LL_CHECK_INT_EQ(n, 5, "tokens printed before the BOS stop");
    LL_CHECK_INT_EQ(script.calls, 6, "forward calls");
    const int want_tok[] = {1, 324, 304, 262, 262, 262};
    const int want_pos[] = {0, 1, 2, 3, 4, 5};
    LL_CHECK_BYTES_EQ(script.tokens, want_tok, sizeof want_tok,
                      "tokens fed to forward at calls 0..5 (int [call])");
    LL_CHECK_BYTES_EQ(script.positions, want_pos, sizeof want_pos,
                      "positions fed to forward at calls 0..5 (int [call])");
    LL_CHECK_STR_EQ(capture_text(&out), "Lily a a a\n",
                    "printed text (no space after BOS)");
    capture_close(&out);
    /* seeded: a script of pieces and EOS with BOS somewhere, or never */
    memset(&script, 0, sizeof script);
    const int stop = (int)ll_rand_int(0, 40);
    for (int i = 0; i < 64; i++)
        script.predict[i] = i == stop ? 1
                            : ll_rand_int(0, 5) == 0
                                ? 2
                                : (int)ll_rand_int(259, TM_TINY_VOCAB - 1);
    const int steps = (int)ll_rand_int(1, 32);
    capture_open(&out);
    int got[32];
    const int ng =
        generate(scripted, &script, &tok, &s, "", steps, out.f, got, NULL);
    int want_n = 0, want_calls = 0;
    char want_text[1024] = "";
    LL_ORACLE
    {
        int token = 1;
        for (int pos = 0; pos < steps; pos++) {
            want_calls++;
            const int next = script.predict[pos];
            if (next == 1)
                break;
            oracle_print(want_text, token, next);
            want_n++;
            token = next;
        }
        strcat(want_text, "\n");
    }
    char what[120];
    snprintf(what, sizeof what,
             "generate(scripted engine, prompt \"\", steps %d, BOS at call "
             "%d): tokens printed",
             steps, stop);
    LL_CHECK_INT_EQ(ng, want_n, what);
    snprintf(what, sizeof what,
             "generate(scripted engine, steps %d, BOS at call %d): forward "
             "calls",
             steps, stop);
    LL_CHECK_INT_EQ(script.calls, want_calls, what);
    snprintf(what, sizeof what,
             "generate(scripted engine, steps %d, BOS at call %d): printed "
             "text (EOS does not stop)",
             steps, stop);
    LL_CHECK_STR_EQ(capture_text(&out), want_text, what);
    capture_close(&out);
    sampler_free(&s);
    tokenizer_free(&tok);
}

/* ---- engine_main ------------------------------------------------------------
 */

typedef struct {
    int rc;
    Capture out, err;
} Run;

static void run_engine(Run *r, int argc, char **argv)
{
    capture_open(&r->out);
    capture_open(&r->err);
    r->rc = engine_main(argc, argv, r->out.f, r->err.f);
    capture_text(&r->out);
    capture_text(&r->err);
}

static void run_close(Run *r)
{
    capture_close(&r->out);
    capture_close(&r->err);
}

/* An engine run that must fail: exit status 1, a message, no output. */
static void check_refused(Run *r, const char *what)
{
    char w[300];
    snprintf(w, sizeof w, "engine_main(%s): exit status", what);
    LL_CHECK_INT_EQ(r->rc, 1, w);
    LL_CHECK(strlen(capture_text(&r->err)) > 0,
             "engine_main(%s): expected a message on err, got nothing", what);
    snprintf(w, sizeof w, "engine_main(%s): output (none: it fails)", what);
    LL_CHECK_STR_EQ(capture_text(&r->out), "", w);
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
    char *no_tok[] = {"engine", files.checkpoint, "-z", "/nonexistent/t.bin",
                      NULL};
    Run r[4];
    run_engine(&r[0], 10, greedy);
    run_engine(&r[1], 14, sampled);
    run_engine(&r[2], 4, broken);
    run_engine(&r[3], 4, no_tok);
    tm_files_remove(&files);
    LL_CHECK_INT_EQ(r[0].rc, 0, "engine_main(-t 0) exit status");
    LL_CHECK_STR_EQ(capture_text(&r[0].out), g->greedy_text,
                    "engine_main(-t 0 -n 0) output");
    LL_CHECK(strstr(capture_text(&r[0].err), "achieved tok/s: ") != NULL,
             "engine_main: expected \"achieved tok/s: ...\" on err, got "
             "\"%s\"",
             capture_text(&r[0].err));
    LL_CHECK_INT_EQ(r[1].rc, 0, "engine_main(-t 0.8 -p 0.9) exit status");
    LL_CHECK_STR_EQ(capture_text(&r[1].out), g->sampled_text,
                    "engine_main(-t 0.8 -p 0.9 -s seed -n 1000) output");
    check_refused(&r[2], "a tokenizer given as the checkpoint");
    check_refused(&r[3], "-z a missing tokenizer");
    for (int i = 0; i < 4; i++)
        run_close(&r[i]);
    /* a seeded chain model, greedy, sampled and top-p */
    for (int i = 0; i < 3; i++) {
        Chain c;
        random_chain(&c, CH_MAX_DIM, 291, (int)ll_rand_int(1, 16), 70, 0);
        chain_write(&c, &files);
        const unsigned long long s = ll_rand_u64() | 1;
        char sv[32], tv[16], pv[16];
        snprintf(sv, sizeof sv, "%llu", s);
        snprintf(tv, sizeof tv, "%s", i == 0 ? "0" : "0.9");
        snprintf(pv, sizeof pv, "%s", i == 2 ? "0.75" : "1");
        char *args[] = {"engine", files.checkpoint,
                        "-z",     files.tokenizer,
                        "-i",     LLG_PROMPT,
                        "-t",     tv,
                        "-p",     pv,
                        "-s",     sv,
                        NULL};
        Run run;
        run_engine(&run, 12, args);
        tm_files_remove(&files);
        char want[2048], what[160];
        LL_ORACLE
        {
            const llg_encoding *e = golden_prompt();
            int tokens[64];
            chain_oracle(&c, e->ids, e->n, 48, strtof(tv, NULL),
                         strtof(pv, NULL), s, tokens, want);
        }
        snprintf(what, sizeof what,
                 "engine_main(chain model, -i \"%s\" -t %s -p %s -s %s): "
                 "exit status",
                 LLG_PROMPT, tv, pv, sv);
        LL_CHECK_INT_EQ(run.rc, 0, what);
        snprintf(what, sizeof what,
                 "engine_main(chain model, -i \"%s\" -t %s -p %s -s %s): "
                 "output",
                 LLG_PROMPT, tv, pv, sv);
        LL_CHECK_STR_EQ(capture_text(&run.out), want, what);
        run_close(&run);
    }
}

LL_TEST(generate, engine_main_stops_at_bos_and_steps_not_eos)
{
    /* a chain with EOS (2) in the middle: EOS is printed, BOS stops */
    Chain c;
    random_chain(&c, CH_MAX_DIM, 1, (int)ll_rand_int(3, 12), 30, 1);
    tm_files files;
    chain_write(&c, &files);
    const int steps = (int)ll_rand_int(1, 6);
    char nv[16];
    snprintf(nv, sizeof nv, "%d", steps);
    char *to_bos[] = {
        "engine", files.checkpoint, "-z", files.tokenizer, "-t", "0", "-n", "0",
        NULL};
    char *to_steps[] = {
        "engine", files.checkpoint, "-z", files.tokenizer, "-t", "0", "-n", nv,
        NULL};
    Run r[2];
    run_engine(&r[0], 8, to_bos);
    run_engine(&r[1], 8, to_steps);
    tm_files_remove(&files);
    char want[2][2048];
    LL_ORACLE
    {
        const int bos[1] = {1};
        int tokens[64];
        chain_oracle(&c, bos, 1, c.seq_len, 0.0f, 0.9f, 1, tokens, want[0]);
        chain_oracle(&c, bos, 1, steps, 0.0f, 0.9f, 1, tokens, want[1]);
    }
    LL_CHECK_INT_EQ(r[0].rc, 0, "engine_main(chain with EOS, -n 0) status");
    LL_CHECK_STR_EQ(capture_text(&r[0].out), want[0],
                    "engine_main(chain with EOS, no prompt, -t 0 -n 0): "
                    "output (EOS is printed, BOS stops)");
    char what[120];
    snprintf(what, sizeof what,
             "engine_main(chain with EOS, no prompt, -t 0 -n %d): output "
             "(%d steps)",
             steps, steps);
    LL_CHECK_STR_EQ(capture_text(&r[1].out), want[1], what);
    run_close(&r[0]);
    run_close(&r[1]);
}

LL_TEST(generate, engine_main_seed_0_uses_the_clock)
{
    /* every step has two candidates: the coins decide the whole story */
    Chain c;
    random_chain(&c, CH_MAX_DIM, 1, 24, 100, 0);
    tm_files files;
    chain_write(&c, &files);
    char *base[] = {
        "engine", files.checkpoint, "-z", files.tokenizer, "-t", "1", "-s", "0",
        NULL};
    const time_t t0 = time(NULL);
    Run zero;
    run_engine(&zero, 8, base);
    const time_t t1 = time(NULL);
    /* the same run with each second the clock showed as its seed */
    int same = 0;
    for (time_t t = t0; t <= t1 && t - t0 < 5; t++) {
        char sv[32];
        snprintf(sv, sizeof sv, "%llu", (unsigned long long)t);
        base[7] = sv;
        Run timed;
        run_engine(&timed, 8, base);
        same |= timed.rc == 0 &&
                strcmp(capture_text(&timed.out), capture_text(&zero.out)) == 0;
        run_close(&timed);
    }
    LL_CHECK_INT_EQ(zero.rc, 0, "engine_main(-s 0) exit status");
    LL_CHECK(same,
             "engine_main(-s 0) printed \"%s\", which -s <time(NULL) during "
             "the run> does not print: a seed of 0 must become time(NULL) "
             "(xorshift never leaves the state 0)",
             capture_text(&zero.out));
    run_close(&zero);
    /* and an explicit seed gives the oracle's story */
    const unsigned long long s = ll_rand_u64() | 1;
    char sv[32];
    snprintf(sv, sizeof sv, "%llu", s);
    base[7] = sv;
    Run seeded;
    run_engine(&seeded, 8, base);
    tm_files_remove(&files);
    char want[2048], what[96];
    LL_ORACLE
    {
        const int bos[1] = {1};
        int tokens[64];
        chain_oracle(&c, bos, 1, c.seq_len, 1.0f, 0.9f, s, tokens, want);
    }
    snprintf(what, sizeof what, "engine_main(chain model, -t 1 -s %s): output",
             sv);
    LL_CHECK_STR_EQ(capture_text(&seeded.out), want, what);
    run_close(&seeded);
}

LL_TEST(generate, engine_main_refuses_bad_options)
{
    Chain c;
    random_chain(&c, CH_MAX_DIM, 1, (int)ll_rand_int(1, 8), 0, 0);
    tm_files files;
    chain_write(&c, &files);
    static const char *const bad[][2] = {
        {"-n", "abc"}, {"-p", "2"},   {"-t", "-1"},  {"-j", "5000"},
        {"-t", "nan"}, {"-p", "nan"}, {"-s", "-1"},  {"-n", "-3"},
        {"-j", "0"},   {"-q", "16"},  {"-t", "1e99"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *args[] = {"engine",
                        files.checkpoint,
                        "-z",
                        files.tokenizer,
                        "-t",
                        "0",
                        (char *)bad[i][0],
                        (char *)bad[i][1],
                        NULL};
        Run r;
        run_engine(&r, 8, args);
        char what[80];
        snprintf(what, sizeof what, "%s %s", bad[i][0], bad[i][1]);
        check_refused(&r, what);
        run_close(&r);
    }
    /* a seeded -j, valid or not: a valid one changes nothing here */
    const int j = (int)ll_rand_int(-2, 2 * GEN_MAX_THREADS);
    char jv[16];
    snprintf(jv, sizeof jv, "%d", j);
    char *args[] = {
        "engine", files.checkpoint, "-z", files.tokenizer, "-t", "0", "-j", jv,
        NULL};
    Run r;
    run_engine(&r, 8, args);
    tm_files_remove(&files);
    char want[2048] = "", what[80];
    LL_ORACLE
    {
        const int bos[1] = {1};
        int tokens[64];
        if (j >= 1 && j <= GEN_MAX_THREADS)
            chain_oracle(&c, bos, 1, c.seq_len, 0.0f, 0.9f, 1, tokens, want);
    }
    snprintf(what, sizeof what, "engine_main(chain model, -t 0 -j %d): output",
             j);
    LL_CHECK_STR_EQ(capture_text(&r.out), want, what);
    snprintf(what, sizeof what,
             "engine_main(chain model, -t 0 -j %d): exit status", j);
    LL_CHECK_INT_EQ(r.rc, j >= 1 && j <= GEN_MAX_THREADS ? 0 : 1, what);
    run_close(&r);
}

LL_TEST(generate, engine_main_bounds_memory_by_steps)
{
    /* a context of 2^22 positions and enough layers of dim 2 that the KV
     * cache of the whole context is 3/4 of this machine's physical memory:
     * a file of a few MB (the RoPE tables are a hole), but -n 0 asks for
     * all of that cache, more than half the memory: refused. -n N needs N
     * rows of it only. */
    const double phys =
        (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    const double row = 2.0 * 2 * sizeof(float); /* k and v, kv_dim 2 */
    Chain c;
    memset(&c, 0, sizeof c);
    memset(c.cand, 0xff, sizeof c.cand);
    c.dim = 2;
    c.seq_len = 1 << 22;
    c.layers = (int)ceil(0.75 * phys / (row * c.seq_len));
    const int a = 2 * (int)ll_rand_int(130, 191); /* even: column 0 */
    c.cand[1][0] = a;                             /* after BOS */
    c.cand[0][0] = a;                             /* and after itself */
    tm_files files;
    chain_write(&c, &files);
    const int steps = (int)ll_rand_int(4, 16);
    char nv[16];
    snprintf(nv, sizeof nv, "%d", steps);
    char *all[] = {
        "engine", files.checkpoint, "-z", files.tokenizer, "-t", "0", "-n", "0",
        NULL};
    char *some[] = {
        "engine", files.checkpoint, "-z", files.tokenizer, "-t", "0", "-n", nv,
        NULL};
    Run r[2];
    run_engine(&r[0], 8, all);
    run_engine(&r[1], 8, some);
    tm_files_remove(&files);
    char what[200];
    snprintf(what, sizeof what,
             "%d layers, seq_len 2^22, -n 0: a KV cache of 3/4 of the "
             "machine's %.1f GiB",
             c.layers, phys / (1 << 30));
    check_refused(&r[0], what);
    char want[2048];
    LL_ORACLE
    {
        const int bos[1] = {1};
        int tokens[64];
        chain_oracle(&c, bos, 1, steps, 0.0f, 0.9f, 1, tokens, want);
    }
    snprintf(what, sizeof what,
             "engine_main(%d layers, seq_len 2^22, -n %d): exit status (the "
             "cache needs %d rows only)",
             c.layers, steps, steps);
    LL_CHECK_INT_EQ(r[1].rc, 0, what);
    snprintf(what, sizeof what,
             "engine_main(%d layers, seq_len 2^22, -n %d): output", c.layers,
             steps);
    LL_CHECK_STR_EQ(capture_text(&r[1].out), want, what);
    run_close(&r[0]);
    run_close(&r[1]);
}

LL_TEST(generate, engine_main_nan_weight_gives_defined_tokens)
{
    /* one NaN weight makes every logit NaN: greedy picks 0 (<unk>), plain
     * and top-p sampling the last token, and nothing reads out of bounds */
    Chain c;
    random_chain(&c, CH_MAX_DIM, 291, 4, 50, 0);
    c.nan_weight = 1;
    tm_files files;
    chain_write(&c, &files);
    const int steps = (int)ll_rand_int(6, 12);
    char nv[16];
    snprintf(nv, sizeof nv, "%d", steps);
    static const char *const modes[3][2] = {
        {"0", "0.9"}, {"0.8", "1"}, {"0.8", "0.9"}};
    for (int i = 0; i < 3; i++) {
        char *args[] = {"engine", files.checkpoint,
                        "-z",     files.tokenizer,
                        "-i",     LLG_PROMPT,
                        "-t",     (char *)modes[i][0],
                        "-p",     (char *)modes[i][1],
                        "-n",     nv,
                        "-s",     "7",
                        NULL};
        Run r;
        run_engine(&r, 14, args);
        char want[2048], what[160];
        LL_ORACLE
        {
            const llg_encoding *e = golden_prompt();
            int tokens[64];
            chain_oracle(&c, e->ids, e->n, steps, strtof(modes[i][0], NULL),
                         strtof(modes[i][1], NULL), 7, tokens, want);
        }
        snprintf(what, sizeof what,
                 "engine_main(a NaN weight, -t %s -p %s -n %d): output",
                 modes[i][0], modes[i][1], steps);
        LL_CHECK_STR_EQ(capture_text(&r.out), want, what);
        run_close(&r);
    }
    tm_files_remove(&files);
}

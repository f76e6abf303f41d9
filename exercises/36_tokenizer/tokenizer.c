/* 36_tokenizer: read tokenizer.bin, encode text into tokens (BPE) and
 * decode tokens back into text, exactly as llama2.c does.
 *
 * Lecture: lectures/05_engine.md#tokens-in-and-out
 */
#include "tokenizer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tokenizer_free(Tokenizer *t)
{
    /* TODO: free every string, then the arrays. */
    (void)t;
}

int tokenizer_load(Tokenizer *t, const char *path, int vocab_size)
{
    /* TODO: fill byte_pieces; refuse a vocab_size < 259 and a path that is
     * not a regular file (stat it before fopen: a FIFO would block); read
     * max_token_length, then per token score, len and len bytes (check
     * every fread and every rule of tokenizer.h); NUL-terminate each
     * string; build sorted_vocab with qsort. On any error clean up and
     * return -1. */
    (void)path;
    memset(t, 0, sizeof *t);
    t->vocab_size = vocab_size;
    return 0;
}

int str_lookup(const Tokenizer *t, const char *str)
{
    /* TODO: bsearch in sorted_vocab. */
    (void)t;
    (void)str;
    return -1;
}

int encode(const Tokenizer *t, const char *text, int bos, int eos, int *tokens,
           int *n_tokens)
{
    /* TODO: the five steps of tokenizer.h. */
    (void)t;
    (void)text;
    (void)bos;
    (void)eos;
    (void)tokens;
    *n_tokens = 0;
    return 0;
}

const char *decode(const Tokenizer *t, int prev_token, int token)
{
    /* TODO: strip the leading space after BOS; "<0xXX>" -> that byte. */
    (void)t;
    (void)prev_token;
    (void)token;
    return "";
}

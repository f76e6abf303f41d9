/* 36_tokenizer: reference solution (llama2.c's tokenizer). */
#define _POSIX_C_SOURCE 200809L
#include "tokenizer.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare_tokens(const void *a, const void *b)
{
    return strcmp(((const TokenIndex *)a)->str, ((const TokenIndex *)b)->str);
}

void tokenizer_free(Tokenizer *t)
{
    if (t->vocab)
        for (int i = 0; i < t->vocab_size; i++)
            free(t->vocab[i]);
    free(t->vocab);
    free(t->vocab_scores);
    free(t->sorted_vocab);
    t->vocab = NULL;
    t->vocab_scores = NULL;
    t->sorted_vocab = NULL;
}

/* Reads every token; returns 0 or -1 (short read, bad length, no memory). */
static int read_tokens(Tokenizer *t, FILE *f)
{
    int32_t max_len;
    if (fread(&max_len, sizeof max_len, 1, f) != 1 || max_len < 0 ||
        max_len > TOKENIZER_MAX_TOKEN_LENGTH)
        return -1;
    t->max_token_length = max_len;
    for (int i = 0; i < t->vocab_size; i++) {
        int32_t len;
        if (fread(&t->vocab_scores[i], sizeof(float), 1, f) != 1 ||
            isnan(t->vocab_scores[i]) || fread(&len, sizeof len, 1, f) != 1 ||
            len < 0 || len > max_len)
            return -1;
        t->vocab[i] = malloc((size_t)len + 1);
        if (!t->vocab[i] ||
            fread(t->vocab[i], 1, (size_t)len, f) != (size_t)len)
            return -1;
        t->vocab[i][len] = '\0';
    }
    return 0;
}

/* Opens `path` for reading if it is a regular file of at least
 * `min_size` bytes, without blocking on a FIFO; NULL otherwise. */
static FILE *open_regular(const char *path, size_t min_size)
{
    const int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    FILE *f = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (size_t)st.st_size >= min_size)
        f = fdopen(fd, "rb");
    if (!f)
        close(fd);
    return f;
}

int tokenizer_load(Tokenizer *t, const char *path, int vocab_size)
{
    memset(t, 0, sizeof *t);
    t->vocab_size = vocab_size;
    for (int i = 0; i < 256; i++) {
        t->byte_pieces[2 * i] = (unsigned char)i;
        t->byte_pieces[2 * i + 1] = '\0';
    }
    /* ids 3..258 are the byte tokens */
    if (vocab_size < 259)
        return -1;
    /* every token takes 8 bytes at least: a file too short for that is
     * refused before vocab_size-sized arrays are allocated */
    FILE *f = open_regular(path, 4 + 8 * (size_t)vocab_size);
    if (!f)
        return -1;
    t->vocab = calloc((size_t)vocab_size, sizeof *t->vocab);
    t->vocab_scores = calloc((size_t)vocab_size, sizeof *t->vocab_scores);
    t->sorted_vocab = calloc((size_t)vocab_size, sizeof *t->sorted_vocab);
    const int rc = (t->vocab && t->vocab_scores && t->sorted_vocab)
                       ? read_tokens(t, f)
                       : -1;
    fclose(f);
    if (rc != 0) {
        tokenizer_free(t);
        return -1;
    }
    for (int i = 0; i < vocab_size; i++)
        t->sorted_vocab[i] = (TokenIndex){t->vocab[i], i};
    qsort(t->sorted_vocab, (size_t)vocab_size, sizeof *t->sorted_vocab,
          compare_tokens);
    return 0;
}

int str_lookup(const Tokenizer *t, const char *str)
{
    const TokenIndex key = {str, 0};
    const TokenIndex *hit =
        bsearch(&key, t->sorted_vocab, (size_t)t->vocab_size,
                sizeof *t->sorted_vocab, compare_tokens);
    return hit ? hit->id : -1;
}

/* One token per UTF-8 code point, bytes as fallback; appends to tokens. */
static void encode_code_points(const Tokenizer *t, const char *text, char *buf,
                               int *tokens, int *n)
{
    size_t len = 0;
    for (const char *c = text; *c != '\0'; c++) {
        /* a byte that is not a continuation (10xxxxxx) starts a new point */
        if ((*c & 0xC0) != 0x80)
            len = 0;
        buf[len++] = *c;
        buf[len] = '\0';
        if ((c[1] & 0xC0) == 0x80 && len < 4)
            continue;
        const int id = str_lookup(t, buf);
        if (id != -1) {
            tokens[(*n)++] = id;
        } else {
            for (size_t i = 0; i < len; i++)
                tokens[(*n)++] = (unsigned char)buf[i] + 3;
        }
        len = 0;
    }
}

/* Merges the best adjacent pair once; returns 0 when none is left. No
 * sentinel score (llama2.c starts from -1e10): any score can win. */
static int merge_best_pair(const Tokenizer *t, char *buf, int *tokens, int *n)
{
    float best_score = 0.0f;
    int best_id = -1, best_idx = -1;
    for (int i = 0; i < *n - 1; i++) {
        sprintf(buf, "%s%s", t->vocab[tokens[i]], t->vocab[tokens[i + 1]]);
        const int id = str_lookup(t, buf);
        if (id != -1 && (best_id == -1 || t->vocab_scores[id] > best_score)) {
            best_score = t->vocab_scores[id];
            best_id = id;
            best_idx = i;
        }
    }
    if (best_idx == -1)
        return 0;
    tokens[best_idx] = best_id;
    memmove(tokens + best_idx + 1, tokens + best_idx + 2,
            (size_t)(*n - best_idx - 2) * sizeof *tokens);
    (*n)--;
    return 1;
}

int encode(const Tokenizer *t, const char *text, int bos, int eos, int *tokens,
           int *n_tokens)
{
    if (!text)
        return -1;
    /* two tokens side by side, or one code point (4 bytes), plus NUL */
    char *buf = malloc((size_t)t->max_token_length * 2 + 1 + 4);
    if (!buf)
        return -1;
    *n_tokens = 0;
    if (bos)
        tokens[(*n_tokens)++] = 1;
    if (text[0] != '\0') { /* the dummy prefix, as a byte if need be */
        const int space = str_lookup(t, " ");
        tokens[(*n_tokens)++] = space != -1 ? space : ' ' + 3;
    }
    encode_code_points(t, text, buf, tokens, n_tokens);
    while (merge_best_pair(t, buf, tokens, n_tokens))
        ;
    if (eos)
        tokens[(*n_tokens)++] = 2;
    free(buf);
    return 0;
}

const char *decode(const Tokenizer *t, int prev_token, int token)
{
    const char *piece = t->vocab[token];
    if (prev_token == 1 && piece[0] == ' ')
        piece++;
    unsigned char byte;
    if (sscanf(piece, "<0x%02hhX>", &byte) == 1)
        piece = (const char *)t->byte_pieces + byte * 2;
    return piece;
}

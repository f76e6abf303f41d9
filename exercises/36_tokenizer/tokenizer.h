/* tokenizer.h: the interface of exercise 36_tokenizer (do not edit).
 *
 * llama2.c's tokenizer.bin, little-endian:
 *
 *   int32 max_token_length
 *   vocab_size times:  float32 score, int32 len, len bytes (no NUL)
 *
 * Token 0 is "<unk>", 1 is BOS "\n<s>\n", 2 is EOS "\n</s>\n", and tokens
 * 3..258 are the byte-fallback tokens "<0x00>".."<0xFF>" (id = byte + 3).
 * The file does not store vocab_size: it comes from the checkpoint. */
#ifndef TOKENIZER_H
#define TOKENIZER_H

typedef struct {
    const char *str;
    int id;
} TokenIndex;

typedef struct {
    char **vocab;             /* vocab_size NUL-terminated strings */
    float *vocab_scores;      /* merge priority: higher merges first */
    TokenIndex *sorted_vocab; /* vocab sorted by strcmp, for bsearch */
    int vocab_size;
    int max_token_length;
    unsigned char byte_pieces[512]; /* byte i as the string {i, 0} */
} Tokenizer;

/* The longest max_token_length tokenizer_load accepts: real vocabularies
 * stay far below (a few dozen bytes), and encode's buffers grow with it. */
#define TOKENIZER_MAX_TOKEN_LENGTH 1024

/* Reads the first vocab_size tokens of the file at `path` (bytes after them
 * are ignored). Returns 0, or -1 when:
 *   - the path is not a regular file (a FIFO or a directory: checking must
 *     not block, and fopen of a FIFO waits for a writer), is missing, or
 *     ends before the last token;
 *   - vocab_size < 259 (the 3 special and 256 byte tokens must exist);
 *   - max_token_length < 0 or > TOKENIZER_MAX_TOKEN_LENGTH;
 *   - a length is negative or above max_token_length, or a score is NaN.
 * On error nothing leaks. */
int tokenizer_load(Tokenizer *t, const char *path, int vocab_size);
void tokenizer_free(Tokenizer *t);

/* The id of the token whose string is exactly `str`, or -1. (Should two
 * tokens have the same string, either id may come back.) */
int str_lookup(const Tokenizer *t, const char *str);

/* llama2.c's BPE encoding of `text` into tokens (room for strlen(text) + 3
 * ids) and *n_tokens:
 *   1. BOS (1) if bos;
 *   2. if text is not empty, the dummy prefix " ": its token, or the byte
 *      token <0x20> (id 35) when the vocabulary has no " ";
 *   3. one token per UTF-8 code point (a lead byte and up to 3 continuation
 *      bytes, at most 4 bytes), or, if the code point is not in the
 *      vocabulary, one byte-fallback token per byte (id = byte + 3);
 *   4. repeatedly merge the adjacent pair whose concatenation is a token
 *      with the highest score (any score, -inf included: there is no
 *      threshold; strictly higher, so the leftmost pair wins a tie), until
 *      no adjacent pair is in the vocabulary;
 *   5. EOS (2) if eos.
 * Returns 0, or -1 on a NULL text or when out of memory. */
int encode(const Tokenizer *t, const char *text, int bos, int eos, int *tokens,
           int *n_tokens);

/* The text of `token` when it follows `prev_token`: without its leading
 * space right after BOS, and a byte token "<0xXX>" as that single raw byte.
 * The string belongs to the tokenizer. */
const char *decode(const Tokenizer *t, int prev_token, int token);

#endif

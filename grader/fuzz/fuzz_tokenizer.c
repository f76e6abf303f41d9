/* fuzz_tokenizer.c: libFuzzer target for the reference tokenizer
 * (solutions-private/36_tokenizer: tokenizer_load, encode, decode; built
 * from there read-only, only where solutions-private/ exists). Input: two
 * bytes of vocab_size (1..1024), then a tokenizer.bin; the file is written
 * to a private temporary file because the loader takes a path. When it
 * loads, a few texts (including its own token strings) are encoded and
 * decoded: every id is in range, nothing is read outside a buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "tokenizer.h"

static char path[64];

static void write_file(const uint8_t *data, size_t size)
{
    if (path[0] == '\0') {
        snprintf(path, sizeof path, "/tmp/fuzz-tokenizer-%d.bin",
                 (int)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

static void round_trip(const Tokenizer *t, const char *text)
{
    size_t n = strlen(text);
    int *tokens = malloc((n + 3) * sizeof *tokens);
    int count = -1;
    if (tokens == NULL)
        abort();
    if (encode(t, text, 1, 1, tokens, &count) == 0) {
        if (count < 0 || (size_t)count > n + 3)
            abort();
        for (int i = 0; i < count; i++) {
            if (tokens[i] < 0 || tokens[i] >= t->vocab_size)
                abort();
            const char *piece = decode(t, i ? tokens[i - 1] : 1, tokens[i]);
            if (piece)
                (void)strlen(piece);
        }
    }
    free(tokens);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int vocab = 1 + ((data[0] | data[1] << 8) % 1024);
    write_file(data + 2, size - 2);
    Tokenizer t;
    memset(&t, 0, sizeof t);
    if (tokenizer_load(&t, path, vocab) != 0) {
        unlink(path);
        return 0;
    }
    unlink(path);
    round_trip(&t, "hello world");
    round_trip(&t, "\xe4\xbd\xa0\xe5\xa5\xbd \xff\xfe a");
    round_trip(&t, "");
    for (int i = 0; i < t.vocab_size && i < 64; i++)
        if (t.vocab[i])
            round_trip(&t, t.vocab[i]);
    tokenizer_free(&t);
    return 0;
}

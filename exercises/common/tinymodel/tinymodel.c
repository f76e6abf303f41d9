/* tinymodel.c: command-line front end of tinymodel.h.
 *
 *   tinymodel SHAPE DIR     writes DIR/model.bin and DIR/tokenizer.bin
 *
 * SHAPE is one of the test shapes (mha, gqa, cls) or stories15m (the shape
 * of the llama2.c project's stories15M.bin, random weights, 32000 tokens),
 * used by grader/bench/engine.sh. Build:
 *   gcc -std=c17 -O2 -Iexercises/common exercises/common/tinymodel/tinymodel.c
 *       -o tinymodel -lm */
#define _POSIX_C_SOURCE 200809L
#include "tinymodel/tinymodel.h"

static int write_both(const tm_shape *s, const char *dir)
{
    char path[4096];
    size_t n = 0;
    void *ck = tm_checkpoint_build(s, &n);
    snprintf(path, sizeof path, "%s/model.bin", dir);
    int rc = ck ? tm_write_file(path, ck, n) : -1;
    free(ck);
    void *tok = tm_tokenizer_build(abs(s->vocab_size), &n);
    snprintf(path, sizeof path, "%s/tokenizer.bin", dir);
    if (rc == 0)
        rc = tok ? tm_write_file(path, tok, n) : -1;
    free(tok);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: tinymodel mha|gqa|cls|stories15m DIR\n");
        return 2;
    }
    const tm_shape *s = NULL;
    for (int i = 0; i < TM_N_SHAPES; i++)
        if (strcmp(argv[1], TM_SHAPES[i].name) == 0)
            s = &TM_SHAPES[i];
    if (strcmp(argv[1], TM_STORIES15M.name) == 0)
        s = &TM_STORIES15M;
    if (!s) {
        fprintf(stderr, "tinymodel: unknown shape '%s'\n", argv[1]);
        return 2;
    }
    if (write_both(s, argv[2]) != 0) {
        fprintf(stderr, "tinymodel: cannot write into %s: %s\n", argv[2],
                strerror(errno));
        return 1;
    }
    return 0;
}

/* run_corpus.c: runs a libFuzzer target on files, without libFuzzer.
 *
 *   run_corpus FILE...
 *
 * Linked with a target (fuzz_*.c) and built with gcc's ASan and UBSan, it
 * replays a fuzzer's corpus and every crash reproducer kept in the tree as
 * ordinary regression tests (make -C hardware test). Exit status 0 when
 * every file ran; a sanitizer report or an abort() in the target fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0, got;
    uint8_t *buf = malloc(cap);
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *grown = realloc(buf, cap * 2);
            if (grown == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0;
    for (int i = 1; i < argc; i++)
        bad |= run_file(argv[i]) != 0;
    printf("%d input%s replayed\n", argc - 1, argc == 2 ? "" : "s");
    return bad;
}

/* rewrite_main.c: cudasim-rewrite, the command around the rewriter library.
 *
 *   cudasim-rewrite INPUT.cu OUTPUT.cpp
 *
 * The output starts with `#include <cudasim.h>` and `#line 1 "INPUT.cu"`,
 * so compiler errors, __FILE__/__LINE__ and the simulator's messages name
 * the student's own file and line (see rewrite.h for what is rewritten).
 * Exit status: 0 on success, 1 when a construct could not be rewritten (the
 * messages name file and line; at most RW_MAX_MESSAGES of them), 2 on usage
 * or I/O errors or an input over the size limit.
 */
#include "rewrite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A source file this big is not a student's kernel. */
#define INPUT_LIMIT ((size_t)64 << 20)

/* Reads the whole file; NULL with a message on stderr on failure. */
static char *read_input(const char *name, size_t *len)
{
    FILE *f = fopen(name, "rb");
    if (f == NULL) {
        fprintf(stderr, "cudasim-rewrite: cannot read %s: %s\n", name,
                strerror(errno));
        return NULL;
    }
    rw_buf b = {0};
    char chunk[65536];
    size_t got;
    int bad = 0;
    while (!bad && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + got > INPUT_LIMIT) {
            fprintf(stderr,
                    "cudasim-rewrite: %s is larger than %zu MiB (expected a "
                    "CUDA source file)\n",
                    name, INPUT_LIMIT >> 20);
            bad = 1;
        } else if (b.len + got + 1 > b.cap) {
            size_t cap = b.cap ? b.cap * 2 : sizeof chunk * 2;
            char *p = realloc(b.data, cap);
            if (p == NULL) {
                fprintf(stderr, "cudasim-rewrite: out of memory\n");
                bad = 1;
            } else {
                b.data = p;
                b.cap = cap;
            }
        }
        if (!bad) {
            memcpy(b.data + b.len, chunk, got);
            b.len += got;
        }
    }
    if (!bad && ferror(f)) {
        fprintf(stderr, "cudasim-rewrite: cannot read %s: %s\n", name,
                strerror(errno));
        bad = 1;
    }
    fclose(f);
    if (bad) {
        free(b.data);
        return NULL;
    }
    if (b.data == NULL && (b.data = malloc(1)) == NULL)
        return NULL;
    *len = b.len;
    return b.data;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: cudasim-rewrite INPUT.cu OUTPUT.cpp\n");
        return 2;
    }
    size_t n = 0;
    char *text = read_input(argv[1], &n);
    if (text == NULL)
        return 2;
    rw_buf out = {0}, msgs = {0};
    int rc = cudasim_rewrite(text, n, argv[1], &out, &msgs);
    free(text);
    if (msgs.len)
        fwrite(msgs.data, 1, msgs.len, stderr);
    free(msgs.data);
    if (rc == RW_OUT_OF_MEMORY) {
        fprintf(stderr, "cudasim-rewrite: out of memory\n");
        free(out.data);
        return 2;
    }
    FILE *f = fopen(argv[2], "wb");
    int bad = f == NULL || fwrite(out.data, 1, out.len, f) != out.len;
    if (f != NULL && fclose(f) != 0)
        bad = 1;
    free(out.data);
    if (bad) {
        fprintf(stderr, "cudasim-rewrite: cannot write %s: %s\n", argv[2],
                strerror(errno));
        return 2;
    }
    return rc == RW_OK ? 0 : 1;
}

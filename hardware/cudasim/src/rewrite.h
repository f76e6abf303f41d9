/* rewrite.h: the source rewriter of the CUDA simulator, as a library (used
 * by cudasim-rewrite, its tests and its fuzzer).
 *
 * cudasim_rewrite() turns one CUDA source file into C++ that g++ compiles
 * against cudasim.h: kernel launches and __shared__ declarations are
 * rewritten (outside comments and literals), every other byte is copied,
 * and every replacement keeps its newlines, so line numbers do not move.
 * It runs in time linear in the input and never truncates what it copies.
 */
#ifndef CUDASIM_REWRITE_H
#define CUDASIM_REWRITE_H

#include <stddef.h>

/* A growable byte buffer, always NUL-terminated once non-empty. */
typedef struct {
    char *data;
    size_t len, cap;
} rw_buf;

/* At most this many messages are written in full; the rest are counted in
 * one closing line. */
enum { RW_MAX_MESSAGES = 20 };

enum {
    RW_OK = 0,      /* everything rewritten */
    RW_REFUSED = 1, /* some construct could not be rewritten: see msgs */
    RW_OUT_OF_MEMORY = 2
};

/* Rewrites src[0..n) (the text of the file `path`, named in #line and in
 * messages). Appends the C++ text to *out and the messages, one per line
 * ("path:line: cudasim-rewrite: ..."), to *msgs. Returns RW_OK,
 * RW_REFUSED or RW_OUT_OF_MEMORY. The caller frees out->data and
 * msgs->data. */
int cudasim_rewrite(const char *src, size_t n, const char *path, rw_buf *out,
                    rw_buf *msgs);

#endif

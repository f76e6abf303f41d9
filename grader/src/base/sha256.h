/* sha256.h: SHA-256 (FIPS 180-4), for content hashes of exercise inputs. */
#ifndef GRADER_SHA256_H
#define GRADER_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t used;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Writes 64 lowercase hex digits and a NUL into hex. */
void sha256_final_hex(sha256_ctx *c, char hex[65]);
/* The hash of a whole file, read in chunks (any size). Returns 0, or -1
 * when it cannot be read: hex is then 64 zeros. */
int sha256_file(const char *path, char hex[65]);

#endif

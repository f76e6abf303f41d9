/* llmt.h: the interface of exercise 08_binary_files (do not edit).
 *
 * The LLMT file format (all integers little-endian):
 *
 *   offset  size       field
 *   0       4          magic: the bytes 'L' 'L' 'M' 'T'
 *   4       4          version: u32, must be 1
 *   8       4          count: u32, the number of values
 *   12      4 * count  values: IEEE 754 float32, little-endian
 *
 * A valid file is exactly 12 + 4 * count bytes long. The format caps the
 * file at UINT32_MAX bytes, so count <= LLMT_MAX_COUNT; a larger count is
 * rejected on its own (in 32-bit arithmetic 4 * count would overflow, e.g.
 * 4 * 0x40000001 == 4, and a 16-byte file would look valid).
 */
#ifndef LLMT_H
#define LLMT_H

#include <stddef.h>
#include <stdint.h>

#define LLMT_HEADER_SIZE 12u
#define LLMT_VERSION 1u
#define LLMT_MAX_COUNT ((UINT32_MAX - LLMT_HEADER_SIZE) / 4u) /* 0x3ffffffc */

/* Results of llmt_write and llmt_open. When llmt_open meets several
 * problems it reports the FIRST in this order of checks. */
enum llmt_status {
    LLMT_OK = 0,
    LLMT_ERR_OPEN = 1,    /* cannot open, or not a regular file */
    LLMT_ERR_SHORT = 2,   /* fewer than 12 bytes: no complete header */
    LLMT_ERR_MAGIC = 3,   /* the first 4 bytes are not "LLMT" */
    LLMT_ERR_VERSION = 4, /* version is not 1 */
    LLMT_ERR_COUNT = 5,   /* count > LLMT_MAX_COUNT */
    LLMT_ERR_SIZE = 6,    /* file size != 12 + 4 * count (too short or long) */
    LLMT_ERR_IO = 7       /* a write, stat or mmap failed */
};

/* An open LLMT file: the whole file mapped read-only in memory. */
typedef struct llmt_file {
    uint32_t version;
    uint32_t count;
    const float *values; /* count floats inside the mapping (right after the
                            header); NULL when not open */
    void *map;           /* start of the mapping; NULL when not open */
    size_t map_len;      /* its length (the file size) */
} llmt_file;

/* Writes count values to a new file at path (replacing any old one) in the
 * LLMT format, byte by byte little-endian whatever the host's byte order.
 * Returns LLMT_OK, or LLMT_ERR_IO when the file cannot be created or
 * written. Never leaves a file descriptor open. */
int llmt_write(const char *path, const float *values, uint32_t count);

/* Opens and validates the file at path, mapping it with mmap (read-only).
 * Never waits (a FIFO is not a regular file: LLMT_ERR_OPEN, at once).
 * Checks, in order: open + regular file (LLMT_ERR_OPEN), size >= 12
 * (LLMT_ERR_SHORT), magic, version, count, exact size; a failing stat or
 * mmap is LLMT_ERR_IO. On success fills *f and returns LLMT_OK; the file
 * descriptor is already closed (the mapping stays valid without it).
 * On any error returns the code, sets *f to all zeros, and leaves nothing
 * open and nothing mapped. */
int llmt_open(const char *path, llmt_file *f);

/* Unmaps an open file and sets *f to all zeros. Harmless on a zeroed
 * llmt_file. */
void llmt_close(llmt_file *f);

#endif

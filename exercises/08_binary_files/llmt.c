/* 08_binary_files: write and validate a binary format, read it via mmap.
 * Edit this file until `make check EX=08_binary_files` passes.
 *
 * Lecture: lectures/01_c_memory.md#binary-files-mmap-and-untrusted-input
 */
#define _POSIX_C_SOURCE 200809L
#include "llmt.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int llmt_write(const char *path, const float *values, uint32_t count)
{
    /* TODO: build the 12-byte header (magic, then version and count as
     * little-endian u32: put each byte with shifts), write it, then each
     * value's 4 bytes (memcpy a float into a uint32_t to get its bits).
     * Check every write, and close the file on every path. */
    (void)path;
    (void)values;
    (void)count;
    return LLMT_OK;
}

int llmt_open(const char *path, llmt_file *f)
{
    /* TODO: open (with O_NONBLOCK, so that a FIFO cannot make you wait),
     * fstat (regular file? size?), mmap the whole file, close the
     * descriptor, then validate the header in the order llmt.h gives.
     * Decode u32s byte by byte (little-endian). Never trust count: compare
     * sizes in 64-bit arithmetic. On an error, munmap what you mapped. */
    (void)path;
    memset(f, 0, sizeof *f);
    return LLMT_OK;
}

void llmt_close(llmt_file *f)
{
    /* TODO: munmap the mapping (if any), then zero *f. */
    memset(f, 0, sizeof *f);
}

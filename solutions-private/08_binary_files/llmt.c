/* 08_binary_files: reference solution. */
#define _POSIX_C_SOURCE 200809L
#include "llmt.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void put_u32le(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Writes all n bytes (write may write fewer than asked). */
static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        const ssize_t w = write(fd, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int llmt_write(const char *path, const float *values, uint32_t count)
{
    const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return LLMT_ERR_IO;
    unsigned char buf[4096];
    memcpy(buf, "LLMT", 4);
    put_u32le(buf + 4, LLMT_VERSION);
    put_u32le(buf + 8, count);
    size_t len = LLMT_HEADER_SIZE;
    int rc = 0;
    for (uint32_t i = 0; i < count && rc == 0; i++) {
        uint32_t bits;
        memcpy(&bits, &values[i], sizeof bits);
        put_u32le(buf + len, bits);
        len += 4;
        if (len + 4 > sizeof buf) { /* flush a full buffer */
            rc = write_all(fd, buf, len);
            len = 0;
        }
    }
    if (rc == 0)
        rc = write_all(fd, buf, len);
    if (close(fd) != 0)
        rc = -1;
    return rc == 0 ? LLMT_OK : LLMT_ERR_IO;
}

/* Validates a mapped file of len bytes (len >= 12). */
static int validate(const unsigned char *p, size_t len, uint32_t *count)
{
    if (memcmp(p, "LLMT", 4) != 0)
        return LLMT_ERR_MAGIC;
    if (get_u32le(p + 4) != LLMT_VERSION)
        return LLMT_ERR_VERSION;
    *count = get_u32le(p + 8);
    if (*count > LLMT_MAX_COUNT)
        return LLMT_ERR_COUNT;
    /* 64-bit arithmetic: 4 * count cannot wrap here. */
    if ((uint64_t)len != LLMT_HEADER_SIZE + 4 * (uint64_t)*count)
        return LLMT_ERR_SIZE;
    return LLMT_OK;
}

int llmt_open(const char *path, llmt_file *f)
{
    memset(f, 0, sizeof *f);
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer; it changes nothing for the regular files mapped below. */
    const int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return LLMT_ERR_OPEN;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return LLMT_ERR_IO;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return LLMT_ERR_OPEN;
    }
    const size_t len = (size_t)st.st_size;
    if (len < LLMT_HEADER_SIZE) {
        close(fd);
        return LLMT_ERR_SHORT;
    }
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd); /* the mapping keeps the file alive */
    if (map == MAP_FAILED)
        return LLMT_ERR_IO;
    uint32_t count = 0;
    const int rc = validate(map, len, &count);
    if (rc != LLMT_OK) {
        munmap(map, len);
        return rc;
    }
    f->version = LLMT_VERSION;
    f->count = count;
    /* The mapping is page-aligned, so offset 12 is aligned for a float.
     * Reading the values in place assumes a little-endian host. */
    f->values = (const float *)((const unsigned char *)map + LLMT_HEADER_SIZE);
    f->map = map;
    f->map_len = len;
    return LLMT_OK;
}

void llmt_close(llmt_file *f)
{
    if (f->map != NULL)
        munmap(f->map, f->map_len);
    memset(f, 0, sizeof *f);
}

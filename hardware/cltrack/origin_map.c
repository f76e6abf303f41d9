/* origin_map.c: see origin_map.h. The arena is reserved once (no access,
 * no swap reserved) and handed out page by page; freed pages go back to
 * the kernel but their addresses are not reused. Its first allocation is
 * at guarded_base(). */
#define _GNU_SOURCE
#include "origin_map.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* At a fixed address, so no pointer to it lives in writable memory. */
#define ARENA_BASE ((uintptr_t)0x300000000000ull)
#define ARENA_BYTES ((size_t)1 << 36)

static unsigned char *arena;
static size_t used; /* bytes handed out, a multiple of the page size */
static int writable;

int guarded_init(void)
{
    void *m =
        mmap((void *)ARENA_BASE, ARENA_BYTES, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (m != (void *)ARENA_BASE)
        return -1;
    arena = m;
    return 0;
}

static size_t page_round(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (n + page - 1) / page * page;
}

void *guarded_base(void)
{
    return (void *)ARENA_BASE;
}

void *guarded_alloc(size_t n)
{
    size_t len = page_round(n ? n : 1);
    if (arena == NULL || len > ARENA_BYTES - used)
        return NULL;
    unsigned char *p = arena + used;
    if (mprotect(p, len, writable ? PROT_READ | PROT_WRITE : PROT_READ) != 0)
        return NULL;
    used += len;
    return p;
}

void guarded_free(void *p, size_t n)
{
    if (p != NULL)
        madvise(p, page_round(n ? n : 1), MADV_DONTNEED);
}

void guarded_open(void)
{
    if (used > 0)
        mprotect(arena, used, PROT_READ | PROT_WRITE);
    writable = 1;
}

void guarded_close(void)
{
    if (used > 0)
        mprotect(arena, used, PROT_READ);
    writable = 0;
}

void origin_set(unsigned char *map, size_t n, enum byte_origin origin)
{
    memset(map, (int)origin, n);
}

/* The end (exclusive, at most n) of the 4-byte word of the buffer that
 * map[i] is in. Maps start page-aligned at their buffer's start, so the
 * map's address gives the word's place in the buffer. */
static size_t word_end(const unsigned char *map, size_t i, size_t n)
{
    size_t end = i + ORIGIN_WORD - ((uintptr_t)(map + i) % ORIGIN_WORD);
    return end < n ? end : n;
}

static int all_zero(const unsigned char *bytes, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if (bytes[i] != 0)
            return 0;
    return 1;
}

/* What a word the host wrote becomes: nothing when it holds zeros (an
 * output cleared before a kernel fills it), else the host's. */
static unsigned char host_word(const unsigned char *bytes, size_t lo, size_t hi)
{
    return all_zero(bytes, lo, hi) ? ORIGIN_NONE : ORIGIN_HOST;
}

void origin_set_written(unsigned char *map, const unsigned char *bytes,
                        size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t end = word_end(map, i, n);
        memset(map + i, host_word(bytes, i, end), end - i);
        i = end;
    }
}

void origin_mark_changed(unsigned char *map, const unsigned char *before,
                         const unsigned char *after, size_t n,
                         enum byte_origin origin)
{
    for (size_t i = 0; i < n;) {
        size_t end = word_end(map, i, n);
        if (memcmp(before + i, after + i, end - i) != 0) {
            unsigned char o = origin == ORIGIN_HOST ? host_word(after, i, end)
                                                    : (unsigned char)origin;
            memset(map + i, o, end - i);
        }
        i = end;
    }
}

void origin_count_changed(const unsigned char *map, const unsigned char *before,
                          const unsigned char *after, size_t n,
                          uint64_t *kernel, uint64_t *host)
{
    for (size_t i = 0; i < n; i++) {
        *kernel += before[i] != after[i] && map[i] == ORIGIN_KERNEL;
        *host += before[i] != after[i] && map[i] == ORIGIN_HOST;
    }
}

void origin_count(const unsigned char *map, size_t n, uint64_t *kernel,
                  uint64_t *host)
{
    for (size_t i = 0; i < n; i++) {
        *kernel += map[i] == ORIGIN_KERNEL;
        *host += map[i] == ORIGIN_HOST;
    }
}

static int all_kernel(const unsigned char *map, size_t i)
{
    for (size_t b = i; b < i + ORIGIN_WORD; b++)
        if (map[b] != ORIGIN_KERNEL)
            return 0;
    return 1;
}

size_t origin_kernel_words(const unsigned char *map, uint64_t at,
                           const unsigned char *bytes,
                           const unsigned char *before, size_t n,
                           uint32_t *words)
{
    size_t count = 0;
    size_t first = (size_t)((ORIGIN_WORD - at % ORIGIN_WORD) % ORIGIN_WORD);
    for (size_t i = first; i + ORIGIN_WORD <= n; i += ORIGIN_WORD) {
        if (!all_kernel(map, i))
            continue;
        if (before != NULL && memcmp(before + i, bytes + i, ORIGIN_WORD) == 0)
            continue;
        memcpy(&words[count++], bytes + i, ORIGIN_WORD);
    }
    return count;
}

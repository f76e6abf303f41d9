/* origin_map.h: who wrote each byte of the device process's buffers (none,
 * the host, a kernel), kept in guarded memory.
 *
 * Guarded memory is an arena of the device process that is read-only
 * except while the device process itself updates its bookkeeping (between
 * guarded_open and guarded_close; never while a kernel runs), so a kernel's
 * out-of-bounds store cannot change an origin, the object table or the
 * totals. Only the device process uses this file. */
#ifndef CLTRACK_ORIGIN_MAP_H
#define CLTRACK_ORIGIN_MAP_H

#include <stddef.h>
#include <stdint.h>

enum byte_origin { ORIGIN_NONE, ORIGIN_HOST, ORIGIN_KERNEL };

/* Reserves the arena; 0, or -1 when the address space is short. */
int guarded_init(void);
/* Where the first guarded_alloc's bytes are: a constant. */
void *guarded_base(void);
/* n bytes of zeros (page-aligned) in the arena, or NULL when it is full;
 * writable only while open. guarded_free gives the pages back. */
void *guarded_alloc(size_t n);
void guarded_free(void *p, size_t n);
/* Writable / read-only, the whole arena. */
void guarded_open(void);
void guarded_close(void);

/* Origins are kept per byte but decided per 4-byte word of the buffer: a
 * kernel's store of a float whose bytes partly equal the old ones (a zero
 * byte, a shared exponent) changes the whole word. */
enum { ORIGIN_WORD = 4 };

/* map[0..n) = origin. */
void origin_set(unsigned char *map, size_t n, enum byte_origin origin);
/* The host wrote bytes[0..n) there: its words become the host's, except
 * those of zeros, which hold no result (as a fill with zeros). */
void origin_set_written(unsigned char *map, const unsigned char *bytes,
                        size_t n);
/* Words where before and after differ become `origin` (a kernel that
 * changed them, a host that changed a mapped region: then a word changed
 * to zeros becomes nobody's, as in origin_set_written). */
void origin_mark_changed(unsigned char *map, const unsigned char *before,
                         const unsigned char *after, size_t n,
                         enum byte_origin origin);
/* Adds the bytes of kernel and of host origin among map[0..n) where
 * before and after differ. */
void origin_count_changed(const unsigned char *map, const unsigned char *before,
                          const unsigned char *after, size_t n,
                          uint64_t *kernel, uint64_t *host);
/* Adds the bytes of kernel and of host origin among map[0..n). */
void origin_count(const unsigned char *map, size_t n, uint64_t *kernel,
                  uint64_t *host);
/* The whole kernel-written words among map[0..n) (map[0] is byte `at` of
 * its buffer; words are aligned to ORIGIN_WORD there, all of their bytes
 * of kernel origin and inside [0, n)), read from bytes[0..n), into
 * words[] (room for n / ORIGIN_WORD + 1); with before non-NULL only the
 * words that differ from before[0..n). Returns how many. */
size_t origin_kernel_words(const unsigned char *map, uint64_t at,
                           const unsigned char *bytes,
                           const unsigned char *before, size_t n,
                           uint32_t *words);

#endif

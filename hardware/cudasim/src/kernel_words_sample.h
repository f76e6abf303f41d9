/* kernel_words_sample.h: the device report's "kernel_words_sample", a
 * bottom-k sketch of the 4-byte words a kernel wrote that were copied back
 * to the host (hardware/cudasim/README.md, "Device process").
 *
 * Judge mode checks that the values a test observed are among them, so a
 * result computed on the host next to a decoy kernel is caught. The sample
 * keeps the distinct word values with the KWS_K smallest lowbias32 hashes,
 * sorted by hash ascending: with fewer than KWS_K entries it holds every
 * distinct word added; with KWS_K, every word added whose hash is <= the
 * last entry's. lowbias32 is a bijection, so distinct words never tie.
 *
 * Plain C, header only: the CUDA simulator (C++) and cltrack (C) both keep
 * one inside their shared report page and must agree bit for bit. */
#ifndef CUDASIM_KERNEL_WORDS_SAMPLE_H
#define CUDASIM_KERNEL_WORDS_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#define KWS_K 256

typedef struct {
    uint32_t count;
    uint32_t words[KWS_K]; /* sorted by kws_hash ascending */
} kernel_words_sample;

static inline uint32_t kws_hash(uint32_t w)
{
    w ^= w >> 16;
    w *= 0x7feb352dU;
    w ^= w >> 15;
    w *= 0x846ca68bU;
    w ^= w >> 16;
    return w;
}

/* Adds one word (a no-op when it is present or its hash is too large). */
static inline void kws_add(kernel_words_sample *s, uint32_t w)
{
    uint32_t h = kws_hash(w);
    if (s->count == KWS_K && h > kws_hash(s->words[KWS_K - 1]))
        return;
    uint32_t lo = 0, hi = s->count; /* first entry whose hash is >= h */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (kws_hash(s->words[mid]) < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->count && s->words[lo] == w)
        return;
    uint32_t last = s->count < KWS_K ? s->count : KWS_K - 1;
    for (uint32_t i = last; i > lo; i--)
        s->words[i] = s->words[i - 1];
    s->words[lo] = w;
    if (s->count < KWS_K)
        s->count++;
}

#endif

/* result_origin.cpp: see result_origin.h. */
#include "result_origin.h"

#include "device_process.h"
#include "runtime_internal.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace cudasim
{
namespace origin
{
namespace
{

enum Writer : uint8_t { kNone = 0, kHost = 1, kKernel = 2 };
constexpr size_t kWord = 4;
constexpr size_t kChunk = 4096; /* compared whole first: most are unchanged */

struct Track {
    const char *ptr;
    size_t size;
    bool managed;
    std::vector<char> seen;      /* the contents at the last look */
    std::vector<uint8_t> writer; /* per word */
};

std::vector<Track> g_tracks;
unsigned long long g_kernel_bytes, g_host_bytes;

Track *track_of(const char *p)
{
    for (Track &t : g_tracks)
        if (p >= t.ptr && p < t.ptr + t.size)
            return &t;
    return nullptr;
}

bool word_is_zero(const Track &t, size_t w)
{
    size_t end = (w + 1) * kWord < t.size ? (w + 1) * kWord : t.size;
    for (size_t i = w * kWord; i < end; i++)
        if (t.ptr[i] != 0)
            return false;
    return true;
}

/* A host write leaves a word host-written, or nobody's when it is zero. */
uint8_t host_writer(const Track &t, size_t w)
{
    return word_is_zero(t, w) ? kNone : kHost;
}

/* Words of t that changed since the last look get `by` as their writer. */
void look(Track &t, Writer by)
{
    for (size_t c = 0; c < t.size; c += kChunk) {
        size_t len = t.size - c < kChunk ? t.size - c : kChunk;
        if (memcmp(t.ptr + c, t.seen.data() + c, len) == 0)
            continue;
        for (size_t w = c / kWord; w * kWord < c + len; w++) {
            size_t at = w * kWord;
            size_t n = t.size - at < kWord ? t.size - at : kWord;
            if (memcmp(t.ptr + at, t.seen.data() + at, n) == 0)
                continue;
            t.writer[w] = by == kKernel ? uint8_t{kKernel} : host_writer(t, w);
        }
        memcpy(t.seen.data() + c, t.ptr + c, len);
    }
}

void look_all(Writer by)
{
    for (Track &t : g_tracks)
        look(t, by);
}

/* Bytes of t's kernel-written words: what host code may read of a managed
 * buffer without a copy. */
unsigned long long kernel_bytes_of(const Track &t)
{
    unsigned long long n = 0;
    for (size_t w = 0; w < t.writer.size(); w++)
        if (t.writer[w] == kKernel)
            n += t.size - w * kWord < kWord ? t.size - w * kWord : kWord;
    return n;
}

} /* namespace */

void on_malloc(const char *ptr, size_t size, bool managed)
{
    Track t{ptr, size, managed, std::vector<char>(ptr, ptr + size),
            std::vector<uint8_t>((size + kWord - 1) / kWord, kNone)};
    g_tracks.push_back(std::move(t));
}

void on_free(const char *ptr)
{
    for (size_t i = 0; i < g_tracks.size(); i++) {
        if (g_tracks[i].ptr != ptr)
            continue;
        if (g_tracks[i].managed)
            g_kernel_bytes += kernel_bytes_of(g_tracks[i]);
        g_tracks.erase(g_tracks.begin() + (long)i);
        return;
    }
}

void sync_host_writes()
{
    look_all(kHost);
}

void host_wrote(const char *p, size_t n)
{
    look_all(kHost);
    Track *t = track_of(p);
    if (t == nullptr || n == 0)
        return;
    size_t off = (size_t)(p - t->ptr);
    for (size_t w = off / kWord; w * kWord < off + n; w++)
        t->writer[w] = host_writer(*t, w); /* also where nothing changed */
}

void device_copied(const char *dst, const char *src, size_t n)
{
    Track *d = track_of(dst), *s = track_of(src);
    if (d == nullptr || s == nullptr || n == 0)
        return;
    size_t doff = (size_t)(dst - d->ptr), soff = (size_t)(src - s->ptr);
    for (size_t w = doff / kWord; w * kWord < doff + n; w++) {
        /* the source bytes that landed in this word: host's beats kernel's */
        size_t lo = w * kWord > doff ? w * kWord - doff : 0;
        size_t hi = (w + 1) * kWord - doff < n ? (w + 1) * kWord - doff : n;
        uint8_t by = kNone;
        for (size_t sw = (soff + lo) / kWord; sw * kWord < soff + hi; sw++)
            if (s->writer[sw] == kHost || (s->writer[sw] == kKernel && !by))
                by = s->writer[sw];
        d->writer[w] = by;
    }
    memcpy(d->seen.data() + doff, dst, n);
}

void launch_begin()
{
    look_all(kHost);
}

void launch_end()
{
    look_all(kKernel);
}

void copied_to_host(const char *p, size_t n)
{
    look_all(kHost);
    const Track *t = track_of(p);
    if (t == nullptr)
        return;
    size_t off = (size_t)(p - t->ptr);
    unsigned long long kernel = 0, host = 0;
    std::vector<uint32_t> words; /* whole kernel-written words copied */
    for (size_t w = off / kWord; w * kWord < off + n; w++) {
        size_t lo = w * kWord > off ? w * kWord : off;
        size_t hi = (w + 1) * kWord < off + n ? (w + 1) * kWord : off + n;
        if (t->writer[w] == kKernel)
            kernel += hi - lo;
        else if (t->writer[w] == kHost)
            host += hi - lo;
        if (t->writer[w] == kKernel && hi - lo == kWord) {
            uint32_t v;
            memcpy(&v, t->ptr + w * kWord, kWord);
            words.push_back(v);
        }
    }
    g_kernel_bytes += kernel;
    g_host_bytes += host;
    remote::life_add_origin(kernel, host, words.data(), words.size());
}

} /* namespace origin */
} /* namespace cudasim */

/* The totals of this process so far (see result_origin.h); kernel-written
 * bytes of live managed buffers count as copied back. Returns 1 (the
 * harness looks this symbol up; cltrack has its own for OpenCL). */
extern "C" int llmlings_gpu_origin(unsigned long long *kernel_bytes,
                                   unsigned long long *host_bytes)
{
    using namespace cudasim::origin;
    if (cudasim::remote::active()) {
        cudasim::remote::gpu_origin(kernel_bytes, host_bytes);
        return 1;
    }
    cudasim::refuse_in_kernel("llmlings_gpu_origin");
    unsigned long long managed = 0;
    for (const Track &t : g_tracks)
        if (t.managed)
            managed += kernel_bytes_of(t);
    *kernel_bytes = g_kernel_bytes + managed;
    *host_bytes = g_host_bytes;
    return 1;
}

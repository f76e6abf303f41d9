/* device_heap.cpp: see device_heap.h. First fit over the free blocks,
 * neighbours merged when freed; every block 16-byte aligned, as CUDA's. */
#include "device_heap.h"

#include "device_fault.h"
#include "device_process.h"
#include "runtime_internal.h"

#include <cstdlib>
#include <cstring>
#include <iterator>
#include <malloc.h>
#include <map>
#include <new>
#include <set>
#include <sys/mman.h>
#include <unistd.h>

namespace cudasim
{
namespace heap
{
namespace
{

constexpr size_t kGrain = 16;

char *g_map; /* guard page, kHeapBytes, guard page */
size_t g_map_len;
uintptr_t g_lo;                      /* the first byte of the heap */
std::map<uintptr_t, size_t> *g_free; /* start -> bytes */
std::map<uintptr_t, size_t> *g_used; /* start -> bytes */
std::set<uintptr_t> *g_freed;        /* starts freed and not handed out again */

bool ensure()
{
    if (g_map != nullptr)
        return true;
    size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = kHeapBytes + 2 * ps;
    void *m = remote::g_device
                  ? remote::map_device(len)
                  : mmap(nullptr, len, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == nullptr || m == MAP_FAILED)
        return false;
    g_map = static_cast<char *>(m);
    g_map_len = len;
    mprotect(g_map, ps, PROT_NONE);
    mprotect(g_map + len - ps, ps, PROT_NONE);
    g_lo = reinterpret_cast<uintptr_t>(g_map + ps);
    g_free = new std::map<uintptr_t, size_t>{{g_lo, kHeapBytes}};
    g_used = new std::map<uintptr_t, size_t>;
    g_freed = new std::set<uintptr_t>;
    return true;
}

/* Bytes of the heap for n bytes at alignment align (a power of two), or
 * nullptr when no free block holds them (as on a GPU: the heap is full). */
void *take(size_t n, size_t align)
{
    if (!ensure() || n > kHeapBytes || align > 4096)
        return nullptr;
    if (align < kGrain)
        align = kGrain;
    size_t need = n == 0 ? kGrain : (n + kGrain - 1) / kGrain * kGrain;
    for (auto it = g_free->begin(); it != g_free->end(); ++it) {
        uintptr_t start = it->first, len = it->second;
        uintptr_t at = (start + align - 1) & ~(uintptr_t)(align - 1);
        if (at - start + need > len)
            continue;
        g_free->erase(it);
        if (at > start)
            (*g_free)[start] = at - start;
        if (at + need < start + len)
            (*g_free)[at + need] = start + len - (at + need);
        (*g_used)[at] = need;
        g_freed->erase(at);
        return reinterpret_cast<void *>(at);
    }
    return nullptr;
}

/* The used block that starts at p, or stops the kernel (what: the call,
 * for the message). */
std::map<uintptr_t, size_t>::iterator used_block(void *p, const char *what)
{
    uintptr_t a = reinterpret_cast<uintptr_t>(p);
    if (g_used != nullptr) {
        auto it = g_used->find(a);
        if (it != g_used->end())
            return it;
    }
    bool twice = g_freed != nullptr && g_freed->count(a) != 0;
    device_fault("%s(%p) in a kernel: %s", what, p,
                 twice ? "that memory was already freed (a double free)"
                       : "not a pointer that malloc or new in a kernel "
                         "returned (kernel code may free only memory from "
                         "device-side malloc or new, at its start)");
}

/* Gives back the block at p (nothing for NULL); stops the kernel when p
 * is no block of the heap. */
void give_back(void *p, const char *what)
{
    if (p == nullptr)
        return;
    auto it = used_block(p, what);
    uintptr_t start = it->first, len = it->second;
    g_used->erase(it);
    g_freed->insert(start);
    auto next = g_free->lower_bound(start);
    if (next != g_free->end() && next->first == start + len) {
        len += next->second;
        next = g_free->erase(next);
    }
    if (next != g_free->begin()) {
        auto prev = std::prev(next);
        if (prev->first + prev->second == start) {
            start = prev->first;
            len += prev->second;
            g_free->erase(prev);
        }
    }
    (*g_free)[start] = len;
}

} /* namespace */

void region(uintptr_t *lo, size_t *len)
{
    bool ok = ensure();
    *lo = ok ? g_lo : 0;
    *len = ok ? kHeapBytes : 0;
}

void reset()
{
    if (g_map == nullptr)
        return;
    g_free->clear();
    (*g_free)[g_lo] = kHeapBytes;
    g_used->clear();
    g_freed->clear();
    /* fresh zero pages, as a new context's heap */
    madvise(reinterpret_cast<void *>(g_lo), kHeapBytes, MADV_DONTNEED);
}

} /* namespace heap */
} /* namespace cudasim */

/* ---- the entry points the student's objects call (cudasim-cc --judge) --- */

using cudasim::heap::give_back;
using cudasim::heap::take;
using cudasim::heap::used_block;

extern "C" {

void *__device_heap_malloc(size_t n)
{
    return cudasim_in_kernel ? take(n, 16) : malloc(n);
}

void *__device_heap_calloc(size_t count, size_t n)
{
    if (!cudasim_in_kernel)
        return calloc(count, n);
    if (n != 0 && count > (size_t)-1 / n)
        return nullptr;
    void *p = take(count * n, 16);
    if (p)
        memset(p, 0, count * n);
    return p;
}

void __device_heap_free(void *p)
{
    if (cudasim_in_kernel)
        give_back(p, "free");
    else
        free(p);
}

void *__device_heap_realloc(void *p, size_t n)
{
    if (!cudasim_in_kernel)
        return realloc(p, n);
    if (p == nullptr)
        return take(n, 16);
    size_t old = used_block(p, "realloc")->second;
    void *q = take(n, 16);
    if (q == nullptr)
        return nullptr;
    memcpy(q, p, old < n ? old : n);
    give_back(p, "realloc");
    return q;
}

void *__device_heap_aligned_alloc(size_t align, size_t n)
{
    return cudasim_in_kernel ? take(n, align) : aligned_alloc(align, n);
}

void *__device_heap_memalign(size_t align, size_t n)
{
    return cudasim_in_kernel ? take(n, align) : memalign(align, n);
}

int __device_heap_posix_memalign(void **out, size_t align, size_t n)
{
    if (!cudasim_in_kernel)
        return posix_memalign(out, align, n);
    *out = take(n, align);
    return *out ? 0 : 12; /* ENOMEM */
}

/* operator new and delete (mangled names): on a GPU they return NULL when
 * the heap is full, as malloc does; never throw in a kernel. */
void *__device_heap__Znwm(size_t n)
{
    return cudasim_in_kernel ? take(n, 16) : ::operator new(n);
}
void *__device_heap__Znam(size_t n)
{
    return cudasim_in_kernel ? take(n, 16) : ::operator new[](n);
}
void *__device_heap__ZnwmRKSt9nothrow_t(size_t n, const std::nothrow_t &t)
{
    return cudasim_in_kernel ? take(n, 16) : ::operator new(n, t);
}
void *__device_heap__ZnamRKSt9nothrow_t(size_t n, const std::nothrow_t &t)
{
    return cudasim_in_kernel ? take(n, 16) : ::operator new[](n, t);
}
void *__device_heap__ZnwmSt11align_val_t(size_t n, std::align_val_t a)
{
    return cudasim_in_kernel ? take(n, (size_t)a) : ::operator new(n, a);
}
void *__device_heap__ZnamSt11align_val_t(size_t n, std::align_val_t a)
{
    return cudasim_in_kernel ? take(n, (size_t)a) : ::operator new[](n, a);
}
void __device_heap__ZdlPv(void *p)
{
    cudasim_in_kernel ? give_back(p, "delete") : ::operator delete(p);
}
void __device_heap__ZdaPv(void *p)
{
    cudasim_in_kernel ? give_back(p, "delete[]") : ::operator delete[](p);
}
void __device_heap__ZdlPvm(void *p, size_t n)
{
    cudasim_in_kernel ? give_back(p, "delete") : ::operator delete(p, n);
}
void __device_heap__ZdaPvm(void *p, size_t n)
{
    cudasim_in_kernel ? give_back(p, "delete[]") : ::operator delete[](p, n);
}
void __device_heap__ZdlPvSt11align_val_t(void *p, std::align_val_t a)
{
    cudasim_in_kernel ? give_back(p, "delete") : ::operator delete(p, a);
}
void __device_heap__ZdaPvSt11align_val_t(void *p, std::align_val_t a)
{
    cudasim_in_kernel ? give_back(p, "delete[]") : ::operator delete[](p, a);
}
void __device_heap__ZdlPvmSt11align_val_t(void *p, size_t n, std::align_val_t a)
{
    cudasim_in_kernel ? give_back(p, "delete") : ::operator delete(p, n, a);
}
void __device_heap__ZdaPvmSt11align_val_t(void *p, size_t n, std::align_val_t a)
{
    cudasim_in_kernel ? give_back(p, "delete[]") : ::operator delete[](p, n, a);
}

} /* extern "C" */

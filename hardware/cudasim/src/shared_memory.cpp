/* shared_memory.cpp: see shared_memory.h.
 *
 * The region: [guard][dynamic][guard][var 0][guard][var 1][guard]...
 * Each slot is whole pages ending at a guard page, with the variable placed
 * at the end of its pages (its alignment permitting, which a variable's own
 * size always does). Page protections are changed only when a block places
 * its variables differently from the block before, so a steady grid costs
 * no system calls per block.
 */
#include "shared_memory.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace cudasim
{
namespace shmem
{
namespace
{

/* Variables per kernel the region has room for, each with its guard. */
constexpr size_t kMaxVariables = 256;

struct Slot {
    char *data;  /* first page of the slot */
    char *guard; /* the guard page after it */
    char *ptr;   /* the variable: ends at guard (alignment permitting) */
    size_t size;
    const char *name, *type, *file;
    int line;
};

size_t g_page;
char *g_region;
size_t g_region_len;
std::vector<unsigned char> g_page_rw; /* per page: 1 when readable */
Slot g_dyn;
std::vector<Slot> g_vars; /* the running block's static variables */
char *g_cursor;           /* where the next slot starts */
size_t g_used;            /* static bytes, as a GPU counts them */

size_t round_up(size_t v, size_t a)
{
    return (v + a - 1) / a * a;
}

void reserve()
{
    if (g_region != nullptr)
        return;
    g_page = (size_t)sysconf(_SC_PAGESIZE);
    g_region_len = g_page + round_up(kLimit, g_page) + g_page +
                   kMaxVariables * 2 * g_page + round_up(kLimit, g_page);
    void *m = mmap(nullptr, g_region_len, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        perror("cudasim: mmap of shared memory");
        abort();
    }
    g_region = static_cast<char *>(m);
    g_page_rw.assign(g_region_len / g_page, 0);
}

/* Makes pages [from, to) readable or not, changing only what differs. */
void protect(char *from, char *to, bool rw)
{
    size_t a = (size_t)(from - g_region) / g_page;
    size_t b = (size_t)(to - g_region) / g_page;
    for (size_t p = a; p < b;) {
        if (g_page_rw[p] == rw) {
            p++;
            continue;
        }
        size_t q = p;
        while (q < b && g_page_rw[q] != rw)
            g_page_rw[q++] = rw;
        mprotect(g_region + p * g_page, (q - p) * g_page,
                 rw ? PROT_READ | PROT_WRITE : PROT_NONE);
        p = q;
    }
}

/* A slot of whole pages for size bytes at g_cursor, guard page after. */
Slot make_slot(size_t size, size_t align)
{
    size_t pages = std::max<size_t>(1, round_up(size, g_page) / g_page);
    Slot s{};
    s.data = g_cursor;
    s.guard = g_cursor + pages * g_page;
    uintptr_t p = reinterpret_cast<uintptr_t>(s.guard) - size;
    s.ptr = reinterpret_cast<char *>(p & ~(uintptr_t)(align - 1));
    s.size = size;
    protect(s.data, s.guard, true);
    protect(s.guard, s.guard + g_page, false);
    g_cursor = s.guard + g_page;
    return s;
}

size_t power_of_two_at_least(size_t v)
{
    size_t p = 1;
    while (p < v && p < 4096)
        p *= 2;
    return p;
}

/* The slot whose pages (guard and unused pages after it included) hold
 * addr: the last slot starting at or before it. */
const Slot *slot_of(const char *addr)
{
    const Slot *best = addr >= g_dyn.data ? &g_dyn : nullptr;
    for (const Slot &s : g_vars)
        if (addr >= s.data && (best == nullptr || s.data > best->data))
            best = &s;
    return best;
}

} /* namespace */

void launch_begin(size_t dyn_bytes)
{
    reserve();
    g_cursor = g_region + g_page; /* after the leading guard */
    g_dyn = make_slot(dyn_bytes, 16);
    g_dyn.name = "dynamic shared memory";
    g_vars.clear();
    g_used = 0;
}

void block_begin()
{
    g_cursor = g_dyn.guard + g_page;
    g_vars.clear();
    g_used = 0;
}

void *place(size_t size, size_t align, const char *name, const char *type,
            const char *file, int line, char *why, size_t cap)
{
    align = power_of_two_at_least(std::max<size_t>(align, 1));
    size_t used = round_up(g_used, align) + size;
    if (size > kLimit || used + g_dyn.size > kLimit) {
        snprintf(why, cap,
                 "__shared__ %s %s (%zu bytes, declared at %s:%d) does not "
                 "fit: a block has %zu bytes of shared memory, %zu of them "
                 "already used by other __shared__ variables and %zu "
                 "requested as dynamic shared memory at launch",
                 type, name, size, file, line, kLimit, g_used, g_dyn.size);
        return nullptr;
    }
    size_t pages = std::max<size_t>(1, round_up(size, g_page) / g_page) + 1;
    if (g_cursor + pages * g_page > g_region + g_region_len) {
        snprintf(why, cap,
                 "__shared__ %s %s (declared at %s:%d): the simulator places "
                 "at most %zu __shared__ variables per block",
                 type, name, file, line, kMaxVariables);
        return nullptr;
    }
    g_used = used;
    Slot s = make_slot(size, align);
    s.name = name;
    s.type = type;
    s.file = file;
    s.line = line;
    g_vars.push_back(s);
    return s.ptr;
}

void *dynamic()
{
    return g_dyn.ptr;
}

size_t dynamic_size()
{
    return g_dyn.size;
}

size_t bytes_used()
{
    return g_used + g_dyn.size;
}

bool describe_fault(const char *addr, bool write, char *out, size_t cap)
{
    if (g_region == nullptr || addr < g_region ||
        addr >= g_region + g_region_len)
        return false;
    const char *rw = write ? "write" : "read";
    const Slot *s = slot_of(addr);
    if (s == nullptr) {
        snprintf(out, cap,
                 "out-of-bounds %s of dynamic shared memory at %p: %zu bytes "
                 "before its start (negative index?)",
                 rw, (const void *)addr, (size_t)(g_dyn.ptr - addr));
    } else if (s == &g_dyn) {
        snprintf(out, cap,
                 "out-of-bounds %s of dynamic shared memory at %p: byte "
                 "offset %zu, but the launch requested only %zu bytes (the "
                 "third <<<>>> argument is a size in bytes)",
                 rw, (const void *)addr, (size_t)(addr - s->ptr), s->size);
    } else {
        snprintf(out, cap,
                 "out-of-bounds %s past the end of __shared__ %s (%s, %zu "
                 "bytes, declared at %s:%d): byte offset %zu (valid offsets "
                 "are 0..%zu; index too large?)",
                 rw, s->name, s->type, s->size, s->file, s->line,
                 (size_t)(addr - s->ptr), s->size ? s->size - 1 : 0);
    }
    return true;
}

bool describe(const char *addr, char *out, size_t cap)
{
    if (g_dyn.ptr && addr >= g_dyn.ptr && addr < g_dyn.ptr + g_dyn.size) {
        snprintf(out, cap,
                 "byte offset %zu of the dynamic shared memory (extern "
                 "__shared__, %zu bytes)",
                 (size_t)(addr - g_dyn.ptr), g_dyn.size);
        return true;
    }
    for (const Slot &s : g_vars)
        if (addr >= s.ptr && addr < s.ptr + s.size) {
            snprintf(out, cap,
                     "byte offset %zu of __shared__ %s (%s, %zu bytes, "
                     "declared at %s:%d)",
                     (size_t)(addr - s.ptr), s.name, s.type, s.size, s.file,
                     s.line);
            return true;
        }
    return false;
}

const char *region_begin()
{
    return g_region;
}

const char *region_end()
{
    return g_region + g_region_len;
}

} /* namespace shmem */
} /* namespace cudasim */

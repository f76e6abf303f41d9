/* race_tier.cpp: the race tier's data-race detector (libcudasim_tsan).
 *
 * Two accesses to the same byte race when at least one writes, they are
 * not both atomic, they come from different simulated threads, and CUDA
 * orders neither before the other. Within one launch, CUDA orders:
 *   - the accesses of one thread, in program order;
 *   - accesses of one block on either side of a __syncthreads(): no thread
 *     leaves barrier k before every thread of its block has arrived at it,
 *     so whatever a thread did before barrier k comes before whatever any
 *     thread of the block does after it ("intervals" below);
 *   - accesses of lanes of one warp on either side of a warp operation that
 *     names both lanes (__syncwarp, shuffles, votes): per-lane vector clocks
 *     over the 32 lanes of a warp;
 *   - nothing between blocks (relaxed atomics and fences order nothing).
 * Launches are ordered by the host, so the history starts afresh with each
 * launch, and a block's shared memory is new memory for every block.
 *
 * The history of each 8-byte granule is up to kSlots accesses (which bytes,
 * who, when, where in the code). A write forgets the accesses ordered before
 * it and a read forgets the reads ordered before it: any later access that
 * races with a forgotten one also races with the one that made it
 * forgettable, so nothing is lost while the history fits. Only a byte read
 * by more than kSlots threads that are not ordered among themselves (a
 * broadcast read) loses the oldest of those reads; reads of distinct warps
 * and blocks are kept in preference, so a write racing with them is still
 * seen. Whether a race is found thus does not depend on the order the
 * simulator runs the threads in.
 *
 * A race is reported in ThreadSanitizer's format (the grader and tools read
 * it), with the simulated threads' names, the source lines of both accesses
 * and what the memory is. TSAN_OPTIONS's halt_on_error and exitcode are
 * honoured as ThreadSanitizer does.
 */
#include "race_tier.h"

#include "memory_check.h"
#include "race_hooks.h"
#include "shared_memory.h"
#include "symbolize.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>
#include <vector>

/* tsan_abi.cpp: the instrumentation entry points (see there). */
extern "C" const int cudasim_tsan_abi_linked;

namespace cudasim
{
namespace race
{

bool g_active;

namespace
{

/* ---- the history of a granule -------------------------------------------
 */

constexpr size_t kGranule = 8;
constexpr int kSlots = 6;
constexpr uint32_t kUnknownPc = 0xffffffffu;

struct Access {
    uint32_t block;  /* block sequence number in the launch, from 1; 0: free */
    uint16_t thread; /* linear thread index in the block */
    uint8_t mask;    /* bytes of the granule */
    uint8_t kind;    /* kWrite, kAtomic */
    uint32_t interval; /* __syncthreads() the block had completed */
    uint32_t epoch;    /* the thread's own warp clock */
    uint32_t pc;       /* code offset from g_pc_base */
    uint32_t size;     /* bytes of the whole access, for reports */
};

struct Cell {
    Access a[kSlots];
};

/* ---- shadow memory: a Cell per granule, for the pages a launch touches -- */

constexpr size_t kPage = 4096;
constexpr size_t kCellsPerPage = kPage / kGranule;
struct ShadowPage {
    Cell cells[kCellsPerPage];
};

/* Shadow pages come from chunks of one mapping each; at the end of a launch
 * the kernel takes their contents back (madvise), so they read as zero. */
constexpr size_t kChunkPages = 256;
struct Chunk {
    ShadowPage *pages;
    size_t used;
};
std::vector<Chunk> g_chunks;
size_t g_chunk; /* the chunk being filled */

ShadowPage *new_shadow_page()
{
    while (g_chunk < g_chunks.size() && g_chunks[g_chunk].used == kChunkPages)
        g_chunk++;
    if (g_chunk == g_chunks.size()) {
        void *m = mmap(nullptr, kChunkPages * sizeof(ShadowPage),
                       PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) {
            fprintf(stderr,
                    "cudasim race tier: out of memory for the access history "
                    "(%zu MiB of device and shared memory touched by one "
                    "launch); the race tier is for small inputs\n",
                    g_chunks.size() * kChunkPages * kPage >> 20);
            _exit(70);
        }
        g_chunks.push_back(Chunk{static_cast<ShadowPage *>(m), 0});
    }
    Chunk &c = g_chunks[g_chunk];
    return &c.pages[c.used++];
}

/* Open addressing from page number to shadow page. */
struct PageMap {
    std::vector<uintptr_t> keys; /* page number + 1; 0: empty */
    std::vector<ShadowPage *> values;
    size_t count = 0;
};
PageMap g_map;

struct CacheEntry {
    uintptr_t key;
    ShadowPage *page;
};
constexpr size_t kCache = 16;
CacheEntry g_cache[kCache];

size_t slot_for(const PageMap &m, uintptr_t key)
{
    size_t mask = m.keys.size() - 1;
    size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & mask;
    while (m.keys[i] != 0 && m.keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

void grow_map()
{
    PageMap bigger;
    size_t cap = g_map.keys.empty() ? 1024 : g_map.keys.size() * 2;
    bigger.keys.assign(cap, 0);
    bigger.values.assign(cap, nullptr);
    for (size_t i = 0; i < g_map.keys.size(); i++)
        if (g_map.keys[i] != 0) {
            size_t j = slot_for(bigger, g_map.keys[i]);
            bigger.keys[j] = g_map.keys[i];
            bigger.values[j] = g_map.values[i];
        }
    bigger.count = g_map.count;
    g_map = std::move(bigger);
}

ShadowPage *shadow_page(uintptr_t addr)
{
    uintptr_t key = addr / kPage + 1;
    CacheEntry &c = g_cache[key % kCache];
    if (c.key == key)
        return c.page;
    if (2 * (g_map.count + 1) > g_map.keys.size())
        grow_map();
    size_t i = slot_for(g_map, key);
    if (g_map.keys[i] == 0) {
        g_map.keys[i] = key;
        g_map.values[i] = new_shadow_page();
        g_map.count++;
    }
    c = CacheEntry{key, g_map.values[i]};
    return c.page;
}

void forget_history()
{
    for (size_t i = 0; i <= g_chunk && i < g_chunks.size(); i++) {
        Chunk &c = g_chunks[i];
        if (c.used > 0)
            madvise(c.pages, c.used * sizeof(ShadowPage), MADV_DONTNEED);
        c.used = 0;
    }
    g_chunk = 0;
    std::fill(g_map.keys.begin(), g_map.keys.end(), 0);
    g_map.count = 0;
    memset(g_cache, 0, sizeof g_cache);
}

/* ---- the running launch, block and thread --------------------------------
 */

struct WarpClock {
    uint32_t lane[32];
};

LaunchSite g_site;
dim3 g_block_dim;
std::vector<uint3> g_block_index; /* by block sequence number - 1 */
uint32_t g_block;                 /* sequence number of the running block */
uint32_t g_interval;              /* its completed __syncthreads() */
std::vector<WarpClock> g_clock;   /* per thread of the block */
unsigned g_thread;                /* the running thread */
const char *g_stack_lo, *g_stack_hi;
const char *g_args_lo, *g_args_hi; /* the kernel's arguments */
const char *g_shared_lo, *g_shared_hi;
uintptr_t g_pc_base;

bool ordered_before(const Access &e)
{
    if (e.block != g_block)
        return false;
    if (e.thread == g_thread || e.interval < g_interval)
        return true;
    if (e.thread / 32 != g_thread / 32)
        return false;
    return g_clock[g_thread].lane[e.thread % 32] >= e.epoch;
}

bool conflict(const Access &e, unsigned kind)
{
    bool write = (e.kind & kWrite) || (kind & kWrite);
    bool both_atomic = (e.kind & kAtomic) && (kind & kAtomic);
    return write && !both_atomic;
}

/* ---- reports -------------------------------------------------------------
 */

struct Options {
    bool halt_on_error = false;
    int exitcode = 66;
    bool suppress_equal_stacks = true; /* one report per pair of lines */
    bool loaded = false;
};
Options g_opt;
unsigned long g_reports;
std::vector<std::pair<uint32_t, uint32_t>> g_reported; /* pc pairs */

/* halt_on_error, exitcode and suppress_equal_stacks from TSAN_OPTIONS, as
 * ThreadSanitizer reads them ("a=1 b=2", separated by spaces, colons or
 * commas). */
void load_options()
{
    if (g_opt.loaded)
        return;
    g_opt.loaded = true;
    const char *o = getenv("TSAN_OPTIONS");
    for (const char *p = o; p && *p;) {
        size_t len = strcspn(p, " :,");
        if (len > 14 && strncmp(p, "halt_on_error=", 14) == 0)
            g_opt.halt_on_error = p[14] == '1' || p[14] == 't';
        else if (len > 9 && strncmp(p, "exitcode=", 9) == 0)
            g_opt.exitcode = atoi(p + 9);
        else if (len > 22 && strncmp(p, "suppress_equal_stacks=", 22) == 0)
            g_opt.suppress_equal_stacks = p[22] == '1' || p[22] == 't';
        p += len;
        p += strspn(p, " :,");
    }
}

uintptr_t full_pc(uint32_t pc)
{
    return pc == kUnknownPc ? 0 : g_pc_base + pc;
}

uint32_t short_pc(uintptr_t pc)
{
    uintptr_t off = pc - g_pc_base;
    return pc >= g_pc_base && off < kUnknownPc ? (uint32_t)off : kUnknownPc;
}

void thread_name(uint32_t block, unsigned thread, char *out, size_t cap)
{
    const uint3 &b = g_block_index[block - 1];
    const dim3 &d = g_block_dim;
    snprintf(out, cap, "block (%u,%u,%u) thread (%u,%u,%u)", b.x, b.y, b.z,
             thread % d.x, thread / d.x % d.y, thread / (d.x * d.y));
}

unsigned long long thread_number(uint32_t block, unsigned thread)
{
    unsigned long long per =
        (unsigned long long)g_block_dim.x * g_block_dim.y * g_block_dim.z;
    return (unsigned long long)(block - 1) * per + thread + 1;
}

/* Source lines of code addresses, asked once per address (a pointer it
 * returns is valid until the next call). */
struct KnownPc {
    uintptr_t pc;
    cudasim_location loc;
    bool found;
};
std::vector<KnownPc> g_known_pcs;

const cudasim_location *locate(uintptr_t pc)
{
    if (pc == 0)
        return nullptr;
    for (const KnownPc &k : g_known_pcs)
        if (k.pc == pc)
            return k.found ? &k.loc : nullptr;
    KnownPc k{};
    k.pc = pc;
    k.found = cudasim_symbolize(pc, &k.loc) != 0;
    g_known_pcs.push_back(k);
    return k.found ? &g_known_pcs.back().loc : nullptr;
}

void print_access(const char *lead, unsigned kind, size_t size,
                  const void *addr, uint32_t block, unsigned thread,
                  const cudasim_location *loc)
{
    const char *what = kind & kAtomic
                           ? (kind & kWrite ? "atomic write" : "atomic read")
                       : kind & kWrite ? "write"
                                       : "read";
    char name[48];
    snprintf(name, sizeof name, "%s", what);
    if (lead[0] == '\0')
        name[0] = (char)(name[0] - 'a' + 'A');
    fprintf(stderr, "  %s%s of size %zu at %p by thread T%llu:\n", lead, name,
            size, addr, thread_number(block, thread));
    fprintf(stderr, "    #0 %s %s (%s)\n",
            loc && loc->function[0] ? loc->function : "??",
            loc ? loc->where : "??:0", loc ? loc->module : "??");
}

/* Why CUDA does not order the two accesses, and what usually fixes it. */
const char *hint(const Access &e, unsigned kind, bool same_line)
{
    if ((e.kind & kAtomic) != (kind & kAtomic))
        return "one access is atomic and the other is not: while threads "
               "update memory with atomics, every other access to it must be "
               "atomic too (or come after a barrier)";
    if (same_line && e.block != g_block)
        return "threads of different blocks update the same memory at the "
               "same line, and nothing orders blocks within a launch: use an "
               "atomic (atomicAdd) or combine the blocks' results in a second "
               "kernel launch";
    if (e.block != g_block)
        return "the threads are in different blocks, which nothing orders "
               "within a launch: use atomics (atomicAdd), or let a second "
               "kernel launch read what the first wrote";
    if (same_line)
        return "threads update the same memory at the same line (a ++ or += "
               "on shared data?): use an atomic (atomicAdd), or give each "
               "thread its own element and combine them after a "
               "__syncthreads()";
    if (e.thread / 32 == g_thread / 32)
        return "the threads are in the same warp, with no __syncwarp() (or "
               "__syncthreads()) between the two accesses: the lanes of a "
               "warp do not run in lockstep";
    return "the threads are in the same block, with no __syncthreads() "
           "between the two accesses (a missing barrier?)";
}

void report(const Access &e, const void *addr, const void *prev_addr,
            unsigned kind, size_t size, uintptr_t pc)
{
    uint32_t a = short_pc(pc), b = e.pc;
    std::pair<uint32_t, uint32_t> key{std::min(a, b), std::max(a, b)};
    if (g_opt.suppress_equal_stacks &&
        std::find(g_reported.begin(), g_reported.end(), key) !=
            g_reported.end())
        return;
    g_reported.push_back(key);
    g_reports++;
    char cur[64], prev[64], where[512];
    thread_name(g_block, g_thread, cur, sizeof cur);
    thread_name(e.block, e.thread, prev, sizeof prev);
    describe_memory(prev_addr, where, sizeof where);
    cudasim_location now_loc{}, then_loc{};
    const cudasim_location *now = nullptr, *then = nullptr;
    if (const cudasim_location *l = locate(pc))
        now = &(now_loc = *l);
    if (const cudasim_location *l = locate(full_pc(e.pc)))
        then = &(then_loc = *l);
    bool same_line = now && then && strcmp(now->where, then->where) == 0;
    fflush(stdout);
    fprintf(stderr, "==================\n"
                    "WARNING: ThreadSanitizer: data race (cudasim race "
                    "tier)\n");
    print_access("", kind, size, addr, g_block, g_thread, now);
    fprintf(stderr, "\n");
    print_access("Previous ", e.kind, e.size, prev_addr, e.block, e.thread,
                 then);
    fprintf(stderr, "\n  Location is %s.\n\n", where);
    fprintf(stderr, "  Thread T%llu '%s' in kernel %s (launched at %s:%d)\n",
            thread_number(g_block, g_thread), cur, g_site.kernel, g_site.file,
            g_site.line);
    fprintf(stderr, "  Thread T%llu '%s'\n\n", thread_number(e.block, e.thread),
            prev);
    fprintf(stderr, "  Why this is a race: %s.\n\n", hint(e, kind, same_line));
    fprintf(stderr, "SUMMARY: ThreadSanitizer: data race %s in %s\n",
            now ? now->where : "??", g_site.kernel);
    fprintf(stderr, "==================\n");
    fflush(stderr);
    if (g_opt.halt_on_error)
        _exit(g_opt.exitcode);
}

/* ---- checking one granule -------------------------------------------------
 */

/* Which slot a new access may take when all are in use: a read whose warp
 * (or block) already has another read kept, else the oldest read, else the
 * oldest access. Slots are kept oldest first. */
int victim(const Cell &c)
{
    for (int i = 0; i < kSlots; i++) {
        const Access &x = c.a[i];
        if (x.kind & kWrite)
            continue;
        for (int j = i + 1; j < kSlots; j++) {
            const Access &y = c.a[j];
            if (!(y.kind & kWrite) && y.block == x.block &&
                y.thread / 32 == x.thread / 32)
                return i;
        }
    }
    for (int i = 0; i < kSlots; i++)
        if (!(c.a[i].kind & kWrite))
            return i;
    return 0;
}

void remove_slot(Cell &c, int i)
{
    memmove(&c.a[i], &c.a[i + 1], (size_t)(kSlots - 1 - i) * sizeof(Access));
    memset(&c.a[kSlots - 1], 0, sizeof(Access));
}

void insert(Cell &c, const Access &x)
{
    int n = 0;
    while (n < kSlots && c.a[n].block != 0)
        n++;
    for (int i = 0; i < n; i++) { /* the same thread's same kind of access */
        Access &y = c.a[i];
        if (y.block == x.block && y.thread == x.thread &&
            y.interval == x.interval && y.epoch == x.epoch &&
            y.kind == x.kind) {
            y.mask |= x.mask;
            y.pc = x.pc;
            y.size = x.size;
            return;
        }
    }
    if (n == kSlots) {
        remove_slot(c, victim(c));
        n--;
    }
    c.a[n] = x;
}

void check_granule(uintptr_t granule, uint8_t mask, const void *addr,
                   unsigned kind, size_t size, uintptr_t pc)
{
    Cell &c = shadow_page(granule)->cells[granule % kPage / kGranule];
    bool shared = (const char *)granule >= g_shared_lo &&
                  (const char *)granule < g_shared_hi;
    for (int i = 0; i < kSlots && c.a[i].block != 0;) {
        Access &e = c.a[i];
        if (shared && e.block != g_block) { /* another block's memory */
            remove_slot(c, i);
            continue;
        }
        uint8_t common = e.mask & mask;
        bool before = ordered_before(e);
        if (common && conflict(e, kind) && !before) {
            uintptr_t byte = granule + (uintptr_t)__builtin_ctz(common);
            report(e, addr, reinterpret_cast<const void *>(byte), kind, size,
                   pc);
        }
        /* what this access makes forgettable (see the top of the file) */
        if (common && before && ((kind & kWrite) || !(e.kind & kWrite))) {
            e.mask = (uint8_t)(e.mask & ~mask);
            if (e.mask == 0) {
                remove_slot(c, i);
                continue;
            }
        }
        i++;
    }
    Access x{};
    x.block = g_block;
    x.thread = (uint16_t)g_thread;
    x.mask = mask;
    x.kind = (uint8_t)kind;
    x.interval = g_interval;
    x.epoch = g_clock[g_thread].lane[g_thread % 32];
    x.pc = short_pc(pc);
    x.size = (uint32_t)std::min<size_t>(size, 0xffffffffu);
    insert(c, x);
}

__attribute__((destructor)) void exit_status()
{
    if (g_reports > 0 && g_opt.exitcode != 0 && !g_opt.halt_on_error) {
        fflush(nullptr);
        _exit(g_opt.exitcode);
    }
}

} /* namespace */

void access(const void *addr, size_t size, unsigned kind, uintptr_t pc)
{
    classify_access(addr, size, kind, pc); /* bounds and alignment */
    kind &= kWrite | kAtomic;
    const char *p = static_cast<const char *>(addr);
    if ((p >= g_stack_lo && p < g_stack_hi) ||
        (p >= g_args_lo && p < g_args_hi) || size == 0)
        return;
    /* the runtime's launch state, which simulated threads only read */
    if (addr == &g_cur || addr == &g_blockIdx || addr == &g_blockDim ||
        addr == &g_gridDim)
        return;
    uintptr_t a = reinterpret_cast<uintptr_t>(addr), end = a + size;
    while (a < end) {
        uintptr_t granule = a & ~(uintptr_t)(kGranule - 1);
        uintptr_t stop = std::min<uintptr_t>(end, granule + kGranule);
        unsigned lo = (unsigned)(a - granule), hi = (unsigned)(stop - granule);
        uint8_t mask = (uint8_t)(((1u << hi) - 1) & ~((1u << lo) - 1));
        check_granule(granule, mask, addr, kind, size, pc);
        a = stop;
    }
}

/* ---- hooks called by the scheduler (race_hooks.h) -----------------------
 */

void launch_begin(const LaunchSite &site, dim3 grid, dim3 block,
                  const void *args, size_t len)
{
    (void)grid;
    if (!cudasim_tsan_abi_linked)
        abort();
    load_options();
    if (g_pc_base == 0)
        g_pc_base = reinterpret_cast<uintptr_t>(&launch_begin) - (1ull << 31);
    forget_history();
    g_site = site;
    g_block_dim = block;
    g_block_index.clear();
    g_block = 0;
    g_args_lo = static_cast<const char *>(args);
    g_args_hi = g_args_lo + len;
    g_shared_lo = shmem::region_begin();
    g_shared_hi = shmem::region_end();
}

void launch_end()
{
    g_active = false;
    forget_history();
}

void block_begin(uint3 block_index)
{
    g_block_index.push_back(block_index);
    g_block = (uint32_t)g_block_index.size();
    g_interval = 0;
    size_t n = (size_t)g_block_dim.x * g_block_dim.y * g_block_dim.z;
    g_clock.resize(n);
    for (size_t t = 0; t < n; t++) {
        memset(&g_clock[t], 0, sizeof(WarpClock));
        g_clock[t].lane[t % 32] = 1;
    }
}

void thread_enter(unsigned linear, const char *stack_lo, const char *stack_hi)
{
    g_thread = linear;
    g_stack_lo = stack_lo;
    g_stack_hi = stack_hi;
    g_active = true;
}

void thread_leave()
{
    g_active = false;
}

void barrier_done()
{
    g_interval++;
}

void warp_done(unsigned warp, unsigned mask)
{
    WarpClock join{};
    unsigned base = warp * 32;
    for (unsigned l = 0; l < 32; l++)
        if (mask >> l & 1)
            for (unsigned k = 0; k < 32; k++)
                join.lane[k] =
                    std::max(join.lane[k], g_clock[base + l].lane[k]);
    for (unsigned l = 0; l < 32; l++)
        if (mask >> l & 1) {
            g_clock[base + l] = join;
            g_clock[base + l].lane[l]++;
        }
}

} /* namespace race */
} /* namespace cudasim */

extern "C" unsigned long cudasimRaceReports(void)
{
    return cudasim::race::g_reports;
}

extern "C" void cudasimRaceForget(void)
{
    cudasim::race::g_reported.clear();
}

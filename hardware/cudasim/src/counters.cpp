/* counters.cpp: the memory-traffic counters (see counters.h).
 *
 * Recording. While a simulated thread runs, each instrumented access to
 * device or shared memory and each basic block it enters is appended to
 * that thread's record (16 bytes: instruction, address, size, kind).
 *
 * Matching. A GPU issues one instruction for a whole warp; the simulator
 * runs a warp's lanes one after another, each until its next barrier or
 * warp operation. So when all lanes of a warp stand at the same point, the
 * k-th execution of instruction pc by each lane is one warp instruction
 * (SIMT: lanes that loop more often execute the extra iterations alone).
 * When the lanes' records are identical instruction for instruction (no
 * divergence, the common case) the i-th entries form one warp instruction;
 * otherwise entries are grouped by (instruction, k).
 *
 * Counting, per warp instruction, as Nsight Compute does:
 *   - global memory: 1 request; sectors = the distinct 32-byte aligned
 *     chunks its lanes touch; bytes = what the lanes asked for;
 *   - shared memory: 1 request; 32 banks of 4 bytes; the lanes are served
 *     in phases (all 32 lanes for accesses up to 4 bytes, 16 lanes for 8
 *     bytes, 8 lanes for 16); a phase takes as many wavefronts as the most
 *     distinct 4-byte words any one bank must deliver (lanes reading the
 *     same word share it: a broadcast); bank conflicts = wavefronts beyond
 *     one per phase;
 *   - a basic block is a divergent branch when the lanes that executed it
 *     together went on to different basic blocks (or some exited).
 * Counts do not depend on the order the simulator runs threads in.
 */
#include "counters.h"
#include "device_process.h"
#include "runtime_internal.h"

#include "memory_check.h"
#include "race_tier.h"
#include "shared_memory.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace cudasim
{
namespace counters
{

bool g_active;
uintptr_t g_pc_base;
Event *g_pos, *g_end;

namespace
{

/* ---- what is recorded (Event, record(): counters.h) ------------------- */

/* Room for records, over all threads of the block: beyond this, accesses
 * are not recorded (and counted as uncounted). 128 MiB. */
constexpr size_t kMaxBuffered = size_t(8) << 20;

/* Markers after the last basic block of a lane (its successor). */
constexpr int64_t kExited = INT64_MIN;
constexpr int64_t kSynchronised = INT64_MIN + 1;

bool g_present; /* instrumented code exists in the program */
bool g_print;   /* CUDASIM_COUNTERS: print each launch's counts */

/* One thread's record. The running thread's end and capacity are kept in
 * g_pos and g_end while it runs, so recording is a compare and a store. */
struct Stream {
    Event *data = nullptr;
    size_t size = 0, cap = 0;
    const Event *begin() const
    {
        return data;
    }
    const Event *end() const
    {
        return data + size;
    }
};
std::vector<Stream> g_streams;       /* per thread of the block */
Stream *g_running;                   /* the running thread's, or null */
size_t g_room;                       /* capacity of all streams */
std::vector<uint8_t> g_exited;       /* per thread of the block */
std::vector<unsigned> g_warp_exited; /* exited lanes per warp */
unsigned g_threads;                  /* of the running block */

cudasimCounters g_launch;      /* the running launch */
cudasimCounters g_last;        /* the last launch that ended */
cudasimCounters g_since_reset; /* launches and copies since the reset */
cudasimCounters g_copies;      /* copies since the last launch began */
LaunchSite g_site;
dim3 g_grid, g_block;
bool g_lost_reported;

void save_running()
{
    if (g_running)
        g_running->size = (size_t)(g_pos - g_running->data);
}

void load_running()
{
    g_pos = g_running ? g_running->data + g_running->size : nullptr;
    g_end = g_running ? g_running->data + g_running->cap : nullptr;
}

} /* namespace */

/* Doubles the running thread's room, within kMaxBuffered. */
bool grow_running()
{
    Stream &s = *g_running;
    save_running();
    size_t want = s.cap ? 2 * s.cap : 1024;
    if (g_room - s.cap + want > kMaxBuffered)
        return false;
    Event *d = static_cast<Event *>(realloc(s.data, want * sizeof(Event)));
    if (d == nullptr)
        return false;
    g_room += want - s.cap;
    s.data = d;
    s.cap = want;
    load_running();
    return true;
}

void lost()
{
    g_launch.uncounted_accesses++;
}

namespace
{

/* ---- counting one warp instruction ------------------------------------ */

/* One warp instruction: the lanes that executed it, their addresses and
 * sizes (at most 32, lanes in increasing order). */
struct WarpAccess {
    unsigned n;
    uint8_t lane[32];
    uint16_t size[32];
    uint64_t addr[32];
    void add(unsigned l, uint64_t a, unsigned sz)
    {
        lane[n] = (uint8_t)l;
        addr[n] = a;
        size[n] = (uint16_t)sz;
        n++;
    }
};

/* Distinct values of v (sorted in place). */
size_t distinct(std::vector<uint64_t> &v)
{
    if (!std::is_sorted(v.begin(), v.end()))
        std::sort(v.begin(), v.end());
    return (size_t)(std::unique(v.begin(), v.end()) - v.begin());
}

/* Distinct 32-byte sectors the lanes touch. */
uint64_t sectors_of(const WarpAccess &w)
{
    /* the common case: lanes in increasing address order: one sweep */
    uint64_t count = 0, next = 0; /* the first sector not yet counted */
    bool sorted = true;
    for (unsigned i = 0; i < w.n && sorted; i++) {
        uint64_t first = w.addr[i] >> 5;
        uint64_t last = (w.addr[i] + (w.size[i] ? w.size[i] : 1) - 1) >> 5;
        sorted = i == 0 || w.addr[i] >= w.addr[i - 1];
        if (first < next)
            first = next;
        if (last >= first) {
            count += last - first + 1;
            next = last + 1;
        }
    }
    if (sorted)
        return count;
    static std::vector<uint64_t> sectors;
    sectors.clear();
    for (unsigned i = 0; i < w.n; i++) {
        uint64_t last = (w.addr[i] + (w.size[i] ? w.size[i] : 1) - 1) >> 5;
        for (uint64_t s = w.addr[i] >> 5; s <= last; s++)
            sectors.push_back(s);
    }
    return distinct(sectors);
}

void count_global(uint8_t kind, const WarpAccess &w)
{
    uint64_t n = sectors_of(w), bytes = 0;
    for (unsigned i = 0; i < w.n; i++)
        bytes += w.size[i];
    switch (kind) {
    case kGlobalLoad:
        g_launch.global_load_requests++;
        g_launch.global_load_sectors += n;
        g_launch.global_load_bytes += bytes;
        break;
    case kGlobalStore:
        g_launch.global_store_requests++;
        g_launch.global_store_sectors += n;
        g_launch.global_store_bytes += bytes;
        break;
    default:
        g_launch.global_atomic_requests++;
        g_launch.global_atomic_sectors += n;
        break;
    }
}

/* Wavefronts one phase of a shared-memory request takes: the most distinct
 * 4-byte words one bank must deliver (0 when no lane is in the phase). */
uint64_t phase_wavefronts(const WarpAccess &w, unsigned phase,
                          unsigned per_phase)
{
    /* the common case: one word per lane, no two words in one bank */
    uint64_t word_of_bank[32];
    uint32_t banks = 0;
    bool simple = true, any = false;
    for (unsigned i = 0; i < w.n && simple; i++) {
        if (w.lane[i] / per_phase != phase)
            continue;
        any = true;
        uint64_t word = w.addr[i] >> 2;
        unsigned b = (unsigned)(word & 31);
        simple = (w.addr[i] + (w.size[i] ? w.size[i] : 1) - 1) >> 2 == word;
        if (banks >> b & 1)
            simple = simple && word_of_bank[b] == word; /* a broadcast */
        banks |= 1u << b;
        word_of_bank[b] = word;
    }
    if (simple)
        return any ? 1 : 0;
    static std::vector<uint64_t> words;
    words.clear();
    for (unsigned i = 0; i < w.n; i++) {
        if (w.lane[i] / per_phase != phase)
            continue;
        uint64_t last = (w.addr[i] + (w.size[i] ? w.size[i] : 1) - 1) >> 2;
        for (uint64_t x = w.addr[i] >> 2; x <= last; x++)
            words.push_back(x);
    }
    size_t n = distinct(words);
    unsigned per_bank[32] = {0};
    unsigned most = 0;
    for (size_t i = 0; i < n; i++)
        most = std::max(most, ++per_bank[words[i] & 31]);
    return most;
}

void count_shared(uint8_t kind, const WarpAccess &w)
{
    unsigned width = 0;
    for (unsigned i = 0; i < w.n; i++)
        width = std::max<unsigned>(width, w.size[i]);
    unsigned per_phase = width <= 4 ? 32 : width <= 8 ? 16 : 8;
    uint64_t wavefronts = 0, phases = 0;
    for (unsigned p = 0; p < 32 / per_phase; p++) {
        uint64_t f = phase_wavefronts(w, p, per_phase);
        if (f > 0) {
            wavefronts += f;
            phases++;
        }
    }
    switch (kind) {
    case kSharedLoad:
        g_launch.shared_load_requests++;
        g_launch.shared_load_wavefronts += wavefronts;
        g_launch.shared_load_bank_conflicts += wavefronts - phases;
        break;
    case kSharedStore:
        g_launch.shared_store_requests++;
        g_launch.shared_store_wavefronts += wavefronts;
        g_launch.shared_store_bank_conflicts += wavefronts - phases;
        break;
    default: g_launch.shared_atomic_requests++; break;
    }
}

void count_instruction(uint8_t kind, const WarpAccess &w)
{
    if (kind >= kSharedLoad)
        count_shared(kind, w);
    else
        count_global(kind, w);
}

/* ---- matching the lanes of a warp -------------------------------------- */

/* True when every lane executed the same instructions in the same order
 * and ended the same way: then the i-th entries are one warp instruction
 * and no branch diverged. */
bool uniform(unsigned first, unsigned n)
{
    const Stream &s0 = g_streams[first];
    for (unsigned l = 1; l < n; l++) {
        const Stream &s = g_streams[first + l];
        if (s.size != s0.size || g_exited[first + l] != g_exited[first])
            return false;
        for (size_t i = 0; i < s.size; i++)
            if (s.data[i].pc != s0.data[i].pc ||
                s.data[i].kind != s0.data[i].kind)
                return false;
    }
    return true;
}

void count_uniform(unsigned first, unsigned n)
{
    static std::vector<WarpAccess> rows;
    const Stream &s0 = g_streams[first];
    size_t count = 0; /* memory instructions */
    for (size_t i = 0; i < s0.size; i++)
        count += s0.data[i].kind != kBasicBlock;
    if (rows.size() < count)
        rows.resize(count);
    for (size_t r = 0; r < count; r++)
        rows[r].n = 0;
    for (unsigned l = 0; l < n; l++) { /* each lane's record in order */
        size_t r = 0;
        for (const Event &e : g_streams[first + l])
            if (e.kind != kBasicBlock)
                rows[r++].add(l, e.addr, e.size);
    }
    size_t r = 0;
    for (size_t i = 0; i < s0.size; i++)
        if (s0.data[i].kind != kBasicBlock)
            count_instruction(s0.data[i].kind, rows[r++]);
}

/* One warp instruction in the general case: the k-th execution of one
 * instruction by each lane that executed it that often. */
struct Group {
    uint8_t kind;
    WarpAccess lanes;                /* memory instructions */
    std::vector<int64_t> successors; /* basic blocks: distinct next blocks */
};

uint64_t group_key(int32_t pc, uint8_t kind, uint32_t k)
{
    return (uint64_t)(uint32_t)pc << 32 ^ (uint64_t)kind << 29 ^ k;
}

void add_successor(Group &g, int64_t next)
{
    if (std::find(g.successors.begin(), g.successors.end(), next) ==
        g.successors.end())
        g.successors.push_back(next);
}

void count_grouped(unsigned first, unsigned n)
{
    std::unordered_map<uint64_t, size_t> index;
    std::vector<Group> groups;
    std::unordered_map<uint64_t, uint32_t> seen; /* per lane: executions */
    for (unsigned l = 0; l < n; l++) {
        seen.clear();
        bool have_prev = false;
        size_t prev_index = 0;
        for (const Event &e : g_streams[first + l]) {
            uint32_t k = seen[(uint64_t)(uint32_t)e.pc << 8 | e.kind]++;
            auto it = index.emplace(group_key(e.pc, e.kind, k), groups.size());
            if (it.second) {
                groups.emplace_back();
                groups.back().kind = e.kind;
                groups.back().lanes.n = 0;
            }
            size_t gi = it.first->second;
            if (e.kind != kBasicBlock) {
                groups[gi].lanes.add(l, e.addr, e.size);
                continue;
            }
            if (have_prev)
                add_successor(groups[prev_index], e.pc);
            have_prev = true;
            prev_index = gi;
        }
        if (have_prev)
            add_successor(groups[prev_index],
                          g_exited[first + l] ? kExited : kSynchronised);
    }
    for (const Group &g : groups) {
        if (g.kind == kBasicBlock)
            g_launch.divergent_branches += g.successors.size() > 1;
        else
            count_instruction(g.kind, g.lanes);
    }
}

void flush_warp(unsigned warp)
{
    unsigned first = warp * 32;
    if (first >= g_threads)
        return;
    unsigned n = std::min(32u, g_threads - first);
    save_running();
    size_t events = 0;
    for (unsigned l = 0; l < n; l++)
        events += g_streams[first + l].size;
    if (events == 0)
        return;
    if (uniform(first, n))
        count_uniform(first, n);
    else
        count_grouped(first, n);
    for (unsigned l = 0; l < n; l++)
        g_streams[first + l].size = 0;
    load_running();
}

void flush_all()
{
    for (unsigned w = 0; w * 32 < g_threads; w++)
        flush_warp(w);
}

/* ---- totals and printing ---------------------------------------------- */

void add_into(cudasimCounters &to, const cudasimCounters &c)
{
    const unsigned long long *from =
        reinterpret_cast<const unsigned long long *>(&c);
    unsigned long long *into = reinterpret_cast<unsigned long long *>(&to);
    for (size_t i = 0; i < sizeof c / sizeof *from; i++)
        into[i] += from[i];
}

double ratio(unsigned long long a, unsigned long long b)
{
    return b ? (double)a / (double)b : 0.0;
}

void print_memory(FILE *f, const cudasimCounters &c)
{
    fprintf(f,
            "  global loads   %10llu requests %10llu sectors  (%.2f sectors "
            "per request; the bytes asked for fill %.2f)\n",
            c.global_load_requests, c.global_load_sectors,
            ratio(c.global_load_sectors, c.global_load_requests),
            ratio(c.global_load_bytes, 32 * c.global_load_requests));
    fprintf(f,
            "  global stores  %10llu requests %10llu sectors  (%.2f sectors "
            "per request; the bytes asked for fill %.2f)\n",
            c.global_store_requests, c.global_store_sectors,
            ratio(c.global_store_sectors, c.global_store_requests),
            ratio(c.global_store_bytes, 32 * c.global_store_requests));
    fprintf(f, "  global atomics %10llu requests %10llu sectors\n",
            c.global_atomic_requests, c.global_atomic_sectors);
    fprintf(f,
            "  shared loads   %10llu requests %10llu wavefronts %10llu bank "
            "conflicts\n",
            c.shared_load_requests, c.shared_load_wavefronts,
            c.shared_load_bank_conflicts);
    fprintf(f,
            "  shared stores  %10llu requests %10llu wavefronts %10llu bank "
            "conflicts\n",
            c.shared_store_requests, c.shared_store_wavefronts,
            c.shared_store_bank_conflicts);
    fprintf(f, "  shared atomics %10llu requests\n", c.shared_atomic_requests);
    fprintf(f, "  divergent branches %llu\n", c.divergent_branches);
    if (c.tensor_mma_sync)
        fprintf(f, "  tensor cores: %llu wmma::mma_sync (16x16x16)\n",
                c.tensor_mma_sync);
    fprintf(f, "  shared memory per block %llu bytes\n",
            c.shared_bytes_per_block);
    if (c.uncounted_accesses)
        fprintf(f, "  NOT COUNTED: %llu accesses (see above)\n",
                c.uncounted_accesses);
}

void print_copies(FILE *f, const char *when, const cudasimCounters &c)
{
    fprintf(f,
            "  copies %s: %llu bytes host->device, %llu device->host, %llu "
            "device->device\n",
            when, c.bytes_host_to_device, c.bytes_device_to_host,
            c.bytes_device_to_device);
}

void print_launch()
{
    fflush(stdout);
    FILE *f = stderr;
    fprintf(f,
            "cudasim counters: kernel %s (launched at %s:%d), grid "
            "(%u,%u,%u), block (%u,%u,%u)%s\n",
            g_site.kernel, g_site.file, g_site.line, g_grid.x, g_grid.y,
            g_grid.z, g_block.x, g_block.y, g_block.z,
            g_present ? ""
                      : ": NOT COUNTED (the .cu file was compiled "
                        "without the simulator's instrumentation)");
    print_memory(f, g_last);
    print_copies(f, "before this launch", g_copies);
    fflush(f);
}

void print_totals()
{
    if (!g_print || g_since_reset.launches == 0)
        return;
    fflush(stdout);
    fprintf(stderr, "cudasim counters: all %llu launches\n",
            g_since_reset.launches);
    print_memory(stderr, g_since_reset);
    print_copies(stderr, "in all", g_since_reset);
}

void load_options()
{
    static bool loaded;
    if (loaded)
        return;
    loaded = true;
    const char *p = getenv("CUDASIM_COUNTERS");
    g_print = p && *p && strcmp(p, "0") != 0;
    if (g_print)
        atexit(print_totals);
    g_pc_base = reinterpret_cast<uintptr_t>(&load_options);
}

} /* namespace */

/* ---- entry points ------------------------------------------------------ */

void instrumentation_present()
{
    g_present = true;
}

void atomic(const void *addr, size_t size, uintptr_t pc)
{
    MemorySpace space =
        check_access(addr, size, race::kWrite | race::kNatural, pc);
    if (space == kOtherMemory)
        return;
    record(Event{reinterpret_cast<uint64_t>(addr), short_pc(pc), (uint16_t)size,
                 space == kDeviceMemory ? kGlobalAtomic : kSharedAtomic, 0});
}

void tensor_mma()
{
    if (g_active)
        g_launch.tensor_mma_sync++;
}

void launch_begin(const LaunchSite &site, dim3 grid, dim3 block)
{
    load_options();
    g_site = site;
    g_grid = grid;
    g_block = block;
    memset(&g_launch, 0, sizeof g_launch);
    g_lost_reported = false;
}

void launch_end(bool faulted)
{
    g_active = false;
    for (Stream &s : g_streams)
        s.size = 0;
    g_running = nullptr;
    load_running();
    g_threads = 0;
    if (faulted)
        return;
    g_launch.launches = 1;
    g_last = g_launch;
    unsigned long long most = std::max(g_since_reset.shared_bytes_per_block,
                                       g_launch.shared_bytes_per_block);
    add_into(g_since_reset, g_launch);
    g_since_reset.shared_bytes_per_block = most;
    remote::life_add_launch(g_launch);
    if (g_print)
        print_launch();
    memset(&g_copies, 0, sizeof g_copies);
}

void block_begin(unsigned threads)
{
    g_threads = threads;
    if (g_streams.size() < threads)
        g_streams.resize(threads);
    g_exited.assign(threads, 0);
    g_warp_exited.assign((threads + 31) / 32, 0);
}

void block_end()
{
    flush_all();
    g_launch.shared_bytes_per_block = std::max<unsigned long long>(
        g_launch.shared_bytes_per_block, shmem::bytes_used());
    if (g_launch.uncounted_accesses && !g_lost_reported) {
        g_lost_reported = true;
        fprintf(stderr,
                "cudasim counters: kernel %s (launched at %s:%d): more than "
                "%zu accesses between two synchronisation points of one "
                "block; the rest were not counted\n",
                g_site.kernel, g_site.file, g_site.line, kMaxBuffered);
    }
}

void thread_enter(unsigned linear)
{
    save_running(); /* the thread that switched to this one */
    g_running = &g_streams[linear];
    load_running();
    g_active = g_present;
}

void thread_leave()
{
    save_running();
    g_running = nullptr;
    load_running();
    g_active = false;
}

void thread_exit(unsigned linear)
{
    g_exited[linear] = 1;
    unsigned warp = linear / 32;
    unsigned lanes = std::min(32u, g_threads - warp * 32);
    if (++g_warp_exited[warp] == lanes)
        flush_warp(warp);
}

void barrier_done()
{
    flush_all();
}

void warp_done(unsigned warp, unsigned mask, unsigned live)
{
    if ((mask & live) == live)
        flush_warp(warp);
}

void copied(int kind, size_t bytes)
{
    unsigned long long *to[2] = {nullptr, nullptr};
    switch (kind) {
    case cudaMemcpyHostToDevice:
        to[0] = &g_since_reset.bytes_host_to_device;
        to[1] = &g_copies.bytes_host_to_device;
        break;
    case cudaMemcpyDeviceToHost:
        to[0] = &g_since_reset.bytes_device_to_host;
        to[1] = &g_copies.bytes_device_to_host;
        break;
    case cudaMemcpyDeviceToDevice:
        to[0] = &g_since_reset.bytes_device_to_device;
        to[1] = &g_copies.bytes_device_to_device;
        break;
    default: return;
    }
    *to[0] += bytes;
    *to[1] += bytes;
    remote::life_add_copy(kind, bytes);
}

} /* namespace counters */

void count_copy(int kind, size_t bytes)
{
    refuse_in_kernel("cudasim::count_copy");
    counters::copied(kind, bytes);
}

void counters_new_client()
{
    memset(&counters::g_since_reset, 0, sizeof counters::g_since_reset);
    memset(&counters::g_last, 0, sizeof counters::g_last);
}

void atomic_note(const void *addr, size_t size)
{
    if (counters::g_active)
        counters::atomic(
            addr, size,
            reinterpret_cast<uintptr_t>(__builtin_return_address(0)) - 1);
}

} /* namespace cudasim */

using namespace cudasim::counters;

extern "C" {

int cudasimCountersAvailable(void)
{
    if (cudasim::remote::active())
        return cudasim::remote::counters_available();
    return g_present;
}

void cudasimCountersReset(void)
{
    if (cudasim::remote::active())
        return cudasim::remote::counters_reset();
    cudasim::refuse_in_kernel("cudasimCountersReset");
    memset(&g_since_reset, 0, sizeof g_since_reset);
}

void cudasimCountersGet(struct cudasimCounters *c)
{
    if (c && cudasim::remote::active())
        return cudasim::remote::counters_get(c, false);
    cudasim::refuse_in_kernel("cudasimCountersGet");
    if (c)
        *c = g_since_reset;
}

void cudasimCountersLastLaunch(struct cudasimCounters *c)
{
    if (c && cudasim::remote::active())
        return cudasim::remote::counters_get(c, true);
    cudasim::refuse_in_kernel("cudasimCountersLastLaunch");
    if (c)
        *c = g_last;
}

} /* extern "C" */

/* counters.h: the simulator's memory-traffic counters, as the scheduler and
 * the instrumentation entry points see them.
 *
 * The student's .cu files are compiled with gcc's ThreadSanitizer
 * instrumentation (every load and store calls __tsan_read4 & co) and with
 * -fsanitize-coverage=trace-pc (every basic block calls
 * __sanitizer_cov_trace_pc); tsan_abi.cpp hands those calls to access()
 * and block_entered() here while a simulated thread runs. Each thread's
 * accesses and basic blocks are recorded in order; when every lane of a
 * warp has reached the same point (a barrier, a warp operation of the whole
 * warp, the end of the block), the lanes' records are matched up the way a
 * GPU issues them, one warp instruction for the k-th execution of the same
 * instruction by each lane, and counted as Nsight Compute counts them:
 * requests and 32-byte sectors of global memory, requests, wavefronts and
 * bank conflicts of shared memory, divergent branches. See
 * hardware/cudasim/README.md, "Memory-traffic counters".
 */
#ifndef CUDASIM_COUNTERS_H
#define CUDASIM_COUNTERS_H

#include "cudasim.h"

#include <cstddef>
#include <cstdint>

/* Every field of struct cudasimCounters, for code that treats them alike
 * (the device process's report). */
#define CUDASIM_COUNTER_FIELDS(X)                                              \
    X(launches)                                                                \
    X(global_load_requests)                                                    \
    X(global_load_sectors)                                                     \
    X(global_load_bytes)                                                       \
    X(global_store_requests)                                                   \
    X(global_store_sectors)                                                    \
    X(global_store_bytes)                                                      \
    X(global_atomic_requests)                                                  \
    X(global_atomic_sectors)                                                   \
    X(shared_load_requests)                                                    \
    X(shared_load_wavefronts)                                                  \
    X(shared_load_bank_conflicts)                                              \
    X(shared_store_requests)                                                   \
    X(shared_store_wavefronts)                                                 \
    X(shared_store_bank_conflicts)                                             \
    X(shared_atomic_requests)                                                  \
    X(divergent_branches)                                                      \
    X(shared_bytes_per_block)                                                  \
    X(bytes_host_to_device)                                                    \
    X(bytes_device_to_host)                                                    \
    X(bytes_device_to_device)                                                  \
    X(uncounted_accesses)                                                      \
    X(tensor_mma_sync)

namespace cudasim
{
namespace counters
{

/* True while a simulated thread runs: only then is anything recorded. */
extern bool g_active;

/* ---- recording: inlined into the instrumentation entry points ---------- */

enum EventKind : uint8_t {
    kBasicBlock,
    kGlobalLoad,
    kGlobalStore,
    kGlobalAtomic,
    kSharedLoad,
    kSharedStore,
    kSharedAtomic
};

struct Event {
    uint64_t addr; /* memory events */
    int32_t pc;    /* the instruction, relative to g_pc_base */
    uint16_t size;
    uint8_t kind;
    uint8_t unused;
};

/* The running thread's next record and the end of its room. */
extern Event *g_pos, *g_end;
extern uintptr_t g_pc_base;

/* More room for the running thread (false when there is none). */
bool grow_running();
/* An access that could not be recorded. */
void lost();

inline int32_t short_pc(uintptr_t pc)
{
    intptr_t d = (intptr_t)(pc - g_pc_base);
    return d > INT32_MIN && d <= INT32_MAX ? (int32_t)d : INT32_MIN;
}

inline void record(const Event &e)
{
    if (__builtin_expect(g_pos == g_end, 0) && !grow_running())
        return lost();
    *g_pos++ = e;
}

/* The instrumented code's module constructor ran (__tsan_init): the
 * program's kernels are counted. */
void instrumentation_present();

/* An atomic operation of cudasim.h (one instruction at pc). */
void atomic(const void *addr, size_t size, uintptr_t pc);

/* A warp completed a wmma::mma_sync (wmma.cpp; called once per warp). */
void tensor_mma();

/* ---- from the scheduler ------------------------------------------------- */

void launch_begin(const LaunchSite &site, dim3 grid, dim3 block);
/* faulted: the launch was abandoned (its counts are incomplete). */
void launch_end(bool faulted);
void block_begin(unsigned threads);
void block_end();
void thread_enter(unsigned linear);
void thread_leave();
void thread_exit(unsigned linear);
void barrier_done();
/* The lanes in mask of warp `warp` completed a warp operation; live: the
 * lanes of that warp that have not exited. */
void warp_done(unsigned warp, unsigned mask, unsigned live);

/* Bytes copied by cudaMemcpy & co (kind: a cudaMemcpyKind). */
void copied(int kind, size_t bytes);

} /* namespace counters */
} /* namespace cudasim */

#endif

/* tsan_abi.cpp: the entry points gcc's -fsanitize=thread instrumentation
 * calls (and -fsanitize-coverage=trace-pc's), implemented by the simulator.
 *
 * Code compiled with -fsanitize=thread calls __tsan_read4(addr) before each
 * 4-byte load, __tsan_atomic32_fetch_add(...) instead of an atomic add, and
 * so on; with -fsanitize-coverage=trace-pc it calls
 * __sanitizer_cov_trace_pc() at the start of every basic block. While a
 * simulated thread runs, each call goes to
 *   - the race tier's detector (race_tier.h) in libcudasim_tsan, built with
 *     CUDASIM_RACE_TIER: the race tier compiles everything with
 *     -fsanitize=thread;
 *   - the memory-traffic counters (counters.h) in libcudasim: the plain
 *     build compiles the student's .cu files with both instrumentations.
 * Atomics are performed for real in every case. Defined in the program
 * itself, these take precedence over ThreadSanitizer's runtime when a link
 * line also names it (-fsanitize=thread), which then only initialises
 * itself and intercepts library calls; the simulator does not need it.
 */
#include "counters.h"
#include "device_process.h"
#include "memory_check.h"
#include "race_tier.h"

#include <cstddef>
#include <cstdint>

using cudasim::race::kAtomic;
using cudasim::race::kNatural;
using cudasim::race::kRead;
using cudasim::race::kWrite;

#define CALLER_PC (reinterpret_cast<uintptr_t>(__builtin_return_address(0)) - 1)

/* An access by the instrumented code (only looked at inside kernels);
 * inlined into every entry point. */
#define CUDASIM_ALWAYS_INLINE inline __attribute__((always_inline))
static CUDASIM_ALWAYS_INLINE void note(const void *addr, size_t size,
                                       unsigned kind, uintptr_t pc)
{
#ifdef CUDASIM_RACE_TIER
    if (__builtin_expect(cudasim::race::g_active, 0))
        cudasim::race::access(addr, size, kind, pc);
#else
    using namespace cudasim;
    if (__builtin_expect(!counters::g_active, 1))
        return;
    MemorySpace space = classify_access(addr, size, kind, pc);
    if (space == kOtherMemory && (kind & kWrite) &&
        __builtin_expect(remote::g_device, 0))
        check_device_store(addr, size, pc);
    /* cudasim.h's atomics are loops of atomic loads and compare-and-swaps,
     * one instruction on a GPU: atomic_note() counts them instead. */
    if (space == kOtherMemory || (kind & kAtomic))
        return;
    uint8_t k =
        space == kDeviceMemory
            ? (kind & kWrite ? counters::kGlobalStore : counters::kGlobalLoad)
            : (kind & kWrite ? counters::kSharedStore : counters::kSharedLoad);
    counters::record(counters::Event{
        reinterpret_cast<uint64_t>(addr), counters::short_pc(pc),
        (uint16_t)(size < 0xffff ? size : 0xffff), k, 0});
#endif
}

extern "C" {

/* Referenced by race_tier.cpp so that the linker takes this file from
 * libcudasim_tsan.a even when ThreadSanitizer's runtime, earlier on the
 * link line, already defines the names below. */
extern const int cudasim_tsan_abi_linked = 1;

/* Called by the module constructor of every instrumented file. */
void __tsan_init(void)
{
#ifndef CUDASIM_RACE_TIER
    cudasim::counters::instrumentation_present();
#endif
}

/* -fsanitize-coverage=trace-pc: a basic block begins (counted for branch
 * divergence; the race tier does not need it). */
void __sanitizer_cov_trace_pc(void)
{
#ifndef CUDASIM_RACE_TIER
    using namespace cudasim::counters;
    if (__builtin_expect(g_active, 0))
        record(Event{0, short_pc(CALLER_PC), 0, kBasicBlock, 0});
#endif
}
void __tsan_func_entry(void *call_pc)
{
    (void)call_pc;
}
void __tsan_func_exit(void) {}
void __tsan_ignore_thread_begin(void) {}
void __tsan_ignore_thread_end(void) {}

/* ---- plain accesses ------------------------------------------------------ */

#define CUDASIM_TSAN_ACCESS(N)                                                 \
    void __tsan_read##N(void *a)                                               \
    {                                                                          \
        note(a, N, kRead | kNatural, CALLER_PC);                               \
    }                                                                          \
    void __tsan_write##N(void *a)                                              \
    {                                                                          \
        note(a, N, kWrite | kNatural, CALLER_PC);                              \
    }                                                                          \
    void __tsan_unaligned_read##N(const void *a)                               \
    {                                                                          \
        note(a, N, kRead, CALLER_PC);                                          \
    }                                                                          \
    void __tsan_unaligned_write##N(void *a)                                    \
    {                                                                          \
        note(a, N, kWrite, CALLER_PC);                                         \
    }                                                                          \
    void __tsan_volatile_read##N(void *a)                                      \
    {                                                                          \
        note(a, N, kRead, CALLER_PC);                                          \
    }                                                                          \
    void __tsan_volatile_write##N(void *a)                                     \
    {                                                                          \
        note(a, N, kWrite, CALLER_PC);                                         \
    }                                                                          \
    void __tsan_read##N##_pc(void *a, void *pc)                                \
    {                                                                          \
        note(a, N, kRead | kNatural, reinterpret_cast<uintptr_t>(pc));         \
    }                                                                          \
    void __tsan_write##N##_pc(void *a, void *pc)                               \
    {                                                                          \
        note(a, N, kWrite | kNatural, reinterpret_cast<uintptr_t>(pc));        \
    }
CUDASIM_TSAN_ACCESS(1)
CUDASIM_TSAN_ACCESS(2)
CUDASIM_TSAN_ACCESS(4)
CUDASIM_TSAN_ACCESS(8)
CUDASIM_TSAN_ACCESS(16)
#undef CUDASIM_TSAN_ACCESS

void __tsan_read_range(void *a, unsigned long size)
{
    note(a, size, kRead, CALLER_PC);
}
void __tsan_write_range(void *a, unsigned long size)
{
    note(a, size, kWrite, CALLER_PC);
}

/* A C++ object's vtable pointer: set by constructors, read by virtual
 * calls. */
void __tsan_vptr_update(void **vptr_p, void *new_val)
{
    (void)new_val;
    note(vptr_p, sizeof(void *), kWrite, CALLER_PC);
}
void __tsan_vptr_read(void **vptr_p)
{
    note(vptr_p, sizeof(void *), kRead, CALLER_PC);
}

/* ---- atomics: performed (sequentially consistent), noted as atomic ------ */

void __tsan_atomic_thread_fence(int mo)
{
    (void)mo;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}
void __tsan_atomic_signal_fence(int mo)
{
    (void)mo;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

#define CUDASIM_TSAN_RMW(N, T, OP)                                             \
    T __tsan_atomic##N##_##OP(volatile T *a, T v, int mo)                      \
    {                                                                          \
        (void)mo;                                                              \
        note((const void *)a, sizeof(T), kWrite | kAtomic, CALLER_PC);         \
        return __atomic_##OP(a, v, __ATOMIC_SEQ_CST);                          \
    }
#define CUDASIM_TSAN_ATOMICS(N, T)                                             \
    T __tsan_atomic##N##_load(const volatile T *a, int mo)                     \
    {                                                                          \
        (void)mo;                                                              \
        note((const void *)a, sizeof(T), kRead | kAtomic, CALLER_PC);          \
        return __atomic_load_n(a, __ATOMIC_SEQ_CST);                           \
    }                                                                          \
    void __tsan_atomic##N##_store(volatile T *a, T v, int mo)                  \
    {                                                                          \
        (void)mo;                                                              \
        note((const void *)a, sizeof(T), kWrite | kAtomic, CALLER_PC);         \
        __atomic_store_n(a, v, __ATOMIC_SEQ_CST);                              \
    }                                                                          \
    T __tsan_atomic##N##_exchange(volatile T *a, T v, int mo)                  \
    {                                                                          \
        (void)mo;                                                              \
        note((const void *)a, sizeof(T), kWrite | kAtomic, CALLER_PC);         \
        return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);                    \
    }                                                                          \
    CUDASIM_TSAN_RMW(N, T, fetch_add)                                          \
    CUDASIM_TSAN_RMW(N, T, fetch_sub)                                          \
    CUDASIM_TSAN_RMW(N, T, fetch_and)                                          \
    CUDASIM_TSAN_RMW(N, T, fetch_or)                                           \
    CUDASIM_TSAN_RMW(N, T, fetch_xor)                                          \
    CUDASIM_TSAN_RMW(N, T, fetch_nand)                                         \
    int __tsan_atomic##N##_compare_exchange_strong(volatile T *a, T *c, T v,   \
                                                   int mo, int fmo)            \
    {                                                                          \
        (void)mo, (void)fmo;                                                   \
        note((const void *)a, sizeof(T), kWrite | kAtomic, CALLER_PC);         \
        return __atomic_compare_exchange_n(a, c, v, false, __ATOMIC_SEQ_CST,   \
                                           __ATOMIC_SEQ_CST);                  \
    }                                                                          \
    int __tsan_atomic##N##_compare_exchange_weak(volatile T *a, T *c, T v,     \
                                                 int mo, int fmo)              \
    {                                                                          \
        (void)mo, (void)fmo;                                                   \
        note((const void *)a, sizeof(T), kWrite | kAtomic, CALLER_PC);         \
        return __atomic_compare_exchange_n(a, c, v, false, __ATOMIC_SEQ_CST,   \
                                           __ATOMIC_SEQ_CST);                  \
    }                                                                          \
    T __tsan_atomic##N##_compare_exchange_val(volatile T *a, T c, T v, int mo, \
                                              int fmo)                         \
    {                                                                          \
        (void)mo, (void)fmo;                                                   \
        note((const void *)a, sizeof(T), kWrite | kAtomic, CALLER_PC);         \
        __atomic_compare_exchange_n(a, &c, v, false, __ATOMIC_SEQ_CST,         \
                                    __ATOMIC_SEQ_CST);                         \
        return c;                                                              \
    }
CUDASIM_TSAN_ATOMICS(8, char)
CUDASIM_TSAN_ATOMICS(16, short)
CUDASIM_TSAN_ATOMICS(32, int)
CUDASIM_TSAN_ATOMICS(64, long long)
#undef CUDASIM_TSAN_ATOMICS
#undef CUDASIM_TSAN_RMW

} /* extern "C" */

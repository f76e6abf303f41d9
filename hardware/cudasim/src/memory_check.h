/* memory_check.h: where an access of a simulated thread goes, checked.
 *
 * The instrumentation entry points (tsan_abi.cpp) ask the runtime about
 * every access of a running simulated thread. Device buffers start
 * 256-byte aligned, as cudaMalloc's do on a GPU, so a few bytes may lie
 * between a buffer's end and its guard page: the check finds an access
 * there (or anywhere outside its buffer) and a misaligned one, and stops
 * the kernel with a message naming the buffer, the thread and the source
 * line, as the guard pages do for code that is not instrumented.
 */
#ifndef CUDASIM_MEMORY_CHECK_H
#define CUDASIM_MEMORY_CHECK_H

#include "race_tier.h"

#include <cstddef>
#include <cstdint>

namespace cudasim
{

enum MemorySpace { kOtherMemory, kDeviceMemory, kSharedMemory };

/* The space of an access of size bytes at addr (kind: race_tier.h's
 * AccessKind bits) by the instruction at pc. Does not return when the
 * access leaves its device buffer, or when it is misaligned and kind has
 * kNatural (the compiler assumed the type's alignment, as a GPU does). */
MemorySpace check_access(const void *addr, size_t size, unsigned kind,
                         uintptr_t pc);

/* In the device process (judge mode): a store by kernel code that is not
 * to device memory or shared memory (classify_access said other memory)
 * must go to the running thread's own stack or a __device__ variable of
 * the program; anything else (a wild pointer into the simulator's state)
 * stops the kernel. */
void check_device_store(const void *addr, size_t size, uintptr_t pc);

/* Address ranges most accesses fall in, for the inline check below: the
 * valid bytes of the device buffer check_access() found last, the shared
 * memory region, the running simulated thread's stack, and the stretch
 * between device buffers (and shared memory) where check_access() last
 * found other memory, twice (the runtime's globals and heap objects that
 * threadIdx & co read). */
struct AccessWindows {
    uintptr_t buffer_lo, buffer_len;
    uintptr_t shared_lo, shared_len;
    uintptr_t stack_lo, stack_len;
    uintptr_t other_lo[2], other_len[2];
};
extern AccessWindows g_windows;

/* check_access(), with the common cases inline. */
inline MemorySpace classify_access(const void *addr, size_t size, unsigned kind,
                                   uintptr_t pc)
{
    uintptr_t a = reinterpret_cast<uintptr_t>(addr);
    const AccessWindows &w = g_windows;
    if (!(kind & race::kNatural) || (a & (size - 1)) == 0) {
        if (a - w.buffer_lo < w.buffer_len &&
            a + size - w.buffer_lo <= w.buffer_len)
            return kDeviceMemory;
        if (a - w.shared_lo < w.shared_len)
            return kSharedMemory;
        if (a - w.stack_lo < w.stack_len)
            return kOtherMemory;
        for (int k = 0; k < 2; k++)
            if (a - w.other_lo[k] < w.other_len[k] &&
                a + size - w.other_lo[k] <= w.other_len[k])
                return kOtherMemory;
    }
    return check_access(addr, size, kind, pc);
}

} /* namespace cudasim */

#endif

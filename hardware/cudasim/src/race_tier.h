/* race_tier.h: the race tier's detector, as its instrumentation entry
 * points (tsan_abi.cpp) see it.
 *
 * The race tier compiles the student's code with gcc's -fsanitize=thread,
 * which makes every memory access call __tsan_read4 & co; tsan_abi.cpp
 * turns those calls into access() here, race_tier.cpp decides whether two
 * accesses race under CUDA's rules (see race_tier.cpp).
 */
#ifndef CUDASIM_RACE_TIER_H
#define CUDASIM_RACE_TIER_H

#include <cstddef>
#include <cstdint>

namespace cudasim
{
namespace race
{

/* True while a simulated thread runs: only then are accesses checked. */
extern bool g_active;

/* kNatural: the compiler assumed the access aligned to its size (the
 * plain __tsan_readN entry points; not the _unaligned_ ones). */
enum AccessKind : unsigned { kRead = 0, kWrite = 1, kAtomic = 2, kNatural = 4 };

/* One access of size bytes at addr (kRead or kWrite, | kAtomic), made by
 * the instruction at pc, by the running simulated thread. */
void access(const void *addr, size_t size, unsigned kind, uintptr_t pc);

} /* namespace race */
} /* namespace cudasim */

#endif

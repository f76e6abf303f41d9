/* race_hooks.h: what the simulator's scheduler tells the race tier.
 *
 * The race tier (race_tier.cpp, in libcudasim_tsan only) needs to know which
 * simulated thread runs, where each launch and block starts and ends, and
 * when a barrier or a warp operation completes: those, and nothing else,
 * order the memory accesses of a kernel's threads. In the plain build
 * (libcudasim) every hook below is an empty inline function, so the
 * scheduler pays nothing for them.
 */
#ifndef CUDASIM_RACE_HOOKS_H
#define CUDASIM_RACE_HOOKS_H

#include "cudasim.h"

namespace cudasim
{

/* Describes the memory at addr for a report (device buffer, shared
 * variable, ...) with the byte offset; defined by the runtime. */
void describe_memory(const void *addr, char *out, size_t cap);

namespace race
{

#ifdef CUDASIM_RACE_TIER

/* A launch of grid x block threads starts; ignore [args, args + len): the
 * kernel's arguments, which every thread reads. */
void launch_begin(const LaunchSite &site, dim3 grid, dim3 block,
                  const void *args, size_t len);
void launch_end();

/* The next block (blockIdx) of the launch starts: nothing in it is ordered
 * with the blocks before, and its shared memory is new. */
void block_begin(uint3 block_index);

/* Simulated thread `linear` (its index in the block) runs from now on, on
 * the stack [stack_lo, stack_hi); thread_leave: no simulated thread runs. */
void thread_enter(unsigned linear, const char *stack_lo, const char *stack_hi);
void thread_leave();

/* Every thread of the block has arrived at a __syncthreads(). */
void barrier_done();

/* The lanes in mask of warp `warp` completed one warp operation together
 * (__syncwarp, a shuffle, a vote). */
void warp_done(unsigned warp, unsigned mask);

#else

inline void launch_begin(const LaunchSite &, dim3, dim3, const void *, size_t)
{
}
inline void launch_end() {}
inline void block_begin(uint3) {}
inline void thread_enter(unsigned, const char *, const char *) {}
inline void thread_leave() {}
inline void barrier_done() {}
inline void warp_done(unsigned, unsigned) {}

#endif

} /* namespace race */
} /* namespace cudasim */

#endif

/* symbolize.h: source lines of code addresses, for the simulator's messages
 * (the line of a faulting access, both lines of a data race).
 *
 * It asks llvm-symbolizer (LLVM, where installed) or else addr2line
 * (binutils, installed with gcc) about the program's own debug information
 * (-g; -gdwarf-4 for addr2line, see symbolize.cpp), and skips the frames of
 * the simulator's headers, so an access inside an inlined atomicAdd is
 * named by the student's line. Without either tool or without debug
 * information, the answer is empty.
 */
#ifndef CUDASIM_SYMBOLIZE_H
#define CUDASIM_SYMBOLIZE_H

#include <cstddef>
#include <cstdint>

namespace cudasim
{

struct CodeLocation {
    char function[128]; /* "reduce_kernel", or "" when unknown */
    char where[256];    /* "exercises/19_x/block_reduce.cu:25", or "" */
    char module[128];   /* "test_race+0x1a2b": the binary and offset */
};

/* Fills loc for the code address pc (a return address or the faulting
 * instruction). Returns false when no source line was found (function and
 * module may still be filled). Spawns one process; not for hot paths. */
bool symbolize(uintptr_t pc, CodeLocation *loc);

/* The address of the instruction that made a call, from its return
 * address (what symbolize wants for a pc taken from a call's return). */
inline uintptr_t call_site(const void *return_address)
{
    return reinterpret_cast<uintptr_t>(return_address) - 1;
}

} /* namespace cudasim */

#endif

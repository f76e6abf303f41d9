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

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cudasim_location {
    char function[128]; /* "reduce_kernel", or "" when unknown */
    char where[256];    /* "exercises/19_x/block_reduce.cu:25", or "" */
    char module[128];   /* "test_race+0x1a2b": the binary and offset */
};

/* Fills loc for the code address pc (the faulting instruction, or a return
 * address minus 1). Returns 0 when no source line was found (function and
 * module may still be filled), 1 when one was. Spawns one process; not for
 * hot paths. */
int cudasim_symbolize(uintptr_t pc, struct cudasim_location *loc);

#ifdef __cplusplus
}
#endif

#endif

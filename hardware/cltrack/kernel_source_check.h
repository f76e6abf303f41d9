/* kernel_source_check.h: what judge mode's device process refuses in a
 * kernel's source before building it: inline assembly, which would let a
 * kernel run code the device cannot account for (in-process PoCL runs
 * kernels as native code of the device process). */
#ifndef CLTRACK_KERNEL_SOURCE_CHECK_H
#define CLTRACK_KERNEL_SOURCE_CHECK_H

#include <stddef.h>

/* NULL when source[0..n) may be built, else why not (one line). An
 * identifier `asm`, `__asm` or `__asm__` outside comments and string and
 * character literals is refused (in a directive too, so `#undef asm` is);
 * KERNEL_SOURCE_BUILD_OPTIONS, added to every build, turns one made by
 * token pasting or a macro into an undefined name. */
const char *kernel_source_refusal(const char *source, size_t n);

#define KERNEL_SOURCE_BUILD_OPTIONS                                            \
    " -Dasm=judge_mode_refuses_asm -D__asm=judge_mode_refuses_asm"             \
    " -D__asm__=judge_mode_refuses_asm"

#endif

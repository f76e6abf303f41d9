/* source_rules.h: judge mode's rules for the student's CUDA sources.
 *
 * In judge mode the CUDA simulator runs kernels in a device process of its
 * own (hardware/cudasim/README.md, "Device process"), whose counters and
 * record of who wrote device memory decide the grade. The student's .cu
 * files are compiled into both processes, so their text may not reach for
 * what could run before the device process exists or talk to it behind
 * the runtime's back. Each edited source is scanned as the compiler reads
 * it (backslash-newlines joined first; comments, string and character
 * literals skipped) and may not contain:
 *
 *   - inline assembly: asm, __asm, __asm__;
 *   - attributes: __attribute__, __attribute, [[...]] (constructors,
 *     sections, aliases);
 *   - pragmas: #pragma (but CUDA's loop hint "#pragma unroll [N]", which
 *     gcc ignores), _Pragma, __pragma;
 *   - token pasting (##) or the digraphs %: and <: (with them a macro
 *     could build any of these names, which the scan would not see);
 *   - names of the simulator's controls and internals (cudasim...), of the
 *     test harness (ll_..., LL_..., llmlings_...), and run-time symbol
 *     lookup (dlsym, dlvsym, dlopen, dlmopen);
 *   - calls that write memory or reach the system behind the counted loads
 *     and stores (memset, memcpy, the string and stdio writers, read and
 *     write, mmap and mprotect, syscall, signals, jumps, processes, and
 *     every __builtin_, __sync_ and __atomic_ name), and printf's %n in a
 *     string literal (cudasim-cc's plain build fortifies printf, which
 *     refuses %n in a format built at run time).
 *
 * Local grading does not apply these rules (its messages stay as they
 * are). */
#ifndef GRADER_SOURCE_RULES_H
#define GRADER_SOURCE_RULES_H

#include <stddef.h>

#include "base/strbuf.h"

enum { SOURCE_RULES_MAX_SHOWN = 6 }; /* findings listed, at most */

/* Scans text[0..len) of the file named `name` (for messages). Appends one
 * line per finding, "\n  name:LINE: what (why)", at most
 * SOURCE_RULES_MAX_SHOWN of them in all (*shown counts across files), and
 * returns how many it found. */
int source_rules_scan(const char *name, const char *text, size_t len,
                      strbuf *why, int *shown);

#endif

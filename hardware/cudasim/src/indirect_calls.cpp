/* indirect_calls.cpp: judge mode's check of the indirect calls of kernel
 * code.
 *
 * cudasim-cc --judge compiles the .cu files with
 * -mindirect-branch=thunk-extern and -fno-jump-tables: every indirect call
 * or jump of the student's code (through a function pointer, a virtual
 * call) becomes a call of __x86_indirect_thunk_<reg>, with the target in
 * <reg>. The thunks are defined here. Outside kernels they jump to the
 * target at once; while a kernel runs they ask check_target() first,
 * which lets the call go on only to the start of a function of the
 * program that is neither the simulator's, the C++ runtime's nor the test
 * harness's (kernel_symbols.h), and otherwise stops the kernel. So kernel
 * code cannot call into the simulator (say, the routine that adds to the
 * device report's totals) through an address computed from a kernel's
 * address plus an offset, a forged virtual table or a function pointer
 * written through an integer.
 */
#include "device_fault.h"
#include "kernel_symbols.h"
#include "runtime_internal.h"
#include "symbolize.h"

#include <cstdint>
#include <cstdio>

namespace
{

/* Targets already found valid (a kernel calls the same few functions
 * again and again). */
uintptr_t g_valid[8];
unsigned g_next_valid;

} /* namespace */

/* Returns when the call from `site` (a return address) to target may go
 * on; stops the kernel otherwise. */
extern "C" void cudasim_check_indirect_target(uintptr_t target, uintptr_t site)
{
    for (uintptr_t v : g_valid)
        if (v == target)
            return;
    char why[600];
    if (!*cudasim::symbols::check_call_target(target, why, sizeof why)) {
        g_valid[g_next_valid++ % 8] = target;
        return;
    }
    cudasim_location loc;
    bool known = site != 0 && cudasim_symbolize(site - 1, &loc);
    cudasim::device_fault("indirect call%s%s to %s: kernel code may call "
                          "through a pointer only functions of its own "
                          "program",
                          known ? " at " : "", known ? loc.where : "", why);
}

#if defined(__x86_64__)
/* The thunk for register R: the slow path pushes the target and goes to
 * the common part, which saves the argument registers (integer and SSE),
 * asks cudasim_check_indirect_target(target, return address) and "returns"
 * into the target with every register as the caller left it. */
#define CUDASIM_THUNK(R)                                                       \
    "    .globl __x86_indirect_thunk_" #R "\n"                                 \
    "    .type __x86_indirect_thunk_" #R ",@function\n"                        \
    "__x86_indirect_thunk_" #R ":\n"                                           \
    "    cmpb $0, cudasim_in_kernel(%rip)\n"                                   \
    "    jne 1f\n"                                                             \
    "    jmp *%" #R "\n"                                                       \
    "1:  pushq %" #R "\n"                                                      \
    "    jmp cudasim_indirect_slow\n"                                          \
    "    .size __x86_indirect_thunk_" #R ",.-__x86_indirect_thunk_" #R "\n"
asm("    .text\n" CUDASIM_THUNK(rax) CUDASIM_THUNK(rbx) CUDASIM_THUNK(rcx)
        CUDASIM_THUNK(rdx) CUDASIM_THUNK(rsi) CUDASIM_THUNK(rdi)
            CUDASIM_THUNK(rbp) CUDASIM_THUNK(r8) CUDASIM_THUNK(r9)
                CUDASIM_THUNK(r10) CUDASIM_THUNK(r11) CUDASIM_THUNK(r12)
                    CUDASIM_THUNK(r13) CUDASIM_THUNK(r14) CUDASIM_THUNK(r15)
    /* Stack: the target, then the caller's return address; rsp is a
     * multiple of 16 here. 9 pushes and 136 bytes keep it one at the
     * call. */
    "    .type cudasim_indirect_slow,@function\n"
    "cudasim_indirect_slow:\n"
    "    pushq %rdi\n"
    "    pushq %rsi\n"
    "    pushq %rdx\n"
    "    pushq %rcx\n"
    "    pushq %r8\n"
    "    pushq %r9\n"
    "    pushq %rax\n"
    "    pushq %r10\n"
    "    pushq %r11\n"
    "    subq $136, %rsp\n"
    "    movdqu %xmm0, 0(%rsp)\n"
    "    movdqu %xmm1, 16(%rsp)\n"
    "    movdqu %xmm2, 32(%rsp)\n"
    "    movdqu %xmm3, 48(%rsp)\n"
    "    movdqu %xmm4, 64(%rsp)\n"
    "    movdqu %xmm5, 80(%rsp)\n"
    "    movdqu %xmm6, 96(%rsp)\n"
    "    movdqu %xmm7, 112(%rsp)\n"
    "    movq 208(%rsp), %rdi\n" /* the target */
    "    movq 216(%rsp), %rsi\n" /* the caller's return address */
    "    call cudasim_check_indirect_target\n"
    "    movdqu 0(%rsp), %xmm0\n"
    "    movdqu 16(%rsp), %xmm1\n"
    "    movdqu 32(%rsp), %xmm2\n"
    "    movdqu 48(%rsp), %xmm3\n"
    "    movdqu 64(%rsp), %xmm4\n"
    "    movdqu 80(%rsp), %xmm5\n"
    "    movdqu 96(%rsp), %xmm6\n"
    "    movdqu 112(%rsp), %xmm7\n"
    "    addq $136, %rsp\n"
    "    popq %r11\n"
    "    popq %r10\n"
    "    popq %rax\n"
    "    popq %r9\n"
    "    popq %r8\n"
    "    popq %rcx\n"
    "    popq %rdx\n"
    "    popq %rsi\n"
    "    popq %rdi\n"
    "    ret\n" /* into the target, which is on top */
    "    .size cudasim_indirect_slow,.-cudasim_indirect_slow\n");
#undef CUDASIM_THUNK
#endif

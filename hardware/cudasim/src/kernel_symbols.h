/* kernel_symbols.h: what the device process agrees to call and to write,
 * checked against the program's own symbol table.
 *
 * The device process is a fork of the test program, so code and global
 * variables have the same addresses in both processes, and a launch request
 * names the simulator's launch body (cudasim::Launch<P...>::body) and the
 * kernel by address. The device calls them only when the body is that
 * function for some parameter list P... and the kernel is a C++ function of
 * the program, outside the simulator, whose parameter list is exactly P...
 * (so a request cannot make it call cudasimCountersReset or any other
 * function); cudaMemcpyToSymbol writes only inside a global variable of the
 * program that is not the simulator's own.
 */
#ifndef CUDASIM_KERNEL_SYMBOLS_H
#define CUDASIM_KERNEL_SYMBOLS_H

#include <cstddef>
#include <cstdint>

namespace cudasim
{
namespace symbols
{

/* Empty when body and kernel may be launched; otherwise why not (a
 * sentence for the refusal message). */
const char *check_launch(uintptr_t body, uintptr_t kernel, char *why,
                         size_t cap);
/* Empty when kernel code may call fn through a pointer: the start of a
 * function of the program that is not the simulator's, the C++ runtime's
 * or the test harness's (indirect_calls.cpp); otherwise why not. */
const char *check_call_target(uintptr_t fn, char *why, size_t cap);
/* Empty when [addr, addr+len) lies inside one global variable of the
 * program that is not the simulator's; otherwise why not. */
const char *check_symbol(uintptr_t addr, size_t len, char *why, size_t cap);

} /* namespace symbols */
} /* namespace cudasim */

#endif

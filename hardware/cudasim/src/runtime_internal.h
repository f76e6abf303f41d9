/* runtime_internal.h: the parts of runtime.cpp and counters.cpp that the
 * device process (device_process.cpp) serves requests with. */
#ifndef CUDASIM_RUNTIME_INTERNAL_H
#define CUDASIM_RUNTIME_INTERNAL_H

#include "cudasim.h"

#include <cstddef>

/* Non-zero while a launch runs its threads (what the indirect-call thunks
 * of indirect_calls.cpp and the allocation entry points of device_heap.cpp
 * test: only kernel code calls them then). */
extern "C" unsigned char cudasim_in_kernel;

namespace cudasim
{

/* An API error: the message (printed unless CUDASIM_QUIET) and the code
 * are remembered for cudasimLastMessage and cudaGetLastError. */
cudaError_t fail_message(cudaError_t e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* cudaMemcpy in two steps: the checks (resolving cudaMemcpyDefault into
 * *kind; *todo is false for an empty copy), then the copy, where the
 * host side of the copy is read from host_src or written to host_dst
 * instead of src or dst (the device process's copies of the host's
 * bytes). */
cudaError_t copy_check(void *dst, const void *src, size_t n,
                       cudaMemcpyKind *kind, bool *todo);
void copy_perform(void *dst, const void *src, size_t n, cudaMemcpyKind kind,
                  void *host_dst, const void *host_src);

/* cudaMemcpyToSymbol/FromSymbol in this process. */
cudaError_t symbol_copy_local(void *symbol, size_t symbol_size, void *host,
                              size_t count, size_t offset, int kind,
                              bool to_symbol);

/* A launch request the device process does not run (why: a sentence):
 * the message, cudaErrorInvalidDeviceFunction; aborts in abort mode. */
void refuse_launch(const char *kernel, const char *file, int line,
                   const char *why);

/* Control functions (counters, leak checks, settings) are host code's:
 * called by kernel code during a launch, they fault the kernel. */
void refuse_in_kernel(const char *what);

/* A new client of the device process: settings from the environment
 * again, and the counters' window (not the report's totals) cleared. */
void config_new_client();
void counters_new_client();

} /* namespace cudasim */

#endif

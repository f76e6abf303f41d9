/* device_process.h: judge mode's device process, host and device in
 * separate address spaces as with a real GPU.
 *
 * When CUDASIM_DEVICE_REPORT_FD=<n> is set at process start, a constructor
 * that runs before any other static initialiser forks a device process.
 * Device memory, kernels, the memory-traffic counters and the record of
 * who wrote each result (result_origin.h) live only there; every runtime
 * entry point of the host process (the test, which runs student host code)
 * becomes a request to it over a socket. When every host process is done
 * (or died), the device process writes one line of JSON on fd n: totals
 * over its whole life, kept where no API call and no kernel can change
 * them. The format is in hardware/cudasim/README.md, "Device process".
 *
 * Criterion re-executes the test program for each test (and closes every
 * inherited descriptor), so host processes find the device by an abstract
 * socket name in CUDASIM_DEVICE_SOCKET; the device serves one connection at
 * a time, only from the process that started it or its descendants, and
 * resets the device (memory, sticky error, settings) when a client goes.
 */
#ifndef CUDASIM_DEVICE_PROCESS_H
#define CUDASIM_DEVICE_PROCESS_H

#include "cudasim.h"

#include <cstddef>
#include <cstdint>

namespace cudasim
{
namespace remote
{

/* True in a host process of judge mode: calls go to the device process. */
extern bool g_host;
inline bool active()
{
    return g_host;
}
/* True in the device process. */
extern bool g_device;

/* ---- host side: one request per runtime entry point ----------------------
 */
cudaError_t malloc_at(void **ptr, size_t size, bool managed, const char *file,
                      int line);
cudaError_t free_ptr(void *ptr);
cudaError_t memcpy_any(void *dst, const void *src, size_t n, int kind);
cudaError_t memset_dev(void *ptr, int value, size_t n);
cudaError_t symbol_copy(void *symbol, size_t symbol_size, void *host,
                        size_t count, size_t offset, int kind, bool to_symbol);
void launch(const LaunchSite &site, dim3 grid, dim3 block, size_t shmem,
            void (*body)(void *), const void *ctx, size_t ctx_size);
int pointer_arg(const LaunchSite &site, int index, const void *p);
/* Calls without arguments that return a cudaError_t. */
enum SimpleCall { kSync, kReset, kGetLastError, kPeekAtLastError };
cudaError_t simple(SimpleCall which);
void set_order(int order, unsigned seed);
void set_fault_mode(int mode);
const char *last_message();
unsigned long long allocation_mark();
size_t leaks_since(unsigned long long mark, char *msg, size_t cap);
void counters_reset();
void counters_get(cudasimCounters *out, bool last_launch);
int counters_available();
void gpu_origin(unsigned long long *kernel_bytes,
                unsigned long long *host_bytes);

/* ---- device side --------------------------------------------------------
 */
/* A fault that aborts the process in abort mode: in the device process the
 * host aborts instead (the request's reply says so), and the device goes on
 * to serve the next client; elsewhere abort(). */
[[noreturn]] void fault_abort();
/* The message of a kernel fault, for the report's "fault". */
void note_fault(const char *msg);
/* The device's lifetime totals (never reset): a launch that completed,
 * bytes copied. */
void life_add_launch(const cudasimCounters &launch);
void life_add_copy(int kind, size_t bytes);
/* Bytes copied back to the host that a kernel wrote, that host code wrote
 * (result_origin.h; no managed memory in judge mode), and the whole
 * kernel-written words among them, for the report's "kernel_words_sample"
 * (kernel_words_sample.h). */
void life_add_origin(unsigned long long kernel_bytes,
                     unsigned long long host_bytes,
                     const uint32_t *kernel_words, size_t n_words);
/* The address range reserved for device memory in both processes (empty
 * outside judge mode): the host never maps anything there. */
bool in_device_range(const void *p);
/* Maps len bytes of device memory (guard pages are the caller's), or
 * nullptr; unmap_device() gives them back to the reservation. */
void *map_device(size_t len);
void unmap_device(void *p, size_t len);

} /* namespace remote */
} /* namespace cudasim */

#endif

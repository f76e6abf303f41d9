/* result_origin.h: who wrote the device memory that is copied back to the
 * host: a kernel, or host code.
 *
 * Judge mode (grader/README.md "Judge mode") gives no points for a GPU
 * result computed on the host. The runtime tells this module about every
 * allocation, host write (cudaMemcpy to the device, cudaMemset) and launch;
 * it keeps, per 4-byte word of each allocation, the last writer and a copy
 * of the contents. At each launch and copy the contents are compared with
 * that copy: words that changed since were written by host code through the
 * pointer (cudaMallocManaged, or memory made accessible behind the
 * simulator's back); words a launch changed were written by the kernel.
 * Words set to zero by the host count as neither (cudaMemset(p, 0, n) of an
 * output that a kernel then only partly fills, as a histogram does).
 *
 * Each copy to the host adds its bytes to one of two totals: bytes a kernel
 * wrote, bytes only host code wrote. llmlings_gpu_origin() (cudasim.h)
 * reports them; the test harness records them at the end of each test and
 * the grader compares them with the reference solution's.
 *
 * A kernel that writes a word with the value it already held is not seen
 * writing it: the word keeps its previous writer. */
#ifndef CUDASIM_RESULT_ORIGIN_H
#define CUDASIM_RESULT_ORIGIN_H

#include <cstddef>

namespace cudasim
{
namespace origin
{

/* The contents of every tracked allocation must be readable during these
 * calls (the runtime lifts its host guard around them). */
void on_malloc(const char *ptr, size_t size, bool managed);
void on_free(const char *ptr);
/* Host code wrote [p, p+n) of an allocation (cudaMemcpy to the device,
 * cudaMemset): call after the write. */
void host_wrote(const char *p, size_t n);
/* [dst, dst+n) was copied from device memory [src, src+n): the source
 * words' writers carry over. Call after the copy. */
void device_copied(const char *dst, const char *src, size_t n);
/* Before and after a launch's blocks run. */
void launch_begin();
void launch_end();
/* Before a copy from device memory [p, p+n) to the host. */
void copied_to_host(const char *p, size_t n);
/* Compares every allocation with its copy: changes since the last call are
 * host code's. The other calls do this themselves. */
void sync_host_writes();

} /* namespace origin */
} /* namespace cudasim */

#endif

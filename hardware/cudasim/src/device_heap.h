/* device_heap.h: malloc, free, new and delete in kernel code.
 *
 * On a GPU, device-side malloc (and new) takes memory from a heap in device
 * memory, 8 MiB by default, and returns NULL when it is full; free (and
 * delete) gives it back. cudasim-cc --judge renames the references of the
 * student's objects to malloc, calloc, realloc, free, aligned_alloc,
 * posix_memalign, memalign and the global operator new and delete to the
 * __device_heap_* entry points of device_heap.cpp (not cudasim...: the
 * grader's judge-mode object check refuses a student object that names the
 * simulator's internals, and these are only the C library's calls under
 * another name). Outside kernels those call the C library as before;
 * while a kernel runs they use the device heap: one device buffer, whose
 * bytes kernel stores may write (checked and counted as global memory),
 * and whose bookkeeping lives apart from it. So in judge mode's device
 * process kernel code never gets memory of the C library's heap, which
 * the simulator's own objects share, and a free of a pointer the device
 * heap did not hand out, or of one already freed, stops the kernel with a
 * message.
 */
#ifndef CUDASIM_DEVICE_HEAP_H
#define CUDASIM_DEVICE_HEAP_H

#include <cstddef>
#include <cstdint>

namespace cudasim
{
namespace heap
{

constexpr size_t kHeapBytes = (size_t)8 << 20; /* cudaLimitMallocHeapSize */

/* The heap's bytes, mapped at the first call (between guard pages, in the
 * device's address range in judge mode): the launch's device map covers
 * them. *len is 0 when it could not be mapped. */
void region(uintptr_t *lo, size_t *len);

/* cudaDeviceReset: everything allocated is gone. */
void reset();

} /* namespace heap */
} /* namespace cudasim */

#endif

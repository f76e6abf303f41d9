/* shared_memory.h: where a block's shared memory lives in the simulator.
 *
 * Every __shared__ variable of a block, and the launch's dynamic shared
 * memory, gets its own pages in one reserved region, placed so that its
 * last byte touches a PROT_NONE guard page: a read or write past the end
 * of any shared array faults, and the fault is described by the array's
 * name, type and declaration. The capacity a GPU has (48 KiB per block,
 * static and dynamic together) is accounted separately from the pages.
 */
#ifndef CUDASIM_SHARED_MEMORY_H
#define CUDASIM_SHARED_MEMORY_H

#include <cstddef>

namespace cudasim
{
namespace shmem
{

/* Shared memory per block, as on the GPUs the workbook targets. */
constexpr size_t kLimit = 48 * 1024;

/* A new launch with dyn_bytes (<= kLimit) of dynamic shared memory. */
void launch_begin(size_t dyn_bytes);

/* A new block: its static variables are placed again, from the start. */
void block_begin();

/* Storage for one static variable of the running block: size bytes aligned
 * to align, named for messages. nullptr, with the reason in why, when it
 * does not fit in what is left of kLimit. */
void *place(size_t size, size_t align, const char *name, const char *type,
            const char *file, int line, char *why, size_t cap);

void *dynamic();
size_t dynamic_size();
/* Bytes of shared memory the running block has placed, as a GPU counts
 * them: its static variables (aligned) and the dynamic shared memory. */
size_t bytes_used();

/* For a fault at addr: true when addr is in the shared-memory region, with
 * what the access hit ("out-of-bounds write past the end of ...") in out. */
bool describe_fault(const char *addr, bool write, char *out, size_t cap);

/* For a race report: true when addr is in a shared variable of the running
 * block, with its name and the byte offset in out. */
bool describe(const char *addr, char *out, size_t cap);

/* The reserved region (everything shared memory can be), once reserved. */
const char *region_begin();
const char *region_end();

} /* namespace shmem */
} /* namespace cudasim */

#endif

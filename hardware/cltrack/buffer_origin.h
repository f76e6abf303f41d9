/* buffer_origin.h: who last wrote each OpenCL buffer that is read back:
 * a kernel, or the host.
 *
 * Judge mode (grader/README.md "Judge mode") gives no points for a GPU
 * result computed on the host. The wrapped calls (cl_wrappers.c) say when
 * the host writes a buffer (created from host memory, written, filled with
 * a non-zero pattern, mapped for writing), when a kernel is enqueued with a
 * buffer among its arguments (it may write any of them), and when a buffer
 * is read back (read, or mapped for reading). A read of a buffer that a
 * kernel received after its last host write adds its bytes to the kernel
 * total; a read of a buffer the host wrote and no kernel received since
 * adds them to the host total. A buffer nobody wrote (or filled with zeros)
 * counts for neither. llmlings_gpu_origin() reports the totals; the test
 * harness records them at the end of each test and the grader compares
 * them with the reference solution's. */
#ifndef CLTRACK_BUFFER_ORIGIN_H
#define CLTRACK_BUFFER_ORIGIN_H

#include <stddef.h>

/* A new buffer, made from host memory (CL_MEM_COPY_HOST_PTR or
 * CL_MEM_USE_HOST_PTR) or not. */
void origin_created(const void *buffer, int from_host);
void origin_host_wrote(const void *buffer);
/* dst's writer becomes src's (clEnqueueCopyBuffer). */
void origin_copied(const void *dst, const void *src);
/* Argument `index` of kernel is (value points to) a buffer, or not. */
void origin_kernel_arg(const void *kernel, unsigned index, size_t size,
                       const void *value);
/* kernel was enqueued: every buffer among its arguments may be written. */
void origin_kernel_enqueued(const void *kernel);
/* bytes of buffer were read back to the host. */
void origin_read(const void *buffer, size_t bytes);

/* The totals (see above); returns 1. Looked up by the test harness. */
__attribute__((visibility("default"))) int
llmlings_gpu_origin(unsigned long long *kernel_bytes,
                    unsigned long long *host_bytes);

#endif

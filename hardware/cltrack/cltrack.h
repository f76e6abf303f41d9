/* cltrack.h: OpenCL objects a program created and never released.
 *
 * libcltrack wraps the OpenCL calls that create, retain and release
 * objects (contexts, command queues, buffers and images, programs,
 * kernels, events, samplers, sub-devices, SVM allocations) and keeps
 * count, so a test can tell which objects the code under test left behind,
 * each named by the call that created it and its source line. It is either
 * preloaded (LD_PRELOAD=libcltrack.so, what the grader does for opencl
 * exercises) or linked before -lOpenCL (libcltrack.a); the real calls are
 * the next ones in the link order (dlsym RTLD_NEXT), so it works with any
 * ICD loader and platform (PoCL included).
 *
 * In a test, declare the two functions weak, so the test also runs where
 * libcltrack is absent (then there is nothing to check):
 *
 *   unsigned long long cltrack_mark(void) __attribute__((weak));
 *   size_t cltrack_unreleased_since(unsigned long long mark, char *msg,
 *                                   size_t cap) __attribute__((weak));
 *
 * and see hardware/README.md, "OpenCL objects never released".
 */
#ifndef CLTRACK_H
#define CLTRACK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The number of objects created so far (a mark for the next function). */
__attribute__((visibility("default"))) unsigned long long cltrack_mark(void);

/* How many objects created after `mark` are still not released; msg (cut
 * to cap, NUL-terminated) lists them: type, creating call, source line,
 * and the call that releases them. "" when there are none. */
__attribute__((visibility("default"))) size_t
cltrack_unreleased_since(unsigned long long mark, char *msg, size_t cap);

#ifdef __cplusplus
}
#endif

#endif

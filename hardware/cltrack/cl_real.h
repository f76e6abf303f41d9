/* cl_real.h: how libcltrack's OpenCL entry points reach the implementation
 * behind them.
 *
 * REAL(name) declares real_name, found on first use: the next definition
 * of name after libcltrack's own (the ICD loader's), or, in a host process
 * of judge mode (cl_remote.h), remote_name, which makes the call a request
 * to the device process. DEVICE_REAL(name) always finds the ICD loader's:
 * the device process uses it. */
#ifndef CLTRACK_CL_REAL_H
#define CLTRACK_CL_REAL_H

#include "cl_remote.h"

/* The next definition of name after this library's own; aborts with a
 * message when there is none. */
void *cltrack_real_function(const char *name);

#define REAL(name)                                                             \
    static __typeof__(&name) real_##name;                                      \
    if (real_##name == NULL)                                                   \
    real_##name = cltrack_remote_active()                                      \
                      ? remote_##name                                          \
                      : (__typeof__(&name))cltrack_real_function(#name)

#define DEVICE_REAL(name)                                                      \
    static __typeof__(&name) real_##name;                                      \
    if (real_##name == NULL)                                                   \
    real_##name = (__typeof__(&name))cltrack_real_function(#name)

#endif

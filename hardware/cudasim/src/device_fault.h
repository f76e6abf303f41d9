/* device_fault.h: stopping a kernel from simulator code outside the
 * scheduler (the WMMA operations of wmma.cpp).
 *
 * device_fault() reports the message like every kernel fault (kernel,
 * block, thread, then the message) and abandons the launch: the process
 * aborts, or with CUDASIM_ON_FAULT=error the launch fails with the sticky
 * cudaErrorLaunchFailure. Call it only from a running simulated thread.
 */
#ifndef CUDASIM_DEVICE_FAULT_H
#define CUDASIM_DEVICE_FAULT_H

namespace cudasim
{

[[noreturn]] void device_fault(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

} /* namespace cudasim */

#endif

/* cl_remote.h: judge mode's OpenCL device process, host side.
 *
 * When CLTRACK_DEVICE_REPORT_FD=<n> is set at process start, a libcltrack
 * constructor (priority 101: before the program's own initialisers and
 * main) forks a device process that alone makes the real OpenCL calls,
 * keeps who wrote each byte of each buffer, and writes a report on fd n
 * when the program is gone (hardware/README.md, "OpenCL device process").
 * The process that started it closes fd n and unsets the variable; it and
 * its descendants (Criterion's test workers, which find the device through
 * CLTRACK_DEVICE_SOCKET) are host processes: every OpenCL entry point of
 * libcltrack there is remote_NAME, a request to the device process, and
 * handles are opaque ids. The entry points the device process does not
 * serve (images, SVM, pipes, binaries, IL, built-in and native kernels,
 * ...) return CL_INVALID_OPERATION there and say so on stderr. */
#ifndef CLTRACK_CL_REMOTE_H
#define CLTRACK_CL_REMOTE_H

/* libcltrack is built with -fvisibility=hidden: the OpenCL entry points it
 * defines are exported, its own functions are not (a program cannot
 * interpose them). */
#define CL_API_ENTRY __attribute__((visibility("default")))
#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 300
#endif
#define CL_USE_DEPRECATED_OPENCL_1_1_APIS
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#define CL_USE_DEPRECATED_OPENCL_2_2_APIS
#include <CL/cl.h>

/* True in a host process of judge mode. */
int cltrack_remote_active(void);
/* The bytes this host process read back that a kernel wrote, that the
 * host wrote (as the device process counts them). */
void cl_remote_gpu_origin(unsigned long long *kernel_bytes,
                          unsigned long long *host_bytes);

/* The entry points served by the device process. */
#define CL_REMOTE_SERVED(X)                                                    \
    X(clGetPlatformIDs)                                                        \
    X(clGetPlatformInfo)                                                       \
    X(clGetDeviceIDs)                                                          \
    X(clGetDeviceInfo)                                                         \
    X(clCreateContext)                                                         \
    X(clCreateContextFromType)                                                 \
    X(clRetainContext)                                                         \
    X(clReleaseContext)                                                        \
    X(clGetContextInfo)                                                        \
    X(clCreateCommandQueue)                                                    \
    X(clCreateCommandQueueWithProperties)                                      \
    X(clRetainCommandQueue)                                                    \
    X(clReleaseCommandQueue)                                                   \
    X(clGetCommandQueueInfo)                                                   \
    X(clCreateBuffer)                                                          \
    X(clCreateSubBuffer)                                                       \
    X(clRetainMemObject)                                                       \
    X(clReleaseMemObject)                                                      \
    X(clGetMemObjectInfo)                                                      \
    X(clCreateProgramWithSource)                                               \
    X(clBuildProgram)                                                          \
    X(clRetainProgram)                                                         \
    X(clReleaseProgram)                                                        \
    X(clGetProgramInfo)                                                        \
    X(clGetProgramBuildInfo)                                                   \
    X(clCreateKernel)                                                          \
    X(clCreateKernelsInProgram)                                                \
    X(clRetainKernel)                                                          \
    X(clReleaseKernel)                                                         \
    X(clSetKernelArg)                                                          \
    X(clGetKernelInfo)                                                         \
    X(clGetKernelWorkGroupInfo)                                                \
    X(clRetainEvent)                                                           \
    X(clReleaseEvent)                                                          \
    X(clWaitForEvents)                                                         \
    X(clGetEventInfo)                                                          \
    X(clGetEventProfilingInfo)                                                 \
    X(clEnqueueReadBuffer)                                                     \
    X(clEnqueueWriteBuffer)                                                    \
    X(clEnqueueCopyBuffer)                                                     \
    X(clEnqueueFillBuffer)                                                     \
    X(clEnqueueMapBuffer)                                                      \
    X(clEnqueueUnmapMemObject)                                                 \
    X(clEnqueueNDRangeKernel)                                                  \
    X(clEnqueueTask)                                                           \
    X(clEnqueueMarker)                                                         \
    X(clEnqueueBarrier)                                                        \
    X(clEnqueueMarkerWithWaitList)                                             \
    X(clEnqueueBarrierWithWaitList)                                            \
    X(clFlush)                                                                 \
    X(clFinish)

/* The entry points libcltrack defines that judge mode refuses. */
#define CL_REMOTE_REFUSED(X)                                                   \
    X(clCreateSubDevices)                                                      \
    X(clRetainDevice)                                                          \
    X(clReleaseDevice)                                                         \
    X(clCreateBufferWithProperties)                                            \
    X(clCreateImage)                                                           \
    X(clCreateImageWithProperties)                                             \
    X(clCreateImage2D)                                                         \
    X(clCreateImage3D)                                                         \
    X(clCreatePipe)                                                            \
    X(clSVMAlloc)                                                              \
    X(clSVMFree)                                                               \
    X(clCreateSampler)                                                         \
    X(clCreateSamplerWithProperties)                                           \
    X(clRetainSampler)                                                         \
    X(clReleaseSampler)                                                        \
    X(clCreateProgramWithBinary)                                               \
    X(clCreateProgramWithBuiltInKernels)                                       \
    X(clCreateProgramWithIL)                                                   \
    X(clCompileProgram)                                                        \
    X(clLinkProgram)                                                           \
    X(clCloneKernel)                                                           \
    X(clGetKernelArgInfo)                                                      \
    X(clCreateUserEvent)                                                       \
    X(clSetUserEventStatus)                                                    \
    X(clSetEventCallback)                                                      \
    X(clSetMemObjectDestructorCallback)                                        \
    X(clGetSupportedImageFormats)                                              \
    X(clGetImageInfo)                                                          \
    X(clGetSamplerInfo)                                                        \
    X(clGetExtensionFunctionAddress)                                           \
    X(clGetExtensionFunctionAddressForPlatform)                                \
    X(clEnqueueNativeKernel)                                                   \
    X(clEnqueueReadBufferRect)                                                 \
    X(clEnqueueWriteBufferRect)                                                \
    X(clEnqueueCopyBufferRect)                                                 \
    X(clEnqueueReadImage)                                                      \
    X(clEnqueueWriteImage)                                                     \
    X(clEnqueueFillImage)                                                      \
    X(clEnqueueCopyImage)                                                      \
    X(clEnqueueCopyImageToBuffer)                                              \
    X(clEnqueueCopyBufferToImage)                                              \
    X(clEnqueueMapImage)                                                       \
    X(clEnqueueMigrateMemObjects)                                              \
    X(clEnqueueWaitForEvents)                                                  \
    X(clEnqueueSVMFree)                                                        \
    X(clEnqueueSVMMemcpy)                                                      \
    X(clEnqueueSVMMemFill)                                                     \
    X(clEnqueueSVMMap)                                                         \
    X(clEnqueueSVMUnmap)                                                       \
    X(clEnqueueSVMMigrateMem)                                                  \
    X(clGetDeviceAndHostTimer)                                                 \
    X(clGetHostTimer)                                                          \
    X(clGetKernelSubGroupInfo)                                                 \
    X(clGetPipeInfo)                                                           \
    X(clSetContextDestructorCallback)                                          \
    X(clSetDefaultDeviceCommandQueue)                                          \
    X(clSetKernelArgSVMPointer)                                                \
    X(clSetKernelExecInfo)                                                     \
    X(clSetProgramReleaseCallback)                                             \
    X(clSetProgramSpecializationConstant)                                      \
    X(clUnloadCompiler)                                                        \
    X(clUnloadPlatformCompiler)

#define CL_REMOTE_DECLARE(name) extern __typeof__(name) remote_##name;
CL_REMOTE_SERVED(CL_REMOTE_DECLARE)
CL_REMOTE_REFUSED(CL_REMOTE_DECLARE)
#undef CL_REMOTE_DECLARE

#endif

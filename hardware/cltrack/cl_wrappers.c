/* cl_wrappers.c: the OpenCL calls libcltrack stands in front of.
 *
 * Each one calls the real function (the next definition in the link order:
 * the ICD loader's) and tells the registry what was created, retained or
 * released, with the caller's return address for the report. Calls that do
 * not create or release objects are not wrapped, except those that move
 * data in and out of buffers or run kernels: they tell buffer_origin.c who
 * wrote each buffer. In a host process of judge mode the call they make is
 * a request to the device process (cl_real.h, cl_remote.h); the registry
 * then counts the ids it hands out.
 */
#define _GNU_SOURCE
#include "buffer_origin.h"
#include "cl_real.h"
#include "registry.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALLER __builtin_return_address(0)

void *cltrack_real_function(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    /* A program that does not load libOpenCL itself (a wrapper such as
     * timeout, preloaded too, that started judge mode's device) */
    static void *opencl;
    if (f == NULL && opencl == NULL)
        opencl = dlopen("libOpenCL.so.1", RTLD_NOW | RTLD_LOCAL);
    if (f == NULL && opencl != NULL)
        f = dlsym(opencl, name);
    if (f == NULL) {
        fprintf(stderr,
                "cltrack: no OpenCL library defines %s (link -lOpenCL after "
                "libcltrack.a, or preload libcltrack.so into a program "
                "linked with -lOpenCL)\n",
                name);
        abort();
    }
    return f;
}

/* An object returned through an out parameter (an event of an enqueue). */
static cl_int out_event(cl_int e, cl_event *event, const char *call,
                        const void *caller)
{
    if (e == CL_SUCCESS && event != NULL)
        cltrack_created(*event, CLT_EVENT, call, caller);
    return e;
}

static cl_int released(cl_int e, const void *handle)
{
    if (e == CL_SUCCESS)
        cltrack_released(handle);
    return e;
}

static cl_int retained(cl_int e, const void *handle)
{
    if (e == CL_SUCCESS)
        cltrack_retained(handle);
    return e;
}

/* Object creators returning the object. */
#define CREATED(kind, name, ...)                                               \
    REAL(name);                                                                \
    void *obj_ = real_##name(__VA_ARGS__);                                     \
    cltrack_created(obj_, kind, #name, CALLER);                                \
    return obj_

/* Enqueues with a cl_event *event out parameter. */
#define ENQUEUED(name, event, ...)                                             \
    REAL(name);                                                                \
    return out_event(real_##name(__VA_ARGS__), event, #name, CALLER)

/* ---- contexts and queues ------------------------------------------------ */

CL_API_ENTRY cl_context CL_API_CALL clCreateContext(
    const cl_context_properties *properties, cl_uint num_devices,
    const cl_device_id *devices,
    void(CL_CALLBACK *pfn_notify)(const char *, const void *, size_t, void *),
    void *user_data, cl_int *errcode_ret)
{
    CREATED(CLT_CONTEXT, clCreateContext, properties, num_devices, devices,
            pfn_notify, user_data, errcode_ret);
}

CL_API_ENTRY cl_context CL_API_CALL clCreateContextFromType(
    const cl_context_properties *properties, cl_device_type device_type,
    void(CL_CALLBACK *pfn_notify)(const char *, const void *, size_t, void *),
    void *user_data, cl_int *errcode_ret)
{
    CREATED(CLT_CONTEXT, clCreateContextFromType, properties, device_type,
            pfn_notify, user_data, errcode_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clRetainContext(cl_context c)
{
    REAL(clRetainContext);
    return retained(real_clRetainContext(c), c);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseContext(cl_context c)
{
    REAL(clReleaseContext);
    return released(real_clReleaseContext(c), c);
}

CL_API_ENTRY cl_command_queue CL_API_CALL clCreateCommandQueue(
    cl_context context, cl_device_id device,
    cl_command_queue_properties properties, cl_int *errcode_ret)
{
    CREATED(CLT_QUEUE, clCreateCommandQueue, context, device, properties,
            errcode_ret);
}

CL_API_ENTRY cl_command_queue CL_API_CALL clCreateCommandQueueWithProperties(
    cl_context context, cl_device_id device,
    const cl_queue_properties *properties, cl_int *errcode_ret)
{
    CREATED(CLT_QUEUE, clCreateCommandQueueWithProperties, context, device,
            properties, errcode_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clRetainCommandQueue(cl_command_queue q)
{
    REAL(clRetainCommandQueue);
    return retained(real_clRetainCommandQueue(q), q);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseCommandQueue(cl_command_queue q)
{
    REAL(clReleaseCommandQueue);
    return released(real_clReleaseCommandQueue(q), q);
}

/* ---- sub-devices ----------------------------------------------------------
 */

CL_API_ENTRY cl_int CL_API_CALL clCreateSubDevices(
    cl_device_id in_device, const cl_device_partition_property *properties,
    cl_uint num_devices, cl_device_id *out_devices, cl_uint *num_devices_ret)
{
    REAL(clCreateSubDevices);
    cl_int e = real_clCreateSubDevices(in_device, properties, num_devices,
                                       out_devices, num_devices_ret);
    if (e == CL_SUCCESS && out_devices != NULL) {
        cl_uint n = num_devices;
        if (num_devices_ret != NULL && *num_devices_ret < n)
            n = *num_devices_ret;
        for (cl_uint i = 0; i < n; i++)
            cltrack_created(out_devices[i], CLT_DEVICE, "clCreateSubDevices",
                            CALLER);
    }
    return e;
}

CL_API_ENTRY cl_int CL_API_CALL clRetainDevice(cl_device_id d)
{
    REAL(clRetainDevice);
    return retained(real_clRetainDevice(d), d);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseDevice(cl_device_id d)
{
    REAL(clReleaseDevice);
    return released(real_clReleaseDevice(d), d);
}

/* ---- memory objects -------------------------------------------------------
 */

CL_API_ENTRY cl_mem CL_API_CALL clCreateBuffer(cl_context context,
                                               cl_mem_flags flags, size_t size,
                                               void *host_ptr,
                                               cl_int *errcode_ret)
{
    REAL(clCreateBuffer);
    cl_mem m = real_clCreateBuffer(context, flags, size, host_ptr, errcode_ret);
    cltrack_created(m, CLT_MEM, "clCreateBuffer", CALLER);
    if (m != NULL)
        origin_created(
            m, (flags & (CL_MEM_COPY_HOST_PTR | CL_MEM_USE_HOST_PTR)) != 0);
    return m;
}

CL_API_ENTRY cl_mem CL_API_CALL clCreateBufferWithProperties(
    cl_context context, const cl_mem_properties *properties, cl_mem_flags flags,
    size_t size, void *host_ptr, cl_int *errcode_ret)
{
    REAL(clCreateBufferWithProperties);
    cl_mem m = real_clCreateBufferWithProperties(context, properties, flags,
                                                 size, host_ptr, errcode_ret);
    cltrack_created(m, CLT_MEM, "clCreateBufferWithProperties", CALLER);
    if (m != NULL)
        origin_created(
            m, (flags & (CL_MEM_COPY_HOST_PTR | CL_MEM_USE_HOST_PTR)) != 0);
    return m;
}

CL_API_ENTRY cl_mem CL_API_CALL clCreateSubBuffer(cl_mem buffer,
                                                  cl_mem_flags flags,
                                                  cl_buffer_create_type type,
                                                  const void *info,
                                                  cl_int *errcode_ret)
{
    CREATED(CLT_MEM, clCreateSubBuffer, buffer, flags, type, info, errcode_ret);
}

CL_API_ENTRY cl_mem CL_API_CALL clCreateImage(
    cl_context context, cl_mem_flags flags, const cl_image_format *format,
    const cl_image_desc *desc, void *host_ptr, cl_int *errcode_ret)
{
    CREATED(CLT_MEM, clCreateImage, context, flags, format, desc, host_ptr,
            errcode_ret);
}

CL_API_ENTRY cl_mem CL_API_CALL clCreateImageWithProperties(
    cl_context context, const cl_mem_properties *properties, cl_mem_flags flags,
    const cl_image_format *format, const cl_image_desc *desc, void *host_ptr,
    cl_int *errcode_ret)
{
    CREATED(CLT_MEM, clCreateImageWithProperties, context, properties, flags,
            format, desc, host_ptr, errcode_ret);
}

CL_API_ENTRY cl_mem CL_API_CALL
clCreateImage2D(cl_context context, cl_mem_flags flags,
                const cl_image_format *format, size_t width, size_t height,
                size_t row_pitch, void *host_ptr, cl_int *errcode_ret)
{
    CREATED(CLT_MEM, clCreateImage2D, context, flags, format, width, height,
            row_pitch, host_ptr, errcode_ret);
}

CL_API_ENTRY cl_mem CL_API_CALL clCreateImage3D(
    cl_context context, cl_mem_flags flags, const cl_image_format *format,
    size_t width, size_t height, size_t depth, size_t row_pitch,
    size_t slice_pitch, void *host_ptr, cl_int *errcode_ret)
{
    CREATED(CLT_MEM, clCreateImage3D, context, flags, format, width, height,
            depth, row_pitch, slice_pitch, host_ptr, errcode_ret);
}

CL_API_ENTRY cl_mem CL_API_CALL
clCreatePipe(cl_context context, cl_mem_flags flags, cl_uint packet_size,
             cl_uint max_packets, const cl_pipe_properties *properties,
             cl_int *errcode_ret)
{
    CREATED(CLT_MEM, clCreatePipe, context, flags, packet_size, max_packets,
            properties, errcode_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clRetainMemObject(cl_mem m)
{
    REAL(clRetainMemObject);
    return retained(real_clRetainMemObject(m), m);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseMemObject(cl_mem m)
{
    REAL(clReleaseMemObject);
    return released(real_clReleaseMemObject(m), m);
}

CL_API_ENTRY void *CL_API_CALL clSVMAlloc(cl_context context,
                                          cl_svm_mem_flags flags, size_t size,
                                          cl_uint alignment)
{
    CREATED(CLT_SVM, clSVMAlloc, context, flags, size, alignment);
}

CL_API_ENTRY void CL_API_CALL clSVMFree(cl_context context, void *svm_pointer)
{
    REAL(clSVMFree);
    real_clSVMFree(context, svm_pointer);
    cltrack_released(svm_pointer);
}

/* ---- samplers -------------------------------------------------------------
 */

CL_API_ENTRY cl_sampler CL_API_CALL clCreateSampler(
    cl_context context, cl_bool normalized, cl_addressing_mode addressing,
    cl_filter_mode filter, cl_int *errcode_ret)
{
    CREATED(CLT_SAMPLER, clCreateSampler, context, normalized, addressing,
            filter, errcode_ret);
}

CL_API_ENTRY cl_sampler CL_API_CALL clCreateSamplerWithProperties(
    cl_context context, const cl_sampler_properties *properties,
    cl_int *errcode_ret)
{
    CREATED(CLT_SAMPLER, clCreateSamplerWithProperties, context, properties,
            errcode_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clRetainSampler(cl_sampler s)
{
    REAL(clRetainSampler);
    return retained(real_clRetainSampler(s), s);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseSampler(cl_sampler s)
{
    REAL(clReleaseSampler);
    return released(real_clReleaseSampler(s), s);
}

/* ---- programs and kernels -------------------------------------------------
 */

CL_API_ENTRY cl_program CL_API_CALL clCreateProgramWithSource(
    cl_context context, cl_uint count, const char **strings,
    const size_t *lengths, cl_int *errcode_ret)
{
    CREATED(CLT_PROGRAM, clCreateProgramWithSource, context, count, strings,
            lengths, errcode_ret);
}

CL_API_ENTRY cl_program CL_API_CALL clCreateProgramWithBinary(
    cl_context context, cl_uint num_devices, const cl_device_id *devices,
    const size_t *lengths, const unsigned char **binaries,
    cl_int *binary_status, cl_int *errcode_ret)
{
    CREATED(CLT_PROGRAM, clCreateProgramWithBinary, context, num_devices,
            devices, lengths, binaries, binary_status, errcode_ret);
}

CL_API_ENTRY cl_program CL_API_CALL clCreateProgramWithBuiltInKernels(
    cl_context context, cl_uint num_devices, const cl_device_id *devices,
    const char *kernel_names, cl_int *errcode_ret)
{
    CREATED(CLT_PROGRAM, clCreateProgramWithBuiltInKernels, context,
            num_devices, devices, kernel_names, errcode_ret);
}

CL_API_ENTRY cl_program CL_API_CALL clCreateProgramWithIL(cl_context context,
                                                          const void *il,
                                                          size_t length,
                                                          cl_int *errcode_ret)
{
    CREATED(CLT_PROGRAM, clCreateProgramWithIL, context, il, length,
            errcode_ret);
}

CL_API_ENTRY cl_program CL_API_CALL clLinkProgram(
    cl_context context, cl_uint num_devices, const cl_device_id *devices,
    const char *options, cl_uint num_inputs, const cl_program *inputs,
    void(CL_CALLBACK *pfn_notify)(cl_program, void *), void *user_data,
    cl_int *errcode_ret)
{
    CREATED(CLT_PROGRAM, clLinkProgram, context, num_devices, devices, options,
            num_inputs, inputs, pfn_notify, user_data, errcode_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clRetainProgram(cl_program p)
{
    REAL(clRetainProgram);
    return retained(real_clRetainProgram(p), p);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseProgram(cl_program p)
{
    REAL(clReleaseProgram);
    return released(real_clReleaseProgram(p), p);
}

CL_API_ENTRY cl_kernel CL_API_CALL clCreateKernel(cl_program program,
                                                  const char *kernel_name,
                                                  cl_int *errcode_ret)
{
    CREATED(CLT_KERNEL, clCreateKernel, program, kernel_name, errcode_ret);
}

CL_API_ENTRY cl_kernel CL_API_CALL clCloneKernel(cl_kernel source,
                                                 cl_int *errcode_ret)
{
    CREATED(CLT_KERNEL, clCloneKernel, source, errcode_ret);
}

CL_API_ENTRY cl_int CL_API_CALL
clCreateKernelsInProgram(cl_program program, cl_uint num_kernels,
                         cl_kernel *kernels, cl_uint *num_kernels_ret)
{
    REAL(clCreateKernelsInProgram);
    cl_int e = real_clCreateKernelsInProgram(program, num_kernels, kernels,
                                             num_kernels_ret);
    if (e == CL_SUCCESS && kernels != NULL) {
        cl_uint n = num_kernels;
        if (num_kernels_ret != NULL && *num_kernels_ret < n)
            n = *num_kernels_ret;
        for (cl_uint i = 0; i < n; i++)
            cltrack_created(kernels[i], CLT_KERNEL, "clCreateKernelsInProgram",
                            CALLER);
    }
    return e;
}

CL_API_ENTRY cl_int CL_API_CALL clRetainKernel(cl_kernel k)
{
    REAL(clRetainKernel);
    return retained(real_clRetainKernel(k), k);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseKernel(cl_kernel k)
{
    REAL(clReleaseKernel);
    return released(real_clReleaseKernel(k), k);
}

/* ---- events ---------------------------------------------------------------
 */

CL_API_ENTRY cl_event CL_API_CALL clCreateUserEvent(cl_context context,
                                                    cl_int *errcode_ret)
{
    CREATED(CLT_EVENT, clCreateUserEvent, context, errcode_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clRetainEvent(cl_event e)
{
    REAL(clRetainEvent);
    return retained(real_clRetainEvent(e), e);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseEvent(cl_event e)
{
    REAL(clReleaseEvent);
    return released(real_clReleaseEvent(e), e);
}

/* ---- enqueues that return an event ----------------------------------------
 */

CL_API_ENTRY cl_int CL_API_CALL clEnqueueNDRangeKernel(
    cl_command_queue q, cl_kernel kernel, cl_uint work_dim,
    const size_t *offset, const size_t *global, const size_t *local, cl_uint n,
    const cl_event *wait, cl_event *event)
{
    origin_kernel_enqueued(kernel);
    ENQUEUED(clEnqueueNDRangeKernel, event, q, kernel, work_dim, offset, global,
             local, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clSetKernelArg(cl_kernel kernel, cl_uint index,
                                               size_t size, const void *value)
{
    REAL(clSetKernelArg);
    cl_int e = real_clSetKernelArg(kernel, index, size, value);
    if (e == CL_SUCCESS)
        origin_kernel_arg(kernel, index, size, value);
    return e;
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueTask(cl_command_queue q,
                                              cl_kernel kernel, cl_uint n,
                                              const cl_event *wait,
                                              cl_event *event)
{
    origin_kernel_enqueued(kernel);
    ENQUEUED(clEnqueueTask, event, q, kernel, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueNativeKernel(
    cl_command_queue q, void(CL_CALLBACK *user_func)(void *), void *args,
    size_t cb_args, cl_uint num_mem, const cl_mem *mem_list,
    const void **args_mem_loc, cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueNativeKernel, event, q, user_func, args, cb_args, num_mem,
             mem_list, args_mem_loc, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueReadBuffer(
    cl_command_queue q, cl_mem buffer, cl_bool blocking, size_t offset,
    size_t size, void *ptr, cl_uint n, const cl_event *wait, cl_event *event)
{
    origin_read(buffer, size);
    ENQUEUED(clEnqueueReadBuffer, event, q, buffer, blocking, offset, size, ptr,
             n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL
clEnqueueWriteBuffer(cl_command_queue q, cl_mem buffer, cl_bool blocking,
                     size_t offset, size_t size, const void *ptr, cl_uint n,
                     const cl_event *wait, cl_event *event)
{
    origin_host_wrote(buffer);
    ENQUEUED(clEnqueueWriteBuffer, event, q, buffer, blocking, offset, size,
             ptr, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueReadBufferRect(
    cl_command_queue q, cl_mem buffer, cl_bool blocking,
    const size_t *buffer_origin, const size_t *host_origin,
    const size_t *region, size_t buffer_row_pitch, size_t buffer_slice_pitch,
    size_t host_row_pitch, size_t host_slice_pitch, void *ptr, cl_uint n,
    const cl_event *wait, cl_event *event)
{
    if (region != NULL)
        origin_read(buffer, region[0] * region[1] * region[2]);
    ENQUEUED(clEnqueueReadBufferRect, event, q, buffer, blocking, buffer_origin,
             host_origin, region, buffer_row_pitch, buffer_slice_pitch,
             host_row_pitch, host_slice_pitch, ptr, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueWriteBufferRect(
    cl_command_queue q, cl_mem buffer, cl_bool blocking,
    const size_t *buffer_origin, const size_t *host_origin,
    const size_t *region, size_t buffer_row_pitch, size_t buffer_slice_pitch,
    size_t host_row_pitch, size_t host_slice_pitch, const void *ptr, cl_uint n,
    const cl_event *wait, cl_event *event)
{
    origin_host_wrote(buffer);
    ENQUEUED(clEnqueueWriteBufferRect, event, q, buffer, blocking,
             buffer_origin, host_origin, region, buffer_row_pitch,
             buffer_slice_pitch, host_row_pitch, host_slice_pitch, ptr, n, wait,
             event);
}

CL_API_ENTRY cl_int CL_API_CALL
clEnqueueFillBuffer(cl_command_queue q, cl_mem buffer, const void *pattern,
                    size_t pattern_size, size_t offset, size_t size, cl_uint n,
                    const cl_event *wait, cl_event *event)
{
    static const char zeros[128];
    if (pattern == NULL || pattern_size > sizeof zeros ||
        memcmp(pattern, zeros, pattern_size) != 0)
        origin_host_wrote(buffer); /* zeros: an output cleared, no result */
    ENQUEUED(clEnqueueFillBuffer, event, q, buffer, pattern, pattern_size,
             offset, size, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL
clEnqueueCopyBuffer(cl_command_queue q, cl_mem src, cl_mem dst,
                    size_t src_offset, size_t dst_offset, size_t size,
                    cl_uint n, const cl_event *wait, cl_event *event)
{
    origin_copied(dst, src);
    ENQUEUED(clEnqueueCopyBuffer, event, q, src, dst, src_offset, dst_offset,
             size, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueCopyBufferRect(
    cl_command_queue q, cl_mem src, cl_mem dst, const size_t *src_origin,
    const size_t *dst_origin, const size_t *region, size_t src_row_pitch,
    size_t src_slice_pitch, size_t dst_row_pitch, size_t dst_slice_pitch,
    cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueCopyBufferRect, event, q, src, dst, src_origin,
             dst_origin, region, src_row_pitch, src_slice_pitch, dst_row_pitch,
             dst_slice_pitch, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueReadImage(
    cl_command_queue q, cl_mem image, cl_bool blocking, const size_t *origin,
    const size_t *region, size_t row_pitch, size_t slice_pitch, void *ptr,
    cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueReadImage, event, q, image, blocking, origin, region,
             row_pitch, slice_pitch, ptr, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueWriteImage(
    cl_command_queue q, cl_mem image, cl_bool blocking, const size_t *origin,
    const size_t *region, size_t row_pitch, size_t slice_pitch, const void *ptr,
    cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueWriteImage, event, q, image, blocking, origin, region,
             row_pitch, slice_pitch, ptr, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL
clEnqueueFillImage(cl_command_queue q, cl_mem image, const void *fill_color,
                   const size_t *origin, const size_t *region, cl_uint n,
                   const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueFillImage, event, q, image, fill_color, origin, region, n,
             wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueCopyImage(
    cl_command_queue q, cl_mem src, cl_mem dst, const size_t *src_origin,
    const size_t *dst_origin, const size_t *region, cl_uint n,
    const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueCopyImage, event, q, src, dst, src_origin, dst_origin,
             region, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueCopyImageToBuffer(
    cl_command_queue q, cl_mem src, cl_mem dst, const size_t *src_origin,
    const size_t *region, size_t dst_offset, cl_uint n, const cl_event *wait,
    cl_event *event)
{
    ENQUEUED(clEnqueueCopyImageToBuffer, event, q, src, dst, src_origin, region,
             dst_offset, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueCopyBufferToImage(
    cl_command_queue q, cl_mem src, cl_mem dst, size_t src_offset,
    const size_t *dst_origin, const size_t *region, cl_uint n,
    const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueCopyBufferToImage, event, q, src, dst, src_offset,
             dst_origin, region, n, wait, event);
}

CL_API_ENTRY void *CL_API_CALL
clEnqueueMapBuffer(cl_command_queue q, cl_mem buffer, cl_bool blocking,
                   cl_map_flags flags, size_t offset, size_t size, cl_uint n,
                   const cl_event *wait, cl_event *event, cl_int *errcode_ret)
{
    REAL(clEnqueueMapBuffer);
    if (flags & CL_MAP_READ)
        origin_read(buffer, size);
    if (flags & (CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION))
        origin_host_wrote(buffer);
    cl_int e;
    void *p = real_clEnqueueMapBuffer(q, buffer, blocking, flags, offset, size,
                                      n, wait, event, &e);
    out_event(e, event, "clEnqueueMapBuffer", CALLER);
    if (errcode_ret != NULL)
        *errcode_ret = e;
    return p;
}

CL_API_ENTRY void *CL_API_CALL clEnqueueMapImage(
    cl_command_queue q, cl_mem image, cl_bool blocking, cl_map_flags flags,
    const size_t *origin, const size_t *region, size_t *row_pitch,
    size_t *slice_pitch, cl_uint n, const cl_event *wait, cl_event *event,
    cl_int *errcode_ret)
{
    REAL(clEnqueueMapImage);
    cl_int e;
    void *p =
        real_clEnqueueMapImage(q, image, blocking, flags, origin, region,
                               row_pitch, slice_pitch, n, wait, event, &e);
    out_event(e, event, "clEnqueueMapImage", CALLER);
    if (errcode_ret != NULL)
        *errcode_ret = e;
    return p;
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueUnmapMemObject(cl_command_queue q,
                                                        cl_mem memobj,
                                                        void *mapped, cl_uint n,
                                                        const cl_event *wait,
                                                        cl_event *event)
{
    ENQUEUED(clEnqueueUnmapMemObject, event, q, memobj, mapped, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL
clEnqueueMigrateMemObjects(cl_command_queue q, cl_uint num_mem,
                           const cl_mem *mems, cl_mem_migration_flags flags,
                           cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueMigrateMemObjects, event, q, num_mem, mems, flags, n,
             wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueMarkerWithWaitList(
    cl_command_queue q, cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueMarkerWithWaitList, event, q, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueBarrierWithWaitList(
    cl_command_queue q, cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueBarrierWithWaitList, event, q, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueMarker(cl_command_queue q,
                                                cl_event *event)
{
    ENQUEUED(clEnqueueMarker, event, q, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueSVMFree(
    cl_command_queue q, cl_uint num_svm, void *svm_pointers[],
    void(CL_CALLBACK *pfn_free)(cl_command_queue, cl_uint, void *[], void *),
    void *user_data, cl_uint n, const cl_event *wait, cl_event *event)
{
    REAL(clEnqueueSVMFree);
    cl_int e = real_clEnqueueSVMFree(q, num_svm, svm_pointers, pfn_free,
                                     user_data, n, wait, event);
    for (cl_uint i = 0; e == CL_SUCCESS && i < num_svm; i++)
        cltrack_released(svm_pointers[i]);
    return out_event(e, event, "clEnqueueSVMFree", CALLER);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueSVMMemcpy(
    cl_command_queue q, cl_bool blocking, void *dst, const void *src,
    size_t size, cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueSVMMemcpy, event, q, blocking, dst, src, size, n, wait,
             event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueSVMMemFill(
    cl_command_queue q, void *svm_ptr, const void *pattern, size_t pattern_size,
    size_t size, cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueSVMMemFill, event, q, svm_ptr, pattern, pattern_size,
             size, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueSVMMap(
    cl_command_queue q, cl_bool blocking, cl_map_flags flags, void *svm_ptr,
    size_t size, cl_uint n, const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueSVMMap, event, q, blocking, flags, svm_ptr, size, n, wait,
             event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueSVMUnmap(cl_command_queue q,
                                                  void *svm_ptr, cl_uint n,
                                                  const cl_event *wait,
                                                  cl_event *event)
{
    ENQUEUED(clEnqueueSVMUnmap, event, q, svm_ptr, n, wait, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueSVMMigrateMem(
    cl_command_queue q, cl_uint num_svm, const void **svm_pointers,
    const size_t *sizes, cl_mem_migration_flags flags, cl_uint n,
    const cl_event *wait, cl_event *event)
{
    ENQUEUED(clEnqueueSVMMigrateMem, event, q, num_svm, svm_pointers, sizes,
             flags, n, wait, event);
}

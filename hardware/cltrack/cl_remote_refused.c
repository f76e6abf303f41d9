/* cl_remote_refused.c: the OpenCL entry points libcltrack defines that a
 * judge-mode host process may not use (cl_remote.h): each says so on
 * stderr and fails with CL_INVALID_OPERATION (NULL for the calls that
 * return an object or a pointer). Programs from binaries or IL, built-in
 * and native kernels would run code the device process cannot check;
 * images, samplers, pipes, SVM, rectangles and the rest are not needed by
 * any exercise and not served. */
#include "cl_remote.h"

#include <stdio.h>

/* The refusals ignore their arguments. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

static void refuse(const char *name)
{
    fprintf(stderr,
            "cltrack: judge mode: %s is not available: OpenCL runs in a "
            "separate device process that serves buffers, programs from "
            "source and kernels only (CL_INVALID_OPERATION)\n",
            name);
    fflush(stderr);
}

/* A refused call returning a cl_int. */
#define REFUSED(name, params)                                                  \
    cl_int remote_##name params                                                \
    {                                                                          \
        refuse(#name);                                                         \
        return CL_INVALID_OPERATION;                                           \
    }

/* A refused call returning an object, with errcode_ret. */
#define REFUSED_OBJECT(type, name, params)                                     \
    type remote_##name params                                                  \
    {                                                                          \
        refuse(#name);                                                         \
        if (errcode_ret != NULL)                                               \
            *errcode_ret = CL_INVALID_OPERATION;                               \
        return NULL;                                                           \
    }

typedef void(CL_CALLBACK *context_notify)(const char *, const void *, size_t,
                                          void *);
typedef void(CL_CALLBACK *program_notify)(cl_program, void *);

REFUSED(clCreateSubDevices,
        (cl_device_id in_device, const cl_device_partition_property *props,
         cl_uint num_devices, cl_device_id *out_devices, cl_uint *num_ret))
REFUSED(clRetainDevice, (cl_device_id d))
REFUSED(clReleaseDevice, (cl_device_id d))
REFUSED_OBJECT(cl_mem, clCreateBufferWithProperties,
               (cl_context context, const cl_mem_properties *properties,
                cl_mem_flags flags, size_t size, void *host_ptr,
                cl_int *errcode_ret))
REFUSED_OBJECT(cl_mem, clCreateImage,
               (cl_context context, cl_mem_flags flags,
                const cl_image_format *format, const cl_image_desc *desc,
                void *host_ptr, cl_int *errcode_ret))
REFUSED_OBJECT(cl_mem, clCreateImageWithProperties,
               (cl_context context, const cl_mem_properties *properties,
                cl_mem_flags flags, const cl_image_format *format,
                const cl_image_desc *desc, void *host_ptr, cl_int *errcode_ret))
REFUSED_OBJECT(cl_mem, clCreateImage2D,
               (cl_context context, cl_mem_flags flags,
                const cl_image_format *format, size_t width, size_t height,
                size_t row_pitch, void *host_ptr, cl_int *errcode_ret))
REFUSED_OBJECT(cl_mem, clCreateImage3D,
               (cl_context context, cl_mem_flags flags,
                const cl_image_format *format, size_t width, size_t height,
                size_t depth, size_t row_pitch, size_t slice_pitch,
                void *host_ptr, cl_int *errcode_ret))
REFUSED_OBJECT(cl_mem, clCreatePipe,
               (cl_context context, cl_mem_flags flags, cl_uint packet_size,
                cl_uint max_packets, const cl_pipe_properties *properties,
                cl_int *errcode_ret))

void *remote_clSVMAlloc(cl_context context, cl_svm_mem_flags flags, size_t size,
                        cl_uint alignment)
{
    (void)context, (void)flags, (void)size, (void)alignment;
    refuse("clSVMAlloc");
    return NULL;
}

void remote_clSVMFree(cl_context context, void *svm_pointer)
{
    (void)context, (void)svm_pointer;
    refuse("clSVMFree");
}

REFUSED_OBJECT(cl_sampler, clCreateSampler,
               (cl_context context, cl_bool normalized,
                cl_addressing_mode addressing, cl_filter_mode filter,
                cl_int *errcode_ret))
REFUSED_OBJECT(cl_sampler, clCreateSamplerWithProperties,
               (cl_context context, const cl_sampler_properties *properties,
                cl_int *errcode_ret))
REFUSED(clRetainSampler, (cl_sampler s))
REFUSED(clReleaseSampler, (cl_sampler s))
REFUSED_OBJECT(cl_program, clCreateProgramWithBinary,
               (cl_context context, cl_uint num_devices,
                const cl_device_id *devices, const size_t *lengths,
                const unsigned char **binaries, cl_int *binary_status,
                cl_int *errcode_ret))
REFUSED_OBJECT(cl_program, clCreateProgramWithBuiltInKernels,
               (cl_context context, cl_uint num_devices,
                const cl_device_id *devices, const char *kernel_names,
                cl_int *errcode_ret))
REFUSED_OBJECT(cl_program, clCreateProgramWithIL,
               (cl_context context, const void *il, size_t length,
                cl_int *errcode_ret))
REFUSED(clCompileProgram,
        (cl_program program, cl_uint num_devices, const cl_device_id *devices,
         const char *options, cl_uint num_headers, const cl_program *headers,
         const char **header_names, program_notify pfn_notify, void *user_data))
REFUSED_OBJECT(cl_program, clLinkProgram,
               (cl_context context, cl_uint num_devices,
                const cl_device_id *devices, const char *options,
                cl_uint num_inputs, const cl_program *inputs,
                program_notify pfn_notify, void *user_data,
                cl_int *errcode_ret))
REFUSED_OBJECT(cl_kernel, clCloneKernel,
               (cl_kernel source, cl_int *errcode_ret))
REFUSED(clGetKernelArgInfo,
        (cl_kernel kernel, cl_uint index, cl_kernel_arg_info param, size_t size,
         void *value, size_t *size_ret))
REFUSED_OBJECT(cl_event, clCreateUserEvent,
               (cl_context context, cl_int *errcode_ret))
REFUSED(clSetUserEventStatus, (cl_event event, cl_int status))
REFUSED(clSetEventCallback,
        (cl_event event, cl_int type,
         void(CL_CALLBACK *pfn_notify)(cl_event, cl_int, void *),
         void *user_data))
REFUSED(clSetMemObjectDestructorCallback,
        (cl_mem memobj, void(CL_CALLBACK *pfn_notify)(cl_mem, void *),
         void *user_data))
REFUSED(clGetSupportedImageFormats,
        (cl_context context, cl_mem_flags flags, cl_mem_object_type type,
         cl_uint num_entries, cl_image_format *formats, cl_uint *num_formats))
REFUSED(clGetImageInfo, (cl_mem image, cl_image_info param, size_t size,
                         void *value, size_t *size_ret))
REFUSED(clGetSamplerInfo, (cl_sampler sampler, cl_sampler_info param,
                           size_t size, void *value, size_t *size_ret))

void *remote_clGetExtensionFunctionAddress(const char *name)
{
    (void)name;
    refuse("clGetExtensionFunctionAddress");
    return NULL;
}

void *remote_clGetExtensionFunctionAddressForPlatform(cl_platform_id platform,
                                                      const char *name)
{
    (void)platform, (void)name;
    refuse("clGetExtensionFunctionAddressForPlatform");
    return NULL;
}

REFUSED(clEnqueueNativeKernel,
        (cl_command_queue q, void(CL_CALLBACK *user_func)(void *), void *args,
         size_t cb_args, cl_uint num_mem, const cl_mem *mem_list,
         const void **args_mem_loc, cl_uint n, const cl_event *wait,
         cl_event *event))
REFUSED(clEnqueueReadBufferRect,
        (cl_command_queue q, cl_mem buffer, cl_bool blocking,
         const size_t *buffer_origin, const size_t *host_origin,
         const size_t *region, size_t buffer_row_pitch,
         size_t buffer_slice_pitch, size_t host_row_pitch,
         size_t host_slice_pitch, void *ptr, cl_uint n, const cl_event *wait,
         cl_event *event))
REFUSED(clEnqueueWriteBufferRect,
        (cl_command_queue q, cl_mem buffer, cl_bool blocking,
         const size_t *buffer_origin, const size_t *host_origin,
         const size_t *region, size_t buffer_row_pitch,
         size_t buffer_slice_pitch, size_t host_row_pitch,
         size_t host_slice_pitch, const void *ptr, cl_uint n,
         const cl_event *wait, cl_event *event))
REFUSED(clEnqueueCopyBufferRect,
        (cl_command_queue q, cl_mem src, cl_mem dst, const size_t *src_origin,
         const size_t *dst_origin, const size_t *region, size_t src_row_pitch,
         size_t src_slice_pitch, size_t dst_row_pitch, size_t dst_slice_pitch,
         cl_uint n, const cl_event *wait, cl_event *event))
REFUSED(clEnqueueReadImage, (cl_command_queue q, cl_mem image, cl_bool blocking,
                             const size_t *origin, const size_t *region,
                             size_t row_pitch, size_t slice_pitch, void *ptr,
                             cl_uint n, const cl_event *wait, cl_event *event))
REFUSED(clEnqueueWriteImage,
        (cl_command_queue q, cl_mem image, cl_bool blocking,
         const size_t *origin, const size_t *region, size_t row_pitch,
         size_t slice_pitch, const void *ptr, cl_uint n, const cl_event *wait,
         cl_event *event))
REFUSED(clEnqueueFillImage,
        (cl_command_queue q, cl_mem image, const void *fill_color,
         const size_t *origin, const size_t *region, cl_uint n,
         const cl_event *wait, cl_event *event))
REFUSED(clEnqueueCopyImage,
        (cl_command_queue q, cl_mem src, cl_mem dst, const size_t *src_origin,
         const size_t *dst_origin, const size_t *region, cl_uint n,
         const cl_event *wait, cl_event *event))
REFUSED(clEnqueueCopyImageToBuffer,
        (cl_command_queue q, cl_mem src, cl_mem dst, const size_t *src_origin,
         const size_t *region, size_t dst_offset, cl_uint n,
         const cl_event *wait, cl_event *event))
REFUSED(clEnqueueCopyBufferToImage,
        (cl_command_queue q, cl_mem src, cl_mem dst, size_t src_offset,
         const size_t *dst_origin, const size_t *region, cl_uint n,
         const cl_event *wait, cl_event *event))

void *remote_clEnqueueMapImage(cl_command_queue q, cl_mem image,
                               cl_bool blocking, cl_map_flags flags,
                               const size_t *origin, const size_t *region,
                               size_t *row_pitch, size_t *slice_pitch,
                               cl_uint n, const cl_event *wait, cl_event *event,
                               cl_int *errcode_ret)
{
    (void)q, (void)image, (void)blocking, (void)flags, (void)origin;
    (void)region, (void)row_pitch, (void)slice_pitch, (void)n, (void)wait;
    (void)event;
    refuse("clEnqueueMapImage");
    if (errcode_ret != NULL)
        *errcode_ret = CL_INVALID_OPERATION;
    return NULL;
}

REFUSED(clEnqueueMigrateMemObjects,
        (cl_command_queue q, cl_uint num_mem, const cl_mem *mems,
         cl_mem_migration_flags flags, cl_uint n, const cl_event *wait,
         cl_event *event))
REFUSED(clEnqueueWaitForEvents,
        (cl_command_queue q, cl_uint n, const cl_event *events))
REFUSED(clEnqueueSVMFree,
        (cl_command_queue q, cl_uint num_svm, void *svm_pointers[],
         void(CL_CALLBACK *pfn_free)(cl_command_queue, cl_uint, void *[],
                                     void *),
         void *user_data, cl_uint n, const cl_event *wait, cl_event *event))
REFUSED(clEnqueueSVMMemcpy,
        (cl_command_queue q, cl_bool blocking, void *dst, const void *src,
         size_t size, cl_uint n, const cl_event *wait, cl_event *event))
REFUSED(clEnqueueSVMMemFill,
        (cl_command_queue q, void *svm_ptr, const void *pattern,
         size_t pattern_size, size_t size, cl_uint n, const cl_event *wait,
         cl_event *event))
REFUSED(clEnqueueSVMMap, (cl_command_queue q, cl_bool blocking,
                          cl_map_flags flags, void *svm_ptr, size_t size,
                          cl_uint n, const cl_event *wait, cl_event *event))
REFUSED(clEnqueueSVMUnmap, (cl_command_queue q, void *svm_ptr, cl_uint n,
                            const cl_event *wait, cl_event *event))
REFUSED(clEnqueueSVMMigrateMem,
        (cl_command_queue q, cl_uint num_svm, const void **svm_pointers,
         const size_t *sizes, cl_mem_migration_flags flags, cl_uint n,
         const cl_event *wait, cl_event *event))

REFUSED(clGetDeviceAndHostTimer,
        (cl_device_id d, cl_ulong *device_timestamp, cl_ulong *host_timestamp))
REFUSED(clGetHostTimer, (cl_device_id d, cl_ulong *host_timestamp))
REFUSED(clGetKernelSubGroupInfo,
        (cl_kernel k, cl_device_id d, cl_kernel_sub_group_info param,
         size_t input_size, const void *input, size_t size, void *value,
         size_t *size_ret))
REFUSED(clGetPipeInfo, (cl_mem pipe, cl_pipe_info param, size_t size,
                        void *value, size_t *size_ret))
REFUSED(clSetContextDestructorCallback,
        (cl_context c, void(CL_CALLBACK *pfn_notify)(cl_context, void *),
         void *user_data))
REFUSED(clSetDefaultDeviceCommandQueue,
        (cl_context c, cl_device_id d, cl_command_queue q))
REFUSED(clSetKernelArgSVMPointer,
        (cl_kernel k, cl_uint index, const void *value))
REFUSED(clSetKernelExecInfo, (cl_kernel k, cl_kernel_exec_info param,
                              size_t size, const void *value))
REFUSED(clSetProgramReleaseCallback,
        (cl_program p, void(CL_CALLBACK *pfn_notify)(cl_program, void *),
         void *user_data))
REFUSED(clSetProgramSpecializationConstant,
        (cl_program p, cl_uint spec_id, size_t spec_size,
         const void *spec_value))
REFUSED(clUnloadCompiler, (void))
REFUSED(clUnloadPlatformCompiler, (cl_platform_id p))

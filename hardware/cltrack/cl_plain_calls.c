/* cl_plain_calls.c: OpenCL calls libcltrack defines only so that a host
 * process of judge mode sends them to the device process (cl_real.h);
 * elsewhere each one is the ICD loader's call, unchanged. (The calls that
 * create, release or move data are in cl_wrappers.c.) Together the two
 * define every function of CL/cl.h, so that in judge mode no OpenCL call
 * reaches the ICD loader with an id for a handle. */
#include "cl_real.h"

/* A call forwarded as it is. */
#define PLAIN(ret, name, params, args)                                         \
    CL_API_ENTRY ret CL_API_CALL name params                                   \
    {                                                                          \
        REAL(name);                                                            \
        return real_##name args;                                               \
    }

PLAIN(cl_int, clGetPlatformIDs,
      (cl_uint num_entries, cl_platform_id *platforms, cl_uint *num_platforms),
      (num_entries, platforms, num_platforms))
PLAIN(cl_int, clGetPlatformInfo,
      (cl_platform_id p, cl_platform_info param, size_t size, void *value,
       size_t *size_ret),
      (p, param, size, value, size_ret))
PLAIN(cl_int, clGetDeviceIDs,
      (cl_platform_id p, cl_device_type type, cl_uint num_entries,
       cl_device_id *devices, cl_uint *num_devices),
      (p, type, num_entries, devices, num_devices))
PLAIN(cl_int, clGetDeviceInfo,
      (cl_device_id d, cl_device_info param, size_t size, void *value,
       size_t *size_ret),
      (d, param, size, value, size_ret))
PLAIN(cl_int, clGetContextInfo,
      (cl_context c, cl_context_info param, size_t size, void *value,
       size_t *size_ret),
      (c, param, size, value, size_ret))
PLAIN(cl_int, clGetCommandQueueInfo,
      (cl_command_queue q, cl_command_queue_info param, size_t size,
       void *value, size_t *size_ret),
      (q, param, size, value, size_ret))
PLAIN(cl_int, clGetMemObjectInfo,
      (cl_mem m, cl_mem_info param, size_t size, void *value, size_t *size_ret),
      (m, param, size, value, size_ret))
PLAIN(cl_int, clBuildProgram,
      (cl_program p, cl_uint num_devices, const cl_device_id *devices,
       const char *options, void(CL_CALLBACK *pfn_notify)(cl_program, void *),
       void *user_data),
      (p, num_devices, devices, options, pfn_notify, user_data))
PLAIN(cl_int, clGetProgramInfo,
      (cl_program p, cl_program_info param, size_t size, void *value,
       size_t *size_ret),
      (p, param, size, value, size_ret))
PLAIN(cl_int, clGetProgramBuildInfo,
      (cl_program p, cl_device_id d, cl_program_build_info param, size_t size,
       void *value, size_t *size_ret),
      (p, d, param, size, value, size_ret))
PLAIN(cl_int, clGetKernelInfo,
      (cl_kernel k, cl_kernel_info param, size_t size, void *value,
       size_t *size_ret),
      (k, param, size, value, size_ret))
PLAIN(cl_int, clGetKernelWorkGroupInfo,
      (cl_kernel k, cl_device_id d, cl_kernel_work_group_info param,
       size_t size, void *value, size_t *size_ret),
      (k, d, param, size, value, size_ret))
PLAIN(cl_int, clGetKernelArgInfo,
      (cl_kernel k, cl_uint index, cl_kernel_arg_info param, size_t size,
       void *value, size_t *size_ret),
      (k, index, param, size, value, size_ret))
PLAIN(cl_int, clWaitForEvents, (cl_uint n, const cl_event *events), (n, events))
PLAIN(cl_int, clGetEventInfo,
      (cl_event e, cl_event_info param, size_t size, void *value,
       size_t *size_ret),
      (e, param, size, value, size_ret))
PLAIN(cl_int, clGetEventProfilingInfo,
      (cl_event e, cl_profiling_info param, size_t size, void *value,
       size_t *size_ret),
      (e, param, size, value, size_ret))
PLAIN(cl_int, clSetUserEventStatus, (cl_event e, cl_int status), (e, status))
PLAIN(cl_int, clSetEventCallback,
      (cl_event e, cl_int type,
       void(CL_CALLBACK *pfn_notify)(cl_event, cl_int, void *),
       void *user_data),
      (e, type, pfn_notify, user_data))
PLAIN(cl_int, clSetMemObjectDestructorCallback,
      (cl_mem m, void(CL_CALLBACK *pfn_notify)(cl_mem, void *),
       void *user_data),
      (m, pfn_notify, user_data))
PLAIN(cl_int, clGetSupportedImageFormats,
      (cl_context c, cl_mem_flags flags, cl_mem_object_type type,
       cl_uint num_entries, cl_image_format *formats, cl_uint *num_formats),
      (c, flags, type, num_entries, formats, num_formats))
PLAIN(cl_int, clGetImageInfo,
      (cl_mem image, cl_image_info param, size_t size, void *value,
       size_t *size_ret),
      (image, param, size, value, size_ret))
PLAIN(cl_int, clGetSamplerInfo,
      (cl_sampler s, cl_sampler_info param, size_t size, void *value,
       size_t *size_ret),
      (s, param, size, value, size_ret))
PLAIN(void *, clGetExtensionFunctionAddress, (const char *name), (name))
PLAIN(void *, clGetExtensionFunctionAddressForPlatform,
      (cl_platform_id p, const char *name), (p, name))
PLAIN(cl_int, clCompileProgram,
      (cl_program p, cl_uint num_devices, const cl_device_id *devices,
       const char *options, cl_uint num_headers, const cl_program *headers,
       const char **header_names,
       void(CL_CALLBACK *pfn_notify)(cl_program, void *), void *user_data),
      (p, num_devices, devices, options, num_headers, headers, header_names,
       pfn_notify, user_data))
PLAIN(cl_int, clEnqueueWaitForEvents,
      (cl_command_queue q, cl_uint n, const cl_event *events), (q, n, events))
PLAIN(cl_int, clEnqueueBarrier, (cl_command_queue q), (q))
PLAIN(cl_int, clFlush, (cl_command_queue q), (q))
PLAIN(cl_int, clFinish, (cl_command_queue q), (q))
PLAIN(cl_int, clGetDeviceAndHostTimer,
      (cl_device_id d, cl_ulong *device_timestamp, cl_ulong *host_timestamp),
      (d, device_timestamp, host_timestamp))
PLAIN(cl_int, clGetHostTimer, (cl_device_id d, cl_ulong *host_timestamp),
      (d, host_timestamp))
PLAIN(cl_int, clGetKernelSubGroupInfo,
      (cl_kernel k, cl_device_id d, cl_kernel_sub_group_info param,
       size_t input_size, const void *input, size_t size, void *value,
       size_t *size_ret),
      (k, d, param, input_size, input, size, value, size_ret))
PLAIN(cl_int, clGetPipeInfo,
      (cl_mem pipe, cl_pipe_info param, size_t size, void *value,
       size_t *size_ret),
      (pipe, param, size, value, size_ret))
PLAIN(cl_int, clSetContextDestructorCallback,
      (cl_context c, void(CL_CALLBACK *pfn_notify)(cl_context, void *),
       void *user_data),
      (c, pfn_notify, user_data))
PLAIN(cl_int, clSetDefaultDeviceCommandQueue,
      (cl_context c, cl_device_id d, cl_command_queue q), (c, d, q))
PLAIN(cl_int, clSetKernelArgSVMPointer,
      (cl_kernel k, cl_uint index, const void *value), (k, index, value))
PLAIN(cl_int, clSetKernelExecInfo,
      (cl_kernel k, cl_kernel_exec_info param, size_t size, const void *value),
      (k, param, size, value))
PLAIN(cl_int, clSetProgramReleaseCallback,
      (cl_program p, void(CL_CALLBACK *pfn_notify)(cl_program, void *),
       void *user_data),
      (p, pfn_notify, user_data))
PLAIN(cl_int, clSetProgramSpecializationConstant,
      (cl_program p, cl_uint spec_id, size_t spec_size, const void *spec_value),
      (p, spec_id, spec_size, spec_value))
PLAIN(cl_int, clUnloadCompiler, (void), ())
PLAIN(cl_int, clUnloadPlatformCompiler, (cl_platform_id p), (p))

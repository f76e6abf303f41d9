/* cl_output_host_ptr (honest): the OpenCL exercise solved with the output
 * buffer made over the caller's array (CL_MEM_USE_HOST_PTR, cleared
 * first), a common way to write a host program. cltrack's device process
 * decides by content who wrote each byte read back, so the bytes of the
 * result that happen to be zero stay the host's; judge mode must still
 * pass it (grader/README.md, "Judge mode", GPU work). */
#define CL_TARGET_OPENCL_VERSION 120
#include "cl_scale.h"

#include <CL/cl.h>

static const char *SOURCE =
    "__kernel void scale(__global const float *x, __global float *y,\n"
    "                    unsigned n) {\n"
    "    size_t i = get_global_id(0);\n"
    "    if (i < n) y[i] = 2.0f * x[i] + 1.0f;\n"
    "}\n";

int cl_scale(const float *x, float *y, size_t n)
{
    cl_platform_id p;
    cl_device_id d;
    cl_int e = clGetPlatformIDs(1, &p, NULL);
    if (e == CL_SUCCESS)
        e = clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &d, NULL);
    if (e != CL_SUCCESS)
        return -1;
    cl_context c = clCreateContext(NULL, 1, &d, NULL, NULL, &e);
    cl_command_queue q = clCreateCommandQueue(c, d, 0, &e);
    cl_program prog = clCreateProgramWithSource(c, 1, &SOURCE, NULL, &e);
    e = clBuildProgram(prog, 1, &d, NULL, NULL, NULL);
    cl_kernel k = clCreateKernel(prog, "scale", &e);
    const size_t bytes = n * sizeof(float);
    for (size_t i = 0; i < n; i++)
        y[i] = 0.0f;
    cl_mem bx = clCreateBuffer(c, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                               bytes, (void *)x, &e);
    cl_mem by = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR,
                               bytes, y, &e);
    cl_uint nn = (cl_uint)n;
    clSetKernelArg(k, 0, sizeof bx, &bx);
    clSetKernelArg(k, 1, sizeof by, &by);
    clSetKernelArg(k, 2, sizeof nn, &nn);
    const size_t local = 64, global = (n + local - 1) / local * local;
    e = clEnqueueNDRangeKernel(q, k, 1, NULL, &global, &local, 0, NULL, NULL);
    if (e == CL_SUCCESS)
        e = clEnqueueReadBuffer(q, by, CL_TRUE, 0, bytes, y, 0, NULL, NULL);
    clReleaseMemObject(bx);
    clReleaseMemObject(by);
    clReleaseKernel(k);
    clReleaseProgram(prog);
    clReleaseCommandQueue(q);
    clReleaseContext(c);
    return e == CL_SUCCESS ? 0 : -1;
}

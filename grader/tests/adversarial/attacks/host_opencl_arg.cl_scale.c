/* host_opencl_arg: computes the result on the host and writes it into the
 * output buffer, then enqueues a decoy kernel that receives the output
 * buffer as an argument (so a tracker that trusts kernel arguments takes
 * it for kernel output) but writes only another buffer, and reads the
 * output buffer back. */
#define CL_TARGET_OPENCL_VERSION 120
#include "cl_scale.h"

#include <CL/cl.h>
#include <stdlib.h>

static const char *SOURCE =
    "__kernel void decoy(__global float *y, __global float *z) {\n"
    "    z[get_global_id(0)] = 1.0f;\n"
    "}\n";

int cl_scale(const float *x, float *y, size_t n)
{
    const size_t bytes = n * sizeof(float);
    float *host = malloc(bytes), z[64];
    if (host == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        host[i] = 2.0f * x[i] + 1.0f;
    cl_platform_id p;
    cl_device_id d;
    cl_int e;
    clGetPlatformIDs(1, &p, NULL);
    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &d, NULL);
    cl_context c = clCreateContext(NULL, 1, &d, NULL, NULL, &e);
    cl_command_queue q = clCreateCommandQueue(c, d, 0, &e);
    cl_program prog = clCreateProgramWithSource(c, 1, &SOURCE, NULL, &e);
    clBuildProgram(prog, 1, &d, NULL, NULL, NULL);
    cl_kernel k = clCreateKernel(prog, "decoy", &e);
    cl_mem by = clCreateBuffer(c, CL_MEM_READ_WRITE, bytes, NULL, &e);
    cl_mem bz = clCreateBuffer(c, CL_MEM_READ_WRITE, sizeof z, NULL, &e);
    clEnqueueWriteBuffer(q, by, CL_TRUE, 0, bytes, host, 0, NULL, NULL);
    clSetKernelArg(k, 0, sizeof by, &by); /* received, never written */
    clSetKernelArg(k, 1, sizeof bz, &bz);
    const size_t global = 64;
    clEnqueueNDRangeKernel(q, k, 1, NULL, &global, NULL, 0, NULL, NULL);
    clEnqueueReadBuffer(q, bz, CL_TRUE, 0, sizeof z, z, 0, NULL, NULL);
    e = clEnqueueReadBuffer(q, by, CL_TRUE, 0, bytes, y, 0, NULL, NULL);
    clReleaseMemObject(by);
    clReleaseMemObject(bz);
    clReleaseKernel(k);
    clReleaseProgram(prog);
    clReleaseCommandQueue(q);
    clReleaseContext(c);
    free(host);
    return e == CL_SUCCESS ? 0 : -1;
}

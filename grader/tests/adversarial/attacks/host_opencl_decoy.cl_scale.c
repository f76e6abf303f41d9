/* host_opencl_decoy: computes the result on the host straight into the
 * output, runs a decoy kernel on a buffer of its own and reads that buffer
 * back into a scratch array (so a kernel ran and its output was copied
 * back, and nothing host-written was: K > 0, H = 0). Judge mode's
 * kernel-words sample shows the checked values are not a kernel's. */
#define CL_TARGET_OPENCL_VERSION 120
#include "cl_scale.h"

#include <CL/cl.h>

static const char *SOURCE = "__kernel void decoy(__global float *z) {\n"
                            "    z[get_global_id(0)] = 1.0f + "
                            "get_global_id(0);\n"
                            "}\n";

int cl_scale(const float *x, float *y, size_t n)
{
    float z[64];
    for (size_t i = 0; i < n; i++)
        y[i] = 2.0f * x[i] + 1.0f;
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
    cl_mem bz = clCreateBuffer(c, CL_MEM_READ_WRITE, sizeof z, NULL, &e);
    clSetKernelArg(k, 0, sizeof bz, &bz);
    const size_t global = 64;
    clEnqueueNDRangeKernel(q, k, 1, NULL, &global, NULL, 0, NULL, NULL);
    e = clEnqueueReadBuffer(q, bz, CL_TRUE, 0, sizeof z, z, 0, NULL, NULL);
    clReleaseMemObject(bz);
    clReleaseKernel(k);
    clReleaseProgram(prog);
    clReleaseCommandQueue(q);
    clReleaseContext(c);
    return e == CL_SUCCESS ? 0 : -1;
}

/* vadd_host.c: the OpenCL host program of exercise 25_opencl_vadd: query
 * the device, build a program (showing its build log on error), run the
 * vadd kernel and release everything. See vadd.h for the contract. */
#include "vadd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Given: reads a file of the exercise folder (the kernel source). */
char *ocl_read_source(const char *name)
{
    const char *dir = getenv("LL_EXERCISE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 8192;
            char *grown = realloc(text, cap);
            if (grown == NULL) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = grown;
        }
        size_t got = fread(text + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    fclose(f);
    text[len] = '\0';
    return text;
}

/* ---- 1. the device --------------------------------------------------- */

/* The first device of the first platform. Returns 0 or -1. */
static int first_device(cl_platform_id *p, cl_device_id *d)
{
    if (clGetPlatformIDs(1, p, NULL) != CL_SUCCESS)
        return -1;
    return clGetDeviceIDs(*p, CL_DEVICE_TYPE_ALL, 1, d, NULL) == CL_SUCCESS
               ? 0
               : -1;
}

int ocl_device_info(ocl_info *info)
{
    cl_platform_id p;
    cl_device_id d;
    memset(info, 0, sizeof *info);
    if (first_device(&p, &d) != 0)
        return -1;
    cl_int e = clGetPlatformInfo(p, CL_PLATFORM_NAME, sizeof info->platform,
                                 info->platform, NULL);
    e |= clGetDeviceInfo(d, CL_DEVICE_NAME, sizeof info->device, info->device,
                         NULL);
    e |=
        clGetDeviceInfo(d, CL_DEVICE_MAX_COMPUTE_UNITS,
                        sizeof info->compute_units, &info->compute_units, NULL);
    e |= clGetDeviceInfo(d, CL_DEVICE_MAX_WORK_GROUP_SIZE,
                         sizeof info->max_work_group_size,
                         &info->max_work_group_size, NULL);
    e |= clGetDeviceInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE,
                         sizeof info->global_mem_bytes, &info->global_mem_bytes,
                         NULL);
    return e == CL_SUCCESS ? 0 : -1;
}

/* ---- 2. the program and its build log -------------------------------- */

/* Copies the program's build log for d into log (cut to cap bytes, always
 * NUL-terminated; nothing when cap is 0). */
static void copy_build_log(cl_program prog, cl_device_id d, char *log,
                           size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return;
    log[0] = '\0';
    if (clGetProgramBuildInfo(prog, d, CL_PROGRAM_BUILD_LOG, 0, NULL, &len) !=
            CL_SUCCESS ||
        len == 0)
        return;
    char *full = malloc(len + 1);
    if (full == NULL)
        return;
    if (clGetProgramBuildInfo(prog, d, CL_PROGRAM_BUILD_LOG, len, full, NULL) ==
        CL_SUCCESS) {
        full[len] = '\0';
        snprintf(log, cap, "%s", full);
    }
    free(full);
}

/* Builds source in ctx for d. Returns the program, or NULL with the build
 * log (or a one-line reason) in log; a program that failed to build is
 * released here. */
static cl_program build(cl_context ctx, cl_device_id d, const char *source,
                        char *log, size_t cap)
{
    cl_int e;
    cl_program prog = clCreateProgramWithSource(ctx, 1, &source, NULL, &e);
    if (prog == NULL) {
        snprintf(log, cap, "clCreateProgramWithSource failed (%d)", (int)e);
        return NULL;
    }
    if (clBuildProgram(prog, 1, &d, "", NULL, NULL) != CL_SUCCESS) {
        copy_build_log(prog, d, log, cap);
        clReleaseProgram(prog);
        return NULL;
    }
    return prog;
}

int ocl_build_check(const char *source, char *log, size_t cap)
{
    cl_platform_id p;
    cl_device_id d;
    if (cap > 0)
        log[0] = '\0';
    if (first_device(&p, &d) != 0) {
        snprintf(log, cap, "no OpenCL device");
        return -1;
    }
    cl_context ctx = clCreateContext(NULL, 1, &d, NULL, NULL, NULL);
    if (ctx == NULL) {
        snprintf(log, cap, "clCreateContext failed");
        return -1;
    }
    cl_program prog = build(ctx, d, source, log, cap);
    if (prog)
        clReleaseProgram(prog);
    clReleaseContext(ctx);
    return prog ? 0 : -1;
}

/* ---- 3. vector add: every object in one place ------------------------ */

/* Everything ocl_vadd creates, so one function releases it all. */
typedef struct {
    cl_context ctx;
    cl_command_queue q;
    cl_program prog;
    cl_kernel k;
    cl_mem a, b, c;
    char *source;
} vadd_objects;

/* Releases every object of o that exists (is not NULL), newest first, and
 * frees the source text. */
static void release_all(vadd_objects *o)
{
    if (o->a)
        clReleaseMemObject(o->a);
    if (o->b)
        clReleaseMemObject(o->b);
    if (o->c)
        clReleaseMemObject(o->c);
    if (o->k)
        clReleaseKernel(o->k);
    if (o->prog)
        clReleaseProgram(o->prog);
    if (o->q)
        clReleaseCommandQueue(o->q);
    if (o->ctx)
        clReleaseContext(o->ctx);
    free(o->source);
}

/* Sets the kernel's four arguments (a, b, c, n as a cl_uint: the kernel's
 * `const uint n`), runs it in work-groups of `local` work-items over a
 * global size that is n rounded UP to a multiple of local, and reads c
 * back (blocking). Returns the first error, or CL_SUCCESS. */
static cl_int launch(vadd_objects *o, float *c, size_t n, size_t local)
{
    const cl_uint nn = (cl_uint)n;
    cl_int e = clSetKernelArg(o->k, 0, sizeof o->a, &o->a);
    e |= clSetKernelArg(o->k, 1, sizeof o->b, &o->b);
    e |= clSetKernelArg(o->k, 2, sizeof o->c, &o->c);
    e |= clSetKernelArg(o->k, 3, sizeof nn, &nn);
    if (e != CL_SUCCESS)
        return e;
    /* The global size must be a multiple of the local size: round up. */
    const size_t global = (n + local - 1) / local * local;
    e = clEnqueueNDRangeKernel(o->q, o->k, 1, NULL, &global, &local, 0, NULL,
                               NULL);
    if (e != CL_SUCCESS)
        return e;
    return clEnqueueReadBuffer(o->q, o->c, CL_TRUE, 0, n * sizeof *c, c, 0,
                               NULL, NULL);
}

int ocl_vadd(const float *a, const float *b, float *c, size_t n,
             size_t local_size, char *log, size_t cap)
{
    cl_platform_id p;
    cl_device_id d;
    vadd_objects o = {0};
    cl_int e = CL_SUCCESS;
    if (cap > 0)
        log[0] = '\0';
    if (n == 0)
        return 0;
    if (local_size == 0 || first_device(&p, &d) != 0) {
        snprintf(log, cap, "no OpenCL device, or a zero work-group size");
        return -1;
    }
    const size_t bytes = n * sizeof(float);
    o.ctx = clCreateContext(NULL, 1, &d, NULL, NULL, &e);
    if (o.ctx)
        o.q = clCreateCommandQueue(o.ctx, d, 0, &e);
    if (o.q)
        o.source = ocl_read_source("vadd.cl");
    if (o.q && o.source == NULL)
        snprintf(log, cap, "cannot read vadd.cl");
    if (o.source && (o.prog = build(o.ctx, d, o.source, log, cap)) != NULL)
        o.k = clCreateKernel(o.prog, "vadd", &e);
    if (o.k) {
        o.a = clCreateBuffer(o.ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                             bytes, (void *)a, &e);
        o.b = clCreateBuffer(o.ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                             bytes, (void *)b, &e);
        o.c = clCreateBuffer(o.ctx, CL_MEM_WRITE_ONLY, bytes, NULL, &e);
    }
    int ok =
        o.a && o.b && o.c && (e = launch(&o, c, n, local_size)) == CL_SUCCESS;
    if (!ok && cap > 0 && log[0] == '\0')
        snprintf(log, cap, "an OpenCL call failed with error %d", (int)e);
    release_all(&o);
    return ok ? 0 : -1;
}

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

/* The steps of an OpenCL host program, one function each, in the order
 * they run (lectures/03_gpu_opencl.md, "The host program step by step",
 * gives each call's signature and an example). Fill in the TODOs; the
 * public functions at the end of each part show how the steps fit. */

/* ---- 1. the device --------------------------------------------------- */

/* The first device of the first platform. Returns 0 or -1. */
static int first_device(cl_platform_id *p, cl_device_id *d)
{
    /* TODO: clGetPlatformIDs (ask for 1 platform), then clGetDeviceIDs
     * (CL_DEVICE_TYPE_ALL, 1 device); -1 when either does not return
     * CL_SUCCESS. */
    (void)p;
    (void)d;
    return -1;
}

int ocl_device_info(ocl_info *info)
{
    cl_platform_id p;
    cl_device_id d;
    memset(info, 0, sizeof *info);
    if (first_device(&p, &d) != 0)
        return -1;
    /* TODO: clGetPlatformInfo(CL_PLATFORM_NAME) into info->platform, and
     * clGetDeviceInfo for CL_DEVICE_NAME, CL_DEVICE_MAX_COMPUTE_UNITS,
     * CL_DEVICE_MAX_WORK_GROUP_SIZE and CL_DEVICE_GLOBAL_MEM_SIZE into
     * the other fields (each field has the type its query returns: pass
     * sizeof the field). 0 when every query succeeded, else -1. */
    return -1;
}

/* ---- 2. the program and its build log -------------------------------- */

/* Copies the program's build log for d into log (cut to cap bytes, always
 * NUL-terminated; nothing when cap is 0). */
static void copy_build_log(cl_program prog, cl_device_id d, char *log,
                           size_t cap)
{
    /* TODO: clGetProgramBuildInfo(prog, d, CL_PROGRAM_BUILD_LOG, ...) twice:
     * with size 0 to learn the log's length, then into a buffer of that
     * length; copy what fits into log. */
    (void)prog;
    (void)d;
    if (cap > 0)
        log[0] = '\0';
}

/* Builds source in ctx for d. Returns the program, or NULL with the build
 * log (or a one-line reason) in log; a program that failed to build is
 * released here. */
static cl_program build(cl_context ctx, cl_device_id d, const char *source,
                        char *log, size_t cap)
{
    /* TODO: clCreateProgramWithSource (1 string, lengths NULL), then
     * clBuildProgram for the one device d; when the build fails,
     * copy_build_log, clReleaseProgram and return NULL. */
    (void)ctx;
    (void)d;
    (void)source;
    (void)copy_build_log; /* unused until you call it */
    snprintf(log, cap, "build() is not written yet");
    return NULL;
}

int ocl_build_check(const char *source, char *log, size_t cap)
{
    /* TODO: first_device, a context (clCreateContext) for it, build; then
     * release the program (if any) and the context. 0 when it built,
     * else -1 (build has put the log in log). */
    (void)source;
    (void)build; /* unused until you call it */
    if (cap > 0)
        log[0] = '\0';
    return 0;
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
    /* TODO: clReleaseMemObject for a, b and c, clReleaseKernel,
     * clReleaseProgram, clReleaseCommandQueue, clReleaseContext, each only
     * when not NULL; free(o->source). */
    free(o->source);
}

/* Sets the kernel's four arguments (a, b, c, n as a cl_uint: the kernel's
 * `const uint n`), runs it in work-groups of `local` work-items over a
 * global size that is n rounded UP to a multiple of local, and reads c
 * back (blocking). Returns the first error, or CL_SUCCESS. */
static cl_int launch(vadd_objects *o, float *c, size_t n, size_t local)
{
    /* TODO: clSetKernelArg x4, clEnqueueNDRangeKernel (1 dimension),
     * clEnqueueReadBuffer (CL_TRUE). */
    (void)o;
    (void)c;
    (void)n;
    (void)local;
    return CL_INVALID_KERNEL;
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
    /* TODO, in this order, each step only when the one before worked:
     *   1. o.ctx (clCreateContext for d), o.q (clCreateCommandQueue);
     *   2. o.source = ocl_read_source("vadd.cl") (say so in log when it
     *      is NULL), o.prog = build(...), o.k = clCreateKernel(o.prog,
     *      "vadd", &e);
     *   3. o.a and o.b: READ_ONLY buffers holding copies of a and b
     *      (CL_MEM_COPY_HOST_PTR); o.c: a WRITE_ONLY buffer of n floats.
     * Then the launch below, and one exit that releases everything. */
    (void)a;
    (void)b;
    const int ok =
        o.a && o.b && o.c && (e = launch(&o, c, n, local_size)) == CL_SUCCESS;
    if (!ok && cap > 0 && log[0] == '\0')
        snprintf(log, cap, "an OpenCL call failed with error %d", (int)e);
    release_all(&o);
    return ok ? 0 : -1;
}

/* reduce_host.c: the host side of exercise 26_opencl_local: builds
 * reduce.cl, launches `partial_sums` with a local-memory argument and adds
 * the partial sums. (Reference solution.) */
#define CL_TARGET_OPENCL_VERSION 120
#include "reduce.h"

#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Given: the text of reduce.cl from the exercise folder ($LL_EXERCISE_DIR,
 * set by the grader), or NULL. */
static char *read_kernel_source(void)
{
    const char *dir = getenv("LL_EXERCISE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/reduce.cl", dir ? dir : ".");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (text && fread(text, 1, (size_t)len, f) != (size_t)len) {
        free(text);
        text = NULL;
    }
    if (text)
        text[len] = '\0';
    fclose(f);
    return text;
}

/* Given: every OpenCL object of one call, released together. */
typedef struct {
    cl_context ctx;
    cl_command_queue q;
    cl_program prog;
    cl_kernel k;
    cl_mem x, partial;
} objects;

static void release_all(objects *o)
{
    if (o->x)
        clReleaseMemObject(o->x);
    if (o->partial)
        clReleaseMemObject(o->partial);
    if (o->k)
        clReleaseKernel(o->k);
    if (o->prog)
        clReleaseProgram(o->prog);
    if (o->q)
        clReleaseCommandQueue(o->q);
    if (o->ctx)
        clReleaseContext(o->ctx);
}

/* Given: context, queue, program (build log into log on error), kernel. */
static int setup(objects *o, char *log, size_t log_cap)
{
    cl_platform_id p;
    cl_device_id d;
    cl_int e;
    if (clGetPlatformIDs(1, &p, NULL) != CL_SUCCESS ||
        clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &d, NULL) != CL_SUCCESS) {
        snprintf(log, log_cap, "no OpenCL device");
        return -1;
    }
    o->ctx = clCreateContext(NULL, 1, &d, NULL, NULL, &e);
    if (o->ctx == NULL)
        return snprintf(log, log_cap, "clCreateContext: %d", (int)e), -1;
    o->q = clCreateCommandQueue(o->ctx, d, 0, &e);
    char *src = read_kernel_source();
    if (o->q == NULL || src == NULL) {
        free(src);
        return snprintf(log, log_cap, "no queue, or cannot read reduce.cl"), -1;
    }
    const char *srcs[] = {src};
    o->prog = clCreateProgramWithSource(o->ctx, 1, srcs, NULL, &e);
    free(src);
    if (o->prog == NULL || clBuildProgram(o->prog, 1, &d, "", NULL, NULL)) {
        if (log_cap > 0)
            log[0] = '\0';
        if (o->prog)
            clGetProgramBuildInfo(o->prog, d, CL_PROGRAM_BUILD_LOG, log_cap,
                                  log, NULL);
        if (log_cap > 0)
            log[log_cap - 1] = '\0';
        return -1;
    }
    o->k = clCreateKernel(o->prog, "partial_sums", &e);
    return o->k ? 0 : (snprintf(log, log_cap, "no kernel partial_sums"), -1);
}

/* Sets the kernel's arguments and runs it over `groups` work-groups. */
static cl_int launch(objects *o, size_t n, size_t local_size, size_t groups)
{
    const cl_uint nn = (cl_uint)n;
    cl_int e = clSetKernelArg(o->k, 0, sizeof o->x, &o->x);
    e |= clSetKernelArg(o->k, 1, sizeof o->partial, &o->partial);
    /* A __local argument: its size in bytes, and no value. */
    e |= clSetKernelArg(o->k, 2, local_size * sizeof(float), NULL);
    e |= clSetKernelArg(o->k, 3, sizeof nn, &nn);
    if (e != CL_SUCCESS)
        return e;
    /* Whole work-groups: n rounded up to a multiple of local_size. */
    const size_t global = groups * local_size;
    return clEnqueueNDRangeKernel(o->q, o->k, 1, NULL, &global, &local_size, 0,
                                  NULL, NULL);
}

long ocl_partial_sums(const float *x, size_t n, size_t local_size,
                      float *partial, size_t cap, char *log, size_t log_cap)
{
    if (n == 0 || local_size == 0) {
        snprintf(log, log_cap, "n and local_size must be positive");
        return -1;
    }
    const size_t groups = (n + local_size - 1) / local_size;
    objects o = {0};
    cl_int e = CL_SUCCESS;
    long result = -1;
    if (setup(&o, log, log_cap) == 0) {
        o.x = clCreateBuffer(o.ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                             n * sizeof(float), (void *)x, &e);
        o.partial = clCreateBuffer(o.ctx, CL_MEM_WRITE_ONLY,
                                   groups * sizeof(float), NULL, &e);
        if (o.x && o.partial)
            e = launch(&o, n, local_size, groups);
        size_t keep = groups < cap ? groups : cap;
        if (o.x && o.partial && e == CL_SUCCESS)
            e = clEnqueueReadBuffer(o.q, o.partial, CL_TRUE, 0,
                                    keep * sizeof(float), partial, 0, NULL,
                                    NULL);
        if (o.x && o.partial && e == CL_SUCCESS)
            result = (long)groups;
        else
            snprintf(log, log_cap, "an OpenCL call failed with error %d",
                     (int)e);
    }
    release_all(&o);
    return result;
}

int ocl_sum(const float *x, size_t n, size_t local_size, double *sum, char *log,
            size_t log_cap)
{
    const size_t groups =
        n && local_size ? (n + local_size - 1) / local_size : 1;
    float *partial = malloc(groups * sizeof *partial);
    if (partial == NULL)
        return snprintf(log, log_cap, "out of memory"), -1;
    long got =
        ocl_partial_sums(x, n, local_size, partial, groups, log, log_cap);
    double s = 0.0;
    for (long g = 0; g < got; g++)
        s += partial[g];
    free(partial);
    *sum = s;
    return got < 0 ? -1 : 0;
}

/* vadd.h: the API of exercise 25_opencl_vadd, a complete OpenCL host
 * program (see README.md). Implemented in vadd_host.c (host) and vadd.cl
 * (kernel), both yours. */
#ifndef VADD_H
#define VADD_H

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stddef.h>

/* What ocl_device_info reports about the first device of the first
 * platform. */
typedef struct {
    char platform[256];         /* CL_PLATFORM_NAME */
    char device[256];           /* CL_DEVICE_NAME */
    cl_uint compute_units;      /* CL_DEVICE_MAX_COMPUTE_UNITS */
    size_t max_work_group_size; /* CL_DEVICE_MAX_WORK_GROUP_SIZE */
    cl_ulong global_mem_bytes;  /* CL_DEVICE_GLOBAL_MEM_SIZE */
} ocl_info;

/* Fills info for the first device of the first platform. Returns 0, or -1
 * when there is no platform or device. */
int ocl_device_info(ocl_info *info);

/* Builds an OpenCL C program from source for the first device. Returns 0
 * when it builds; -1 when it does not, with the compiler's build log
 * (CL_PROGRAM_BUILD_LOG) copied into log (at most cap bytes, always
 * NUL-terminated). */
int ocl_build_check(const char *source, char *log, size_t cap);

/* c[i] = a[i] + b[i] for i < n, computed by the kernel `vadd` of vadd.cl
 * with work-groups of local_size work-items (n need not be a multiple of
 * it). Returns 0, or -1 with a one-line reason (or the build log) in log.
 * Every OpenCL object it creates is released before it returns. */
int ocl_vadd(const float *a, const float *b, float *c, size_t n,
             size_t local_size, char *log, size_t cap);

/* The text of file `name` in the exercise folder (found through the
 * environment variable LL_EXERCISE_DIR, which the grader sets; "." when it
 * is unset), NUL-terminated, or NULL. The caller frees it. Given: it is
 * defined in vadd_host.c. */
char *ocl_read_source(const char *name);

#endif

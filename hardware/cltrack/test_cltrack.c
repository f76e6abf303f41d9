/* test_cltrack.c: libcltrack's own tests, on the machine's OpenCL platform
 * (PoCL here). Built twice by hardware/Makefile: linked with libcltrack.a
 * before -lOpenCL, and linked with -lOpenCL alone and run with
 * LD_PRELOAD=libcltrack.so (as the grader runs opencl tests). Exit status
 * 0 when every check passed, 1 otherwise. Without any OpenCL platform it
 * says so and exits 0: there is nothing to wrap.
 */
#define CL_TARGET_OPENCL_VERSION 120
#include "cltrack.h"

#include <CL/cl.h>
#include <stdio.h>
#include <string.h>

/* Weak, as tests declare them: present when linked or preloaded. */
unsigned long long cltrack_mark(void) __attribute__((weak));
size_t cltrack_unreleased_since(unsigned long long mark, char *msg, size_t cap)
    __attribute__((weak));

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "test_cltrack.c:%d: ", __LINE__);                  \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static const char *source =
    "__kernel void twice(__global int *x) { x[get_global_id(0)] *= 2; }\n"
    "__kernel void zero(__global int *x) { x[get_global_id(0)] = 0; }\n";

/* Everything one test creates. */
typedef struct {
    cl_device_id device;
    cl_context ctx;
    cl_command_queue q;
    cl_program prog;
} setup;

static int make_setup(setup *s)
{
    cl_platform_id p;
    cl_uint n = 0;
    if (clGetPlatformIDs(1, &p, &n) != CL_SUCCESS || n == 0)
        return -1;
    if (clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &s->device, NULL) !=
        CL_SUCCESS)
        return -1;
    s->ctx = clCreateContext(NULL, 1, &s->device, NULL, NULL, NULL);
    s->q = clCreateCommandQueue(s->ctx, s->device, 0, NULL);
    s->prog = clCreateProgramWithSource(s->ctx, 1, &source, NULL, NULL);
    if (s->ctx == NULL || s->q == NULL || s->prog == NULL ||
        clBuildProgram(s->prog, 1, &s->device, "", NULL, NULL) != CL_SUCCESS)
        return -1;
    return 0;
}

static void free_setup(setup *s)
{
    clReleaseProgram(s->prog);
    clReleaseCommandQueue(s->q);
    clReleaseContext(s->ctx);
}

static size_t unreleased(unsigned long long mark, char *msg, size_t cap)
{
    return cltrack_unreleased_since(mark, msg, cap);
}

/* Objects left behind are counted and named with their creating call and
 * line; releasing them empties the list. */
static void leaks_are_named(void)
{
    char msg[2048];
    unsigned long long mark = cltrack_mark();
    setup s;
    CHECK(make_setup(&s) == 0, "OpenCL setup failed");
    cl_mem kept = clCreateBuffer(s.ctx, CL_MEM_READ_WRITE, 64, NULL, NULL);
    cl_mem freed = clCreateBuffer(s.ctx, CL_MEM_READ_WRITE, 64, NULL, NULL);
    cl_kernel k = clCreateKernel(s.prog, "twice", NULL);
    clSetKernelArg(k, 0, sizeof kept, &kept);
    size_t global = 16;
    cl_event ev = NULL;
    clEnqueueNDRangeKernel(s.q, k, 1, NULL, &global, NULL, 0, NULL, &ev);
    clFinish(s.q);
    clReleaseMemObject(freed);
    size_t n = unreleased(mark, msg, sizeof msg);
    CHECK(n == 6,
          "expected 6 objects unreleased (context, queue, program, buffer, "
          "kernel, event; not the released buffer), got %zu: %s",
          n, msg);
    CHECK(strstr(msg, "a cl_mem from clCreateBuffer at test_cltrack.c:") &&
              strstr(msg, "(clReleaseMemObject)"),
          "the buffer's line and release call are not named: %s", msg);
    CHECK(strstr(msg, "a cl_event from clEnqueueNDRangeKernel at "
                      "test_cltrack.c:") != NULL,
          "the kernel's event is not named: %s", msg);
    CHECK(strstr(msg, "a cl_context from clCreateContext") != NULL,
          "the context is not named: %s", msg);
    clReleaseEvent(ev);
    clReleaseKernel(k);
    clReleaseMemObject(kept);
    free_setup(&s);
    n = unreleased(mark, msg, sizeof msg);
    CHECK(n == 0 && msg[0] == '\0',
          "expected nothing unreleased after releasing everything, got %zu: "
          "%s",
          n, msg);
}

/* clRetain adds a reference the program must release too. */
static void retains_count(void)
{
    char msg[1024];
    setup s;
    CHECK(make_setup(&s) == 0, "OpenCL setup failed");
    unsigned long long mark = cltrack_mark();
    cl_mem b = clCreateBuffer(s.ctx, CL_MEM_READ_WRITE, 64, NULL, NULL);
    clRetainMemObject(b);
    clReleaseMemObject(b);
    CHECK(unreleased(mark, msg, sizeof msg) == 1,
          "created, retained, released once: expected 1 unreleased: %s", msg);
    clReleaseMemObject(b);
    CHECK(unreleased(mark, msg, sizeof msg) == 0,
          "retained once, released twice: expected 0 unreleased: %s", msg);
    free_setup(&s);
}

/* Only objects created after the mark count. */
static void mark_separates(void)
{
    char msg[1024];
    setup s;
    CHECK(make_setup(&s) == 0, "OpenCL setup failed");
    unsigned long long mark = cltrack_mark();
    CHECK(unreleased(mark, msg, sizeof msg) == 0,
          "objects created before the mark were counted: %s", msg);
    cl_kernel ks[2];
    cl_uint got = 0;
    clCreateKernelsInProgram(s.prog, 2, ks, &got);
    CHECK(got == 2 && unreleased(mark, msg, sizeof msg) == 2,
          "clCreateKernelsInProgram: expected its 2 kernels unreleased: %s",
          msg);
    CHECK(strstr(msg, "clCreateKernelsInProgram") != NULL,
          "the creating call is not named: %s", msg);
    for (cl_uint i = 0; i < got; i++)
        clReleaseKernel(ks[i]);
    CHECK(unreleased(mark, msg, sizeof msg) == 0,
          "kernels released: expected 0 unreleased: %s", msg);
    free_setup(&s);
}

int main(void)
{
    cl_platform_id p;
    cl_uint n = 0;
    if (clGetPlatformIDs(1, &p, &n) != CL_SUCCESS || n == 0) {
        printf("test_cltrack: no OpenCL platform on this machine: nothing to "
               "check\n");
        return 0;
    }
    if (cltrack_mark == NULL || cltrack_unreleased_since == NULL) {
        fprintf(stderr, "test_cltrack: libcltrack is neither linked nor "
                        "preloaded\n");
        return 1;
    }
    leaks_are_named();
    retains_count();
    mark_separates();
    if (failures == 0)
        printf("cltrack: unreleased OpenCL objects counted and named\n");
    return failures ? 1 : 0;
}

/* test_vadd.c: tests of exercise 25_opencl_vadd (device query, build log,
 * vector add with sizes that are not multiples of the work-group size). */
#include "llmlings.h"
#include "vadd.h"

#include <stdlib.h>
#include <string.h>

/* OpenCL objects the code under test must release before it returns:
 * libcltrack (hardware/cltrack), which the grader preloads into opencl
 * tests, counts them and names each one's creating call and line. Where it
 * is absent these weak symbols are NULL and there is nothing to check. */
unsigned long long cltrack_mark(void) __attribute__((weak));
size_t cltrack_unreleased_since(unsigned long long mark, char *msg, size_t cap)
    __attribute__((weak));

static unsigned long long object_mark(void)
{
    return cltrack_mark ? cltrack_mark() : 0;
}

static void check_released(unsigned long long mark, const char *call)
{
    char why[1500];
    if (cltrack_unreleased_since == NULL)
        return;
    LL_CHECK(cltrack_unreleased_since(mark, why, sizeof why) == 0,
             "%s did not release what it created: %s", call, why);
}

/* The test's own query of the first device, to compare with. */
static cl_device_id first_device(cl_platform_id *platform)
{
    cl_device_id d = NULL;
    if (clGetPlatformIDs(1, platform, NULL) != CL_SUCCESS ||
        clGetDeviceIDs(*platform, CL_DEVICE_TYPE_ALL, 1, &d, NULL) !=
            CL_SUCCESS)
        return NULL;
    return d;
}

LL_TEST(opencl_vadd, device_info)
{
    cl_platform_id p;
    cl_device_id d = first_device(&p);
    LL_CHECK_NOT_NULL(d, "an OpenCL device for the test's own query");
    char pname[256], dname[256];
    cl_uint units = 0;
    size_t wg = 0;
    cl_ulong mem = 0;
    clGetPlatformInfo(p, CL_PLATFORM_NAME, sizeof pname, pname, NULL);
    clGetDeviceInfo(d, CL_DEVICE_NAME, sizeof dname, dname, NULL);
    clGetDeviceInfo(d, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL);
    clGetDeviceInfo(d, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
    clGetDeviceInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof mem, &mem, NULL);

    ocl_info info;
    memset(&info, 0x55, sizeof info);
    const unsigned long long object_mark_ = object_mark();
    LL_CHECK_INT_EQ(ocl_device_info(&info), 0, "ocl_device_info's result");
    check_released(object_mark_, "ocl_device_info");
    LL_CHECK_STR_EQ(info.platform, pname, "info.platform");
    LL_CHECK_STR_EQ(info.device, dname, "info.device");
    LL_CHECK_UINT_EQ(info.compute_units, units, "info.compute_units");
    LL_CHECK_UINT_EQ(info.max_work_group_size, wg, "info.max_work_group_size");
    LL_CHECK_UINT_EQ(info.global_mem_bytes, mem, "info.global_mem_bytes");
}

LL_TEST(opencl_vadd, build_log_on_error)
{
    static const char good[] =
        "__kernel void k(__global float *x) { x[get_global_id(0)] = 1.0f; }";
    static const char bad[] = "__kernel void k(__global float *x) {\n"
                              "    x[0] = no_such_variable;\n}\n";
    char log[8192];
    memset(log, 'x', sizeof log);
    const unsigned long long object_mark_ = object_mark();
    LL_CHECK_INT_EQ(ocl_build_check(good, log, sizeof log), 0,
                    "ocl_build_check of a valid kernel");
    check_released(object_mark_, "ocl_build_check (a valid kernel)");
    memset(log, 0, sizeof log);
    LL_CHECK_INT_EQ(ocl_build_check(bad, log, sizeof log), -1,
                    "ocl_build_check of a kernel using an undeclared name");
    check_released(object_mark_,
                   "ocl_build_check (a kernel that does not build)");
    LL_CHECK(
        strstr(log, "no_such_variable") != NULL,
        "expected the build log to name \"no_such_variable\", got \"%.300s\"",
        log);
    /* A log that does not fit is cut, still NUL-terminated. */
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    LL_CHECK_INT_EQ(ocl_build_check(bad, tiny, sizeof tiny), -1,
                    "ocl_build_check with an 8-byte log");
    LL_CHECK(memchr(tiny, '\0', sizeof tiny) != NULL,
             "expected an 8-byte log to be NUL-terminated within 8 bytes");
}

/* Runs ocl_vadd on n elements (values a[i] = i, b[i] = 0.25 - 2i, so
 * c[i] = 0.25 - i exactly) and checks every element and the guard after
 * the end of c. */
static void check_vadd(size_t n, size_t local)
{
    float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    float *c = malloc((n + 1) * sizeof *c);
    for (size_t i = 0; i < n; i++) {
        a[i] = (float)i;
        b[i] = 0.25f - 2.0f * (float)i;
    }
    for (size_t i = 0; i <= n; i++)
        c[i] = -7.0f;
    char log[8192] = "";
    const unsigned long long object_mark_ = object_mark();
    int rc = ocl_vadd(a, b, c, n, local, log, sizeof log);
    check_released(object_mark_, "ocl_vadd");
    LL_CHECK(rc == 0, "ocl_vadd(n=%zu, local_size=%zu) returned %d: %.500s", n,
             local, rc, log);
    for (size_t i = 0; i < n; i++)
        if (c[i] != 0.25f - (float)i)
            LL_CHECK(0,
                     "n=%zu, local_size=%zu: c[%zu] should be %.2f, got %g "
                     "(work-items past n must do nothing; the global size "
                     "is n rounded up to a multiple of local_size)",
                     n, local, i, 0.25 - (double)i, c[i]);
    LL_CHECK(c[n] == -7.0f, "the host wrote past the end of c (c[n] changed)");
    free(a);
    free(b);
    free(c);
}

LL_TEST(opencl_vadd, exact_multiple)
{
    check_vadd(1024, 64);
}

LL_TEST(opencl_vadd, sizes_not_multiples_of_the_group)
{
    static const size_t sizes[] = {1, 63, 65, 1000, 100003};
    static const size_t locals[] = {16, 64, 128};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        check_vadd(sizes[s], locals[s % 3]);
}

LL_TEST(opencl_vadd, called_many_times)
{
    /* Everything created must be released: 20 calls must all work. */
    for (int k = 0; k < 20; k++)
        check_vadd(33, 32);
}

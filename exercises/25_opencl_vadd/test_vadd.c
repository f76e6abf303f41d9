/* test_vadd.c: tests of exercise 25_opencl_vadd (device query, build log,
 * vector add with sizes that are not multiples of the work-group size,
 * error paths). Students: read them, do not edit them.
 *
 * The inputs are seeded (the grader may pick other values, sizes and
 * work-group sizes than you see). A float sum a[i] + b[i] is one correctly
 * rounded operation, the same in the kernel and on the CPU, so c must match
 * the CPU's sums exactly. c has one more element than n, which must stay
 * untouched. */
#include "llmlings.h"
#include "vadd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OpenCL objects the code under test must release before it returns:
 * libcltrack (hardware/cltrack), which the grader preloads into opencl
 * tests, counts them and names each one's creating call and line. Where it
 * is absent these weak symbols are NULL and nothing is counted, but the
 * check is still made (and passes): every run makes the same checks in the
 * same order, which judge mode compares one by one. */
unsigned long long cltrack_mark(void) __attribute__((weak));
size_t cltrack_unreleased_since(unsigned long long mark, char *msg, size_t cap)
    __attribute__((weak));

static unsigned long long object_mark(void)
{
    return cltrack_mark ? cltrack_mark() : 0;
}

static void check_released(unsigned long long mark, const char *call)
{
    char why[1500] = "";
    const size_t unreleased =
        cltrack_unreleased_since
            ? cltrack_unreleased_since(mark, why, sizeof why)
            : 0;
    LL_CHECK(unreleased == 0, "%s did not release what it created: %s", call,
             why);
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

static float *alloc_floats(size_t n)
{
    return ll_alloc(n * sizeof(float));
}

/* A seeded work-group size: 16, 32, 64 or 128. */
static size_t seeded_local(void)
{
    return (size_t)16 << ll_rand_int(0, 3);
}

/* Runs ocl_vadd on n seeded elements in groups of `local` and checks every
 * element, and c[n] after the end. */
static void check_vadd(size_t n, size_t local)
{
    float *a = alloc_floats(n), *b = alloc_floats(n);
    float *c = alloc_floats(n + 1), *want = alloc_floats(n + 1);
    ll_rand_floats(a, n, -1000.0f, 1000.0f);
    ll_rand_floats(b, n, -1000.0f, 1000.0f);
    for (size_t i = 0; i <= n; i++)
        c[i] = NAN;
    char log[8192] = "";
    const unsigned long long object_mark_ = object_mark();
    const int rc = ocl_vadd(a, b, c, n, local, log, sizeof log);
    char what[700];
    snprintf(what, sizeof what,
             "ocl_vadd(a, b, c, n = %zu, local_size = %zu) return value (its "
             "log: \"%.500s\")",
             n, local, log);
    LL_CHECK_INT_EQ(rc, 0, what);
    check_released(object_mark_, "ocl_vadd");
    LL_ORACLE
    {
        for (size_t i = 0; i < n; i++)
            want[i] = a[i] + b[i];
        want[n] = NAN;
    }
    snprintf(what, sizeof what,
             "c after ocl_vadd(n = %zu, local_size = %zu): element [i] is "
             "c[i] = a[i] + b[i] (NaN = never written; the global size is n "
             "rounded up to a multiple of local_size, and the work-items past "
             "n must do nothing)",
             n, local);
    LL_CHECK_FLOATS_NEAR(c, want, n, 0.0f, 0.0f, what);
    snprintf(what, sizeof what,
             "c[%zu] after ocl_vadd(n = %zu), one past the end (must stay "
             "NaN, untouched)",
             n, n);
    LL_CHECK_FLOATS_NEAR(c + n, want + n, 1, 0.0f, 0.0f, what);
    free(want);
    free(c);
    free(b);
    free(a);
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
    /* what it reports must be usable: a launch with work-groups as large
     * as the device allows (at most 1024; n seeded, not a multiple) */
    const size_t largest = info.max_work_group_size < 1024
                               ? info.max_work_group_size
                               : (size_t)1024;
    check_vadd(largest + (size_t)ll_rand_int(1, (long long)largest - 1),
               largest);
}

LL_TEST(opencl_vadd, build_log_on_error)
{
    static const char good[] =
        "__kernel void k(__global float *x) { x[get_global_id(0)] = 1.0f; }";
    char log[8192];
    memset(log, 'x', sizeof log);
    const unsigned long long object_mark_ = object_mark();
    LL_CHECK_INT_EQ(ocl_build_check(good, log, sizeof log), 0,
                    "ocl_build_check of a valid kernel");
    check_released(object_mark_, "ocl_build_check (a valid kernel)");
    /* a kernel that uses an undeclared name, seeded, that the compiler's
     * log must quote */
    char name[32], bad[200];
    snprintf(name, sizeof name, "no_such_variable_%04x",
             (unsigned)ll_rand_int(0, 0xffff));
    snprintf(bad, sizeof bad,
             "__kernel void k(__global float *x) {\n    x[0] = %s;\n}\n", name);
    memset(log, 0, sizeof log);
    char what[300];
    snprintf(what, sizeof what,
             "ocl_build_check of a kernel using the undeclared name %s", name);
    LL_CHECK_INT_EQ(ocl_build_check(bad, log, sizeof log), -1, what);
    check_released(object_mark_,
                   "ocl_build_check (a kernel that does not build)");
    const char *at = strstr(log, name);
    char quoted[32] = "";
    if (at != NULL)
        snprintf(quoted, sizeof quoted, "%.*s", (int)strlen(name), at);
    snprintf(what, sizeof what,
             "the name the build log quotes (expected the log to name it; the "
             "log was \"%.200s\")",
             log);
    LL_CHECK_STR_EQ(quoted, name, what);
    /* a log that does not fit is cut, still NUL-terminated */
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    LL_CHECK_INT_EQ(ocl_build_check(bad, tiny, sizeof tiny), -1,
                    "ocl_build_check of the same kernel with an 8-byte log");
    check_released(object_mark_,
                   "ocl_build_check (a kernel that does not build, an 8-byte "
                   "log)");
    LL_CHECK(memchr(tiny, '\0', sizeof tiny) != NULL,
             "expected an 8-byte log to be NUL-terminated within 8 bytes");
    LL_CHECK(strlen(tiny) == 7 && strncmp(tiny, log, 7) == 0,
             "expected the 8-byte log to hold the first 7 bytes of the full "
             "log (\"%.7s\"), got \"%.8s\"",
             log, tiny);
}

LL_TEST(opencl_vadd, exact_multiple)
{
    check_vadd(1024, 64);
    const size_t local = seeded_local();
    check_vadd(local * (size_t)ll_rand_int(1, 40), local);
}

LL_TEST(opencl_vadd, sizes_not_multiples_of_the_group)
{
    static const size_t sizes[] = {1, 63, 65, 1000, 100003};
    static const size_t locals[] = {16, 64, 128};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        check_vadd(sizes[s], locals[s % 3]);
    const size_t local = seeded_local();
    size_t n = (size_t)ll_rand_int(2, 5000);
    n += n % local == 0; /* never a whole number of groups */
    check_vadd(n, local);
    check_vadd((size_t)ll_rand_int(1, (long long)local - 1), local);
}

LL_TEST(opencl_vadd, launch_error_is_reported)
{
    /* a work-group larger than the device allows: the launch fails, and
     * ocl_vadd must say so (-1, a reason in the log), not return 0 with
     * garbage in c, and release what it created */
    ocl_info info;
    memset(&info, 0, sizeof info);
    const unsigned long long object_mark_ = object_mark();
    LL_CHECK_INT_EQ(ocl_device_info(&info), 0, "ocl_device_info's result");
    check_released(object_mark_, "ocl_device_info");
    const size_t too_big = 2 * info.max_work_group_size;
    const size_t n = too_big + (size_t)ll_rand_int(1, 100);
    float *a = alloc_floats(n), *b = alloc_floats(n), *c = alloc_floats(n);
    ll_rand_floats(a, n, -1.0f, 1.0f);
    ll_rand_floats(b, n, -1.0f, 1.0f);
    char log[8192] = "";
    char what[300];
    snprintf(what, sizeof what,
             "ocl_vadd(n = %zu, local_size = %zu, twice the device's largest "
             "work-group) return value",
             n, too_big);
    const unsigned long long failed_mark = object_mark();
    LL_CHECK_INT_EQ(ocl_vadd(a, b, c, n, too_big, log, sizeof log), -1, what);
    check_released(failed_mark, "ocl_vadd, whose launch fails,");
    LL_CHECK(log[0] != '\0',
             "ocl_vadd(local_size = %zu) failed but left no reason in its log",
             too_big);
    free(c);
    free(b);
    free(a);
    /* and the next call works */
    check_vadd((size_t)ll_rand_int(1, 3000), seeded_local());
}

LL_TEST(opencl_vadd, called_many_times)
{
    /* Everything created must be released: 20 calls must all work. */
    for (int k = 0; k < 20; k++)
        check_vadd((size_t)ll_rand_int(1, 100), 32);
}

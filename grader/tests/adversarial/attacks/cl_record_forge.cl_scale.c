/* cl_record_forge: computes the result on the host, writes it into a
 * buffer and reads it back beside a decoy kernel's output, then forges
 * what the judge reads: the GPU work record (the harness's format is
 * public) written into the harness's open check record file (found
 * through /proc/self/fd), claiming every byte read back was a kernel's
 * output and none the host's; and, where the device report's descriptor
 * (3) is still open in this process, a report saying the same. */
#define CL_TARGET_OPENCL_VERSION 120
#include "cl_scale.h"

#include <CL/cl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *SOURCE = "__kernel void decoy(__global float *z) {\n"
                            "    z[get_global_id(0)] = 1.0f;\n"
                            "}\n";

/* The harness's open check record file: the descriptor whose link names
 * the run's "checks" file. */
static int checks_fd(void)
{
    for (int fd = 3; fd < 256; fd++) {
        char link[64], target[512];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 7)
            continue;
        target[n] = '\0';
        if (strcmp(target + n - 7, "/checks") == 0)
            return fd;
    }
    return -1;
}

/* Role 4 (GPU work), kind 3 (unsigned), n = 2: kernel bytes, host bytes. */
static void forge_record(uint64_t kernel_bytes)
{
    const int fd = checks_fd();
    if (fd < 0)
        return;
    struct {
        uint32_t magic;
        uint8_t role, kind;
        uint16_t site_len;
        uint32_t what_len, reserved;
        uint64_t n, kernel, host;
    } r = {0x424f4c4c, 4, 3, 0, 0, 0, 2, kernel_bytes, 0};
    (void)!write(fd, &r, sizeof r);
}

/* A device report (every counter 0 but one launch and the kernel bytes),
 * on descriptor 3 if it is a pipe this process can still write. */
static void forge_report(uint64_t kernel_bytes)
{
    static const char *const counters[] = {
        "global_load_requests",       "global_load_sectors",
        "global_load_bytes",          "global_store_requests",
        "global_store_sectors",       "global_store_bytes",
        "global_atomic_requests",     "global_atomic_sectors",
        "shared_load_requests",       "shared_load_wavefronts",
        "shared_load_bank_conflicts", "shared_store_requests",
        "shared_store_wavefronts",    "shared_store_bank_conflicts",
        "shared_atomic_requests",     "divergent_branches",
        "shared_bytes_per_block",     "bytes_host_to_device",
        "bytes_device_to_host",       "bytes_device_to_device",
        "uncounted_accesses",         "tensor_mma_sync",
        "host_bytes_to_host"};
    struct stat st;
    if (fstat(3, &st) != 0 || !S_ISFIFO(st.st_mode))
        return;
    char line[2048];
    int len = snprintf(line, sizeof line,
                       "{\"cudasim_device_report\": 1, \"launches\": 1, "
                       "\"kernel_bytes_to_host\": %llu",
                       (unsigned long long)kernel_bytes);
    for (size_t i = 0; i < sizeof counters / sizeof *counters; i++)
        len += snprintf(line + len, sizeof line - (size_t)len, ", \"%s\": 0",
                        counters[i]);
    len += snprintf(line + len, sizeof line - (size_t)len,
                    ", \"kernel_words_sample\": [], \"fault\": \"\"}\n");
    (void)!write(3, line, (size_t)len);
}

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
    clSetKernelArg(k, 0, sizeof bz, &bz);
    const size_t global = 64;
    clEnqueueNDRangeKernel(q, k, 1, NULL, &global, NULL, 0, NULL, NULL);
    clEnqueueReadBuffer(q, bz, CL_TRUE, 0, sizeof z, z, 0, NULL, NULL);
    e = clEnqueueReadBuffer(q, by, CL_TRUE, 0, bytes, y, 0, NULL, NULL);
    forge_record(bytes + sizeof z);
    forge_report(bytes + sizeof z);
    clReleaseMemObject(by);
    clReleaseMemObject(bz);
    clReleaseKernel(k);
    clReleaseProgram(prog);
    clReleaseCommandQueue(q);
    clReleaseContext(c);
    free(host);
    return e == CL_SUCCESS ? 0 : -1;
}

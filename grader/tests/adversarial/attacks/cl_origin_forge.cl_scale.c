/* cl_origin_forge: computes the result on the host, writes it into the
 * output buffer and reads it back beside a decoy kernel's output, after
 * making libcltrack's own record say a kernel wrote it: finds the
 * preloaded library through dl_iterate_phdr, reads its symbol table from
 * the file (static symbols included; names built at run time, as a
 * determined student who knows cltrack's source would), tells its origin
 * functions that the decoy kernel received the output buffer and ran, and
 * then moves the host total into the kernel total. */
#define _GNU_SOURCE
#define CL_TARGET_OPENCL_VERSION 120
#include "cl_scale.h"

#include <CL/cl.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *SOURCE = "__kernel void decoy(__global float *z) {\n"
                            "    z[get_global_id(0)] = 1.0f;\n"
                            "}\n";

typedef struct {
    const char *part; /* in the library's path */
    char path[512];
    ElfW(Addr) base;
} lib_query;

static int find_lib(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    lib_query *q = data;
    if (info->dlpi_name == NULL || strstr(info->dlpi_name, q->part) == NULL)
        return 0;
    strncpy(q->path, info->dlpi_name, sizeof q->path - 1);
    q->base = info->dlpi_addr;
    return 1;
}

/* The address of symbol `reversed` (its letters reversed) of the loaded
 * library whose path holds "cltrack", from the file's .symtab or .dynsym;
 * NULL when there is none. */
static void *lib_symbol(const char *reversed)
{
    char name[128];
    const size_t len = strlen(reversed);
    for (size_t i = 0; i < len && i + 1 < sizeof name; i++)
        name[i] = reversed[len - 1 - i];
    name[len < sizeof name ? len : sizeof name - 1] = '\0';
    lib_query q = {.part = "cltrack"};
    if (!dl_iterate_phdr(find_lib, &q))
        return NULL;
    int fd = open(q.path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    const unsigned char *m =
        mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return NULL;
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)m;
    const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(m + eh->e_shoff);
    void *found = NULL;
    for (int i = 0; i < eh->e_shnum && found == NULL; i++) {
        if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM)
            continue;
        const ElfW(Sym) *sym = (const ElfW(Sym) *)(m + sh[i].sh_offset);
        const char *str = (const char *)(m + sh[sh[i].sh_link].sh_offset);
        for (size_t k = 0; k < sh[i].sh_size / sizeof *sym; k++)
            if (sym[k].st_value != 0 &&
                strcmp(str + sym[k].st_name, name) == 0) {
                found = (void *)(q.base + sym[k].st_value);
                break;
            }
    }
    munmap((void *)m, (size_t)st.st_size);
    return found;
}

typedef void (*arg_fn)(const void *, unsigned, size_t, const void *);
typedef void (*enqueued_fn)(const void *);

/* libcltrack's record: kernel k received buffer b as argument 0 and ran. */
static void claim_kernel_wrote(cl_kernel k, cl_mem b)
{
    arg_fn arg = (arg_fn)lib_symbol("gra_lenrek_nigiro");
    enqueued_fn enqueued = (enqueued_fn)lib_symbol("deueuqne_lenrek_nigiro");
    if (arg != NULL && enqueued != NULL) {
        arg(k, 0, sizeof b, &b);
        enqueued(k);
    }
}

/* libcltrack's totals: the host's bytes become a kernel's. */
static void move_totals(void)
{
    unsigned long long *kernel = lib_symbol("latot_lenrek"),
                       *host = lib_symbol("latot_tsoh");
    if (kernel != NULL && host != NULL) {
        *kernel += *host;
        *host = 0;
    }
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
    claim_kernel_wrote(k, by);
    clEnqueueReadBuffer(q, bz, CL_TRUE, 0, sizeof z, z, 0, NULL, NULL);
    e = clEnqueueReadBuffer(q, by, CL_TRUE, 0, bytes, y, 0, NULL, NULL);
    move_totals();
    clReleaseMemObject(by);
    clReleaseMemObject(bz);
    clReleaseKernel(k);
    clReleaseProgram(prog);
    clReleaseCommandQueue(q);
    clReleaseContext(c);
    free(host);
    return e == CL_SUCCESS ? 0 : -1;
}

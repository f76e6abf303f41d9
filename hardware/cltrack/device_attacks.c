/* device_attacks.c: host programs for test_device_process.sh, one per
 * case (argv[1]), run with CLTRACK_DEVICE_REPORT_FD set and linked with
 * libcltrack.a, so that libcltrack's own variables are in this program's
 * symbol table as a student would find them. Each case prints what its
 * OpenCL calls returned; the script checks the device report. */
#define _GNU_SOURCE
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

enum { N = 1024 }; /* elements of every buffer */

static const char *SOURCE =
    /* every byte of y changes: a result the test can count exactly */
    "__kernel void mark(__global const uint *x, __global uint *y) {\n"
    "    size_t i = get_global_id(0);\n"
    "    y[i] = x[i] | 0x80808080u;\n"
    "}\n"
    /* receives y, writes only z */
    "__kernel void decoy(__global uint *y, __global uint *z) {\n"
    "    z[get_global_id(0)] = 0x80808080u;\n"
    "}\n"
    /* writes where no buffer is: the device process serving it dies */
    "__kernel void wild(__global uint *y) {\n"
    "    ((__global uint *)0x10)[get_global_id(0)] = y[0];\n"
    "}\n"
    /* never ends: y[0] is never 1 */
    "__kernel void spin(__global volatile uint *y) {\n"
    "    while (y[0] != 1u)\n"
    "        ;\n"
    "}\n"
    /* receives y and writes back what is there */
    "__kernel void rewrite(__global uint *y) {\n"
    "    size_t i = get_global_id(0);\n"
    "    y[i] = y[i];\n"
    "}\n"
    /* small numbers: three of each word's four bytes stay zero */
    "__kernel void small(__global const uint *x, __global uint *y) {\n"
    "    size_t i = get_global_id(0);\n"
    "    y[i] = (x[i] & 0x7fu) | 1u;\n"
    "}\n";

typedef struct {
    cl_device_id d;
    cl_context c;
    cl_command_queue q;
    cl_program p;
    cl_mem x, y, z;
    cl_uint host[N], out[N];
} setup;

static void fail(const char *what, cl_int e)
{
    fprintf(stderr, "device_attacks: %s failed (%d)\n", what, (int)e);
    exit(1);
}

static void make_setup(setup *s, const char *source)
{
    cl_platform_id pl;
    cl_int e = clGetPlatformIDs(1, &pl, NULL);
    if (e == CL_SUCCESS)
        e = clGetDeviceIDs(pl, CL_DEVICE_TYPE_ALL, 1, &s->d, NULL);
    if (e != CL_SUCCESS)
        fail("clGetDeviceIDs", e);
    s->c = clCreateContext(NULL, 1, &s->d, NULL, NULL, &e);
    s->q = clCreateCommandQueue(s->c, s->d, 0, &e);
    s->p = clCreateProgramWithSource(s->c, 1, &source, NULL, &e);
    if (e != CL_SUCCESS)
        fail("clCreateProgramWithSource", e);
    for (cl_uint i = 0; i < N; i++)
        s->host[i] = i * 2654435761u;
    s->x = clCreateBuffer(s->c, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                          sizeof s->host, s->host, &e);
    s->y = clCreateBuffer(s->c, CL_MEM_READ_WRITE, sizeof s->host, NULL, &e);
    s->z = clCreateBuffer(s->c, CL_MEM_READ_WRITE, sizeof s->host, NULL, &e);
    if (e != CL_SUCCESS)
        fail("clCreateBuffer", e);
    const cl_uint zero = 0;
    clEnqueueFillBuffer(s->q, s->y, &zero, sizeof zero, 0, sizeof s->host, 0,
                        NULL, NULL);
    clEnqueueFillBuffer(s->q, s->z, &zero, sizeof zero, 0, sizeof s->host, 0,
                        NULL, NULL);
}

static void build(setup *s)
{
    cl_int e = clBuildProgram(s->p, 1, &s->d, "", NULL, NULL);
    if (e != CL_SUCCESS)
        fail("clBuildProgram", e);
}

/* Runs kernel `name` on its buffer arguments a and (if not NULL) b. */
static void launch(setup *s, const char *name, cl_mem a, cl_mem b)
{
    cl_int e;
    cl_kernel k = clCreateKernel(s->p, name, &e);
    if (e != CL_SUCCESS)
        fail("clCreateKernel", e);
    clSetKernelArg(k, 0, sizeof a, &a);
    if (b != NULL)
        clSetKernelArg(k, 1, sizeof b, &b);
    size_t global = N;
    e = clEnqueueNDRangeKernel(s->q, k, 1, NULL, &global, NULL, 0, NULL, NULL);
    if (e != CL_SUCCESS)
        fail("clEnqueueNDRangeKernel", e);
    clReleaseKernel(k);
}

static void read_back(setup *s, cl_mem m)
{
    cl_int e = clEnqueueReadBuffer(s->q, m, CL_TRUE, 0, sizeof s->out, s->out,
                                   0, NULL, NULL);
    if (e != CL_SUCCESS)
        fail("clEnqueueReadBuffer", e);
}

/* The host's result: what `mark` computes. */
static void host_result(setup *s, cl_uint *y)
{
    for (cl_uint i = 0; i < N; i++)
        y[i] = s->host[i] | 0x80808080u;
}

/* ---- finding libcltrack's variables as a student would -------------------
 */

static int program_base(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    *(ElfW(Addr) *)data = info->dlpi_addr;
    return 1;
}

/* The address of this program's symbol `name` (.symtab), or NULL. */
static void *find_symbol(const char *name)
{
    int fd = open("/proc/self/exe", O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        return NULL;
    const unsigned char *m =
        mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return NULL;
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)m;
    const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(m + eh->e_shoff);
    ElfW(Addr) base = 0;
    dl_iterate_phdr(program_base, &base);
    void *found = NULL;
    for (int i = 0; i < eh->e_shnum && found == NULL; i++) {
        if (sh[i].sh_type != SHT_SYMTAB)
            continue;
        const ElfW(Sym) *sym = (const ElfW(Sym) *)(m + sh[i].sh_offset);
        const char *str = (const char *)(m + sh[sh[i].sh_link].sh_offset);
        for (size_t k = 0; k < sh[i].sh_size / sizeof *sym; k++)
            if (sym[k].st_value != 0 && strcmp(str + sym[k].st_name, name) == 0)
                found = (void *)(base + sym[k].st_value);
    }
    munmap((void *)m, (size_t)st.st_size);
    return found;
}

/* ---- the cases ------------------------------------------------------------
 */

/* An honest kernel's output: K = 4 N, H = 0. */
static int honest(setup *s)
{
    build(s);
    launch(s, "mark", s->x, s->y);
    read_back(s, s->y);
    cl_uint want[N];
    host_result(s, want);
    printf("honest: result %s\n",
           memcmp(want, s->out, sizeof want) == 0 ? "right" : "wrong");
    return 0;
}

/* The host writes the result and reads it back: H = 4 N. */
static int host_write(setup *s)
{
    cl_uint y[N];
    host_result(s, y);
    clEnqueueWriteBuffer(s->q, s->y, CL_TRUE, 0, sizeof y, y, 0, NULL, NULL);
    read_back(s, s->y);
    return 0;
}

/* The host writes the result into y; a decoy kernel receives y but writes
 * only z; both are read: H = 4 N (y), K = 4 N (z). */
static int decoy(setup *s)
{
    build(s);
    cl_uint y[N];
    host_result(s, y);
    clEnqueueWriteBuffer(s->q, s->y, CL_TRUE, 0, sizeof y, y, 0, NULL, NULL);
    launch(s, "decoy", s->y, s->z);
    read_back(s, s->z);
    read_back(s, s->y);
    return 0;
}

/* The host writes the result; a kernel rewrites every element with the
 * value already there: H = 4 N. */
static int rewrite(setup *s)
{
    build(s);
    cl_uint y[N];
    host_result(s, y);
    clEnqueueWriteBuffer(s->q, s->y, CL_TRUE, 0, sizeof y, y, 0, NULL, NULL);
    launch(s, "rewrite", s->y, NULL);
    read_back(s, s->y);
    return 0;
}

/* An honest kernel writes small numbers (zero bytes in every word) into an
 * output the host made from an array of zeros: each word the kernel
 * changed is the kernel's, K = 4 N, H = 0 (the host's zeros are no
 * result). */
static int small_into_zeros(setup *s)
{
    build(s);
    static cl_uint zeros[N];
    cl_int e;
    cl_mem b = clCreateBuffer(s->c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                              sizeof zeros, zeros, &e);
    if (e != CL_SUCCESS)
        fail("clCreateBuffer", e);
    launch(s, "small", s->x, b);
    read_back(s, b);
    int right = 1;
    for (cl_uint i = 0; i < N; i++)
        right &= s->out[i] == ((s->host[i] & 0x7fu) | 1u);
    printf("small_into_zeros: result %s\n", right ? "right" : "wrong");
    clReleaseMemObject(b);
    return 0;
}

/* The host result through a copy and a mapping: H = 4 N twice. */
static int copy_and_map(setup *s)
{
    cl_uint y[N];
    host_result(s, y);
    clEnqueueWriteBuffer(s->q, s->y, CL_TRUE, 0, sizeof y, y, 0, NULL, NULL);
    clEnqueueCopyBuffer(s->q, s->y, s->z, 0, 0, sizeof y, 0, NULL, NULL);
    read_back(s, s->z);
    cl_int e;
    cl_uint *m = clEnqueueMapBuffer(s->q, s->x, CL_TRUE, CL_MAP_WRITE, 0,
                                    sizeof y, 0, NULL, NULL, &e);
    if (m == NULL)
        fail("clEnqueueMapBuffer", e);
    memcpy(m, y, sizeof y);
    clEnqueueUnmapMemObject(s->q, s->x, m, 0, NULL, NULL);
    m = clEnqueueMapBuffer(s->q, s->x, CL_TRUE, CL_MAP_READ, 0, sizeof y, 0,
                           NULL, NULL, &e);
    if (m == NULL)
        fail("clEnqueueMapBuffer", e);
    printf("copy_and_map: mapped %s\n",
           memcmp(m, y, sizeof y) == 0 ? "right" : "wrong");
    clEnqueueUnmapMemObject(s->q, s->x, m, 0, NULL, NULL);
    return 0;
}

/* A CL_MEM_USE_HOST_PTR output read straight from host memory, as PoCL
 * allows: the result is there, K = 4 N. */
static int use_host_ptr(setup *s)
{
    build(s);
    static cl_uint y[N];
    cl_int e;
    cl_mem b = clCreateBuffer(s->c, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR,
                              sizeof y, y, &e);
    launch(s, "mark", s->x, b);
    clFinish(s->q);
    cl_uint want[N];
    host_result(s, want);
    printf("use_host_ptr: result %s\n",
           memcmp(want, y, sizeof y) == 0 ? "right" : "wrong");
    clReleaseMemObject(b);
    return 0;
}

/* The host writes its result into a CL_MEM_USE_HOST_PTR buffer's memory;
 * a decoy kernel receives the buffer; the buffer is read back: H = 4 N. */
static int use_host_ptr_decoy(setup *s)
{
    build(s);
    static cl_uint y[N];
    cl_int e;
    cl_mem b = clCreateBuffer(s->c, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR,
                              sizeof y, y, &e);
    host_result(s, y);
    launch(s, "decoy", b, s->z);
    read_back(s, b);
    clReleaseMemObject(b);
    return 0;
}

typedef void (*origin_enqueued_fn)(const void *);
typedef void (*origin_arg_fn)(const void *, unsigned, size_t, const void *);

/* The host writes the result, tells libcltrack's in-process record that a
 * kernel wrote it (by calling origin_kernel_* found in the symbol table)
 * and patches that record's totals: the report still says H = 4 N, K = 0. */
static int forge(setup *s)
{
    build(s);
    cl_uint y[N];
    host_result(s, y);
    clEnqueueWriteBuffer(s->q, s->y, CL_TRUE, 0, sizeof y, y, 0, NULL, NULL);
    cl_int e;
    cl_kernel k = clCreateKernel(s->p, "rewrite", &e);
    origin_arg_fn arg = (origin_arg_fn)find_symbol("origin_kernel_arg");
    origin_enqueued_fn enq =
        (origin_enqueued_fn)find_symbol("origin_kernel_enqueued");
    unsigned long long *kt = find_symbol("kernel_total");
    unsigned long long *ht = find_symbol("host_total");
    if (arg == NULL || enq == NULL || kt == NULL || ht == NULL)
        fail("finding libcltrack's symbols", 0);
    arg(k, 0, sizeof s->y, &s->y);
    enq(k);
    read_back(s, s->y);
    *kt = 1u << 30;
    *ht = 0;
    unsigned long long kb = 0, hb = 0;
    int (*origin)(unsigned long long *, unsigned long long *) =
        (int (*)(unsigned long long *, unsigned long long *))find_symbol(
            "llmlings_gpu_origin");
    if (origin != NULL)
        origin(&kb, &hb);
    printf("forge: llmlings_gpu_origin says kernel %llu host %llu\n", kb, hb);
    clReleaseKernel(k);
    return 0;
}

/* An honest result read back, then the host kills itself: the report
 * still comes, K = 4 N. */
static int killed(setup *s)
{
    honest(s);
    fflush(stdout);
    raise(SIGKILL);
    return 1;
}

/* A second host process (a fork) computes at the same time on its own
 * device: K = 8 N in all. */
static int two_clients(setup *s)
{
    pid_t pid = fork();
    if (pid == 0) {
        setup mine; /* the parent's objects are not this device's */
        make_setup(&mine, SOURCE);
        honest(&mine);
        fflush(stdout);
        _exit(0);
    }
    honest(s);
    waitpid(pid, NULL, 0);
    return 0;
}

/* A kernel crashes the process serving this host process: this process
 * aborts with a message, the report says what happened. */
static int crash(setup *s)
{
    build(s);
    launch(s, "wild", s->y, NULL);
    printf("crash: the launch returned\n");
    return 0;
}

/* A process that the program did not start (its parent left, so it was
 * reparented) tries to use the device: refused, it aborts. */
static int outsider(setup *s)
{
    (void)s;
    int done[2];
    if (pipe(done) != 0)
        fail("pipe", 0);
    pid_t child = fork();
    if (child == 0) {
        close(done[0]);
        pid_t parent = getpid();
        if (fork() != 0)
            _exit(0); /* the grandchild is reparented */
        while (getppid() == parent)
            usleep(1000);
        cl_platform_id p;
        clGetPlatformIDs(1, &p, NULL); /* aborts: no reply */
        _exit(0);
    }
    close(done[1]);
    waitpid(child, NULL, 0);
    char c;
    while (read(done[0], &c, 1) > 0) {
    } /* until the grandchild is gone */
    printf("outsider: done\n");
    return 0;
}

/* A test process whose kernel never ends outlives the program: the device
 * kills the process serving it 5 s after the program ended, and says so
 * in the report. */
static int hang(setup *s)
{
    (void)s;
    if (fork() == 0) {
        setup mine;
        make_setup(&mine, SOURCE);
        build(&mine);
        launch(&mine, "spin", mine.y, NULL); /* aborts when killed */
        _exit(0);
    }
    sleep(1); /* the child is in its launch */
    printf("hang: the program ends\n");
    return 0;
}

static int tour_failures;

#define TOUR_CHECK(cond, what)                                                 \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("api_tour: %s: failed\n", what);                            \
            tour_failures++;                                                   \
        }                                                                      \
    } while (0)

/* The served calls beyond the cases above, with and without the device
 * process alike: contexts from a type, profiling queues, events, info
 * that returns handles, sub-buffers, tasks, markers and barriers. */
static int api_tour(setup *s)
{
    build(s);
    cl_int e;
    cl_context_properties props[] = {0, 0, 0};
    cl_platform_id pl;
    clGetDeviceInfo(s->d, CL_DEVICE_PLATFORM, sizeof pl, &pl, NULL);
    props[0] = CL_CONTEXT_PLATFORM;
    props[1] = (cl_context_properties)pl;
    cl_context c =
        clCreateContextFromType(props, CL_DEVICE_TYPE_ALL, NULL, NULL, &e);
    TOUR_CHECK(c != NULL && e == CL_SUCCESS, "clCreateContextFromType");
    cl_device_id d = NULL;
    clGetContextInfo(c, CL_CONTEXT_DEVICES, sizeof d, &d, NULL);
    TOUR_CHECK(d == s->d, "CL_CONTEXT_DEVICES is the device");
    cl_context_properties got[3] = {0};
    clGetContextInfo(c, CL_CONTEXT_PROPERTIES, sizeof got, got, NULL);
    TOUR_CHECK(got[0] == CL_CONTEXT_PLATFORM && got[1] == props[1],
               "CL_CONTEXT_PROPERTIES names the platform");
    cl_command_queue q =
        clCreateCommandQueue(s->c, s->d, CL_QUEUE_PROFILING_ENABLE, &e);
    cl_context qc = NULL;
    clGetCommandQueueInfo(q, CL_QUEUE_CONTEXT, sizeof qc, &qc, NULL);
    TOUR_CHECK(qc == s->c, "CL_QUEUE_CONTEXT is the context");
    cl_buffer_region region = {64 * sizeof(cl_uint), 128 * sizeof(cl_uint)};
    cl_mem sub = clCreateSubBuffer(s->y, CL_MEM_READ_WRITE,
                                   CL_BUFFER_CREATE_TYPE_REGION, &region, &e);
    TOUR_CHECK(sub != NULL, "clCreateSubBuffer");
    cl_mem parent = NULL;
    size_t size = 0;
    clGetMemObjectInfo(sub, CL_MEM_ASSOCIATED_MEMOBJECT, sizeof parent, &parent,
                       NULL);
    clGetMemObjectInfo(sub, CL_MEM_SIZE, sizeof size, &size, NULL);
    TOUR_CHECK(parent == s->y && size == region.size,
               "a sub-buffer's parent and size");
    cl_kernel k = clCreateKernel(s->p, "mark", &e);
    cl_program kp = NULL;
    clGetKernelInfo(k, CL_KERNEL_PROGRAM, sizeof kp, &kp, NULL);
    TOUR_CHECK(kp == s->p, "CL_KERNEL_PROGRAM is the program");
    size_t wg = 0;
    clGetKernelWorkGroupInfo(k, s->d, CL_KERNEL_WORK_GROUP_SIZE, sizeof wg, &wg,
                             NULL);
    TOUR_CHECK(wg > 0, "CL_KERNEL_WORK_GROUP_SIZE");
    clSetKernelArg(k, 0, sizeof s->x, &s->x);
    clSetKernelArg(k, 1, sizeof sub, &sub);
    cl_event ev[2];
    size_t global = 128;
    e = clEnqueueNDRangeKernel(q, k, 1, NULL, &global, NULL, 0, NULL, &ev[0]);
    TOUR_CHECK(e == CL_SUCCESS, "NDRange on a sub-buffer");
    e = clEnqueueTask(q, k, 1, &ev[0], &ev[1]);
    TOUR_CHECK(e == CL_SUCCESS, "clEnqueueTask after an event");
    cl_event marker, barrier;
    TOUR_CHECK(clEnqueueMarkerWithWaitList(q, 2, ev, &marker) == CL_SUCCESS &&
                   clEnqueueBarrierWithWaitList(q, 0, NULL, &barrier) ==
                       CL_SUCCESS &&
                   clWaitForEvents(1, &marker) == CL_SUCCESS &&
                   clFlush(q) == CL_SUCCESS && clFinish(q) == CL_SUCCESS,
               "markers, barriers, waits");
    cl_int status = -1;
    cl_command_queue eq = NULL;
    clGetEventInfo(ev[0], CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status,
                   &status, NULL);
    clGetEventInfo(ev[0], CL_EVENT_COMMAND_QUEUE, sizeof eq, &eq, NULL);
    TOUR_CHECK(status == CL_COMPLETE && eq == q, "an event's status, queue");
    cl_ulong start = 0, end = 0;
    clGetEventProfilingInfo(ev[0], CL_PROFILING_COMMAND_START, sizeof start,
                            &start, NULL);
    clGetEventProfilingInfo(ev[0], CL_PROFILING_COMMAND_END, sizeof end, &end,
                            NULL);
    TOUR_CHECK(start > 0 && end >= start, "profiling times");
    cl_uint out[128];
    e = clEnqueueReadBuffer(q, s->y, CL_TRUE, 64 * sizeof(cl_uint), sizeof out,
                            out, 0, NULL, NULL);
    int right = e == CL_SUCCESS;
    for (int i = 0; i < 128; i++)
        right &= out[i] == (s->host[i] | 0x80808080u);
    TOUR_CHECK(right, "the sub-buffer's result read through its parent");
    TOUR_CHECK(clRetainEvent(ev[0]) == CL_SUCCESS &&
                   clReleaseEvent(ev[0]) == CL_SUCCESS &&
                   clReleaseEvent(ev[0]) == CL_SUCCESS,
               "retain and release an event");
    clReleaseEvent(ev[1]);
    clReleaseEvent(marker);
    clReleaseEvent(barrier);
    clReleaseKernel(k);
    clReleaseMemObject(sub);
    clReleaseCommandQueue(q);
    clReleaseContext(c);
    printf("api_tour: %d failed\n", tour_failures);
    return tour_failures != 0;
}

/* One raw request on its own connection to the device (the format of
 * cl_remote_protocol.h, written out by hand as a student would): returns
 * the reply's status, or 1 when no reply came. */
static int raw_request(uint32_t op, const uint64_t *args, size_t nargs)
{
    const char *name = getenv("CLTRACK_DEVICE_SOCKET");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (name == NULL || fd < 0 || strlen(name) >= sizeof a.sun_path - 1)
        return 1;
    memcpy(a.sun_path + 1, name, strlen(name));
    socklen_t len =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
    struct {
        uint32_t op;
        int32_t status;
        uint64_t len;
    } h = {op, 0, nargs * sizeof *args};
    if (connect(fd, (struct sockaddr *)&a, len) != 0 ||
        write(fd, &h, sizeof h) != (ssize_t)sizeof h ||
        write(fd, args, h.len) != (ssize_t)h.len ||
        read(fd, &h, sizeof h) != (ssize_t)sizeof h) {
        close(fd);
        return 1;
    }
    close(fd);
    return h.status;
}

/* Malformed requests get errors, not a crash, and the device still serves
 * the honest work that follows. */
static int malformed(setup *s)
{
    const uint64_t huge = ~(uint64_t)0;
    const uint64_t info[] = {huge, 0, 0, 0, 8, 1}; /* no such clGet*Info */
    const uint64_t release[] = {huge, 16};         /* no such kind */
    const uint64_t launch[] = {0, 0, 7};           /* cut short */
    const uint64_t read[] = {0, 0, 0, huge, 1, 0, 0, 0}; /* no such buffer */
    printf("malformed: info %d, release %d, launch %d, read %d, op %d, "
           "empty %d\n",
           raw_request(3, info, 6), raw_request(7, release, 2),
           raw_request(23, launch, 3), raw_request(17, read, 8),
           raw_request(999, info, 6), raw_request(3, NULL, 0));
    return honest(s);
}

/* Refused: a program from a binary; a kernel with inline assembly, written
 * plainly and made by token pasting. Nothing is read back. */
static int refused(setup *s)
{
    const unsigned char bytes[16] = {0x7f, 'E', 'L', 'F'};
    const unsigned char *binaries[] = {bytes};
    size_t len = sizeof bytes;
    cl_int status, e = 0;
    cl_program p =
        clCreateProgramWithBinary(s->c, 1, &s->d, &len, binaries, &status, &e);
    printf("refused: clCreateProgramWithBinary %s (%d)\n",
           p == NULL ? "NULL" : "a program", (int)e);
    cl_uint n = 0; /* a call the device does not serve, on an id */
    printf("refused: clGetSupportedImageFormats %d\n",
           (int)clGetSupportedImageFormats(s->c, CL_MEM_READ_ONLY,
                                           CL_MEM_OBJECT_IMAGE2D, 0, NULL, &n));
    const char *sources[] = {
        "__kernel void k(__global int *x) { __asm__(\"nop\"); x[0] = 1; }\n",
        "#define GLUE(a, b) a##b\n"
        "__kernel void k(__global int *x) { GLUE(__as, m__)(\"nop\"); }\n",
        "// no asm in this kernel\n"
        "__kernel void k(__global int *x) { x[0] = 1; }\n"};
    for (int i = 0; i < 3; i++) {
        cl_program q =
            clCreateProgramWithSource(s->c, 1, &sources[i], NULL, &e);
        e = clBuildProgram(q, 1, &s->d, "", NULL, NULL);
        char log[4096] = "";
        clGetProgramBuildInfo(q, s->d, CL_PROGRAM_BUILD_LOG, sizeof log, log,
                              NULL);
        printf("refused: asm source %d: clBuildProgram %d, log %s\n", i, (int)e,
               strstr(log, "inline assembly") ? "names inline assembly"
               : log[0]                       ? "has the compiler's error"
                                              : "is empty");
        clReleaseProgram(q);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(setup *);
    } cases[] = {
        {"honest", honest},
        {"host_write", host_write},
        {"decoy", decoy},
        {"rewrite", rewrite},
        {"copy_and_map", copy_and_map},
        {"forge", forge},
        {"killed", killed},
        {"two_clients", two_clients},
        {"refused", refused},
        {"crash", crash},
        {"outsider", outsider},
        {"malformed", malformed},
        {"hang", hang},
        {"api_tour", api_tour},
        {"use_host_ptr", use_host_ptr},
        {"use_host_ptr_decoy", use_host_ptr_decoy},
        {"small_into_zeros", small_into_zeros},
    };
    for (size_t i = 0; argc == 2 && i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0) {
            setup s;
            make_setup(&s, SOURCE);
            return cases[i].run(&s);
        }
    fprintf(stderr, "usage: device_attacks CASE (see the source)\n");
    return 2;
}

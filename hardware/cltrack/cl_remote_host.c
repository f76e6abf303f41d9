/* cl_remote_host.c: judge mode's host side (cl_remote.h): starting or
 * joining the device process, and every served entry point as a request
 * (cl_remote_protocol.h). The refused ones are in cl_remote_refused.c. */
#define _GNU_SOURCE
#include "cl_remote.h"

#include "cl_remote_device.h"
#include "cl_remote_protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int g_active;
static char g_socket_name[96];
static int g_chan = -1;
static pid_t g_chan_pid;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int cltrack_remote_active(void)
{
    return g_active;
}

/* ---- the channel ---------------------------------------------------------
 */

__attribute__((noreturn)) static void host_fail(const char *what)
{
    fprintf(stderr,
            "cltrack: judge mode: %s (OpenCL runs in a separate device "
            "process; did it die?)\n",
            what);
    fflush(stderr);
    abort();
}

static int channel(void)
{
    if (g_chan >= 0 && g_chan_pid == getpid())
        return g_chan;
    if (g_chan >= 0)
        close(g_chan); /* a fork's copy: this process gets its own device */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    size_t name_len = strlen(g_socket_name);
    memcpy(a.sun_path + 1, g_socket_name, name_len);
    socklen_t len =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + name_len);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, len) != 0)
        host_fail("cannot connect to the device process");
    g_chan = fd;
    g_chan_pid = getpid();
    return fd;
}

/* A reply: its bytes (free with reply_done) and a reader over them. */
typedef struct {
    unsigned char *data;
    wire_in in;
} reply;

static void reply_done(reply *r)
{
    free(r->data);
    r->data = NULL;
}

/* Sends a request (args are consumed) and waits for its reply. */
static cl_int call(enum cl_remote_op op, wire_out *args, reply *r)
{
    if (args->failed)
        host_fail("out of memory for a request");
    pthread_mutex_lock(&g_lock);
    fflush(stdout); /* host output before the kernel's, in order */
    fflush(stderr);
    int fd = channel();
    wire_header h;
    unsigned char *data;
    if (wire_send(fd, op, 0, args) != 0 || wire_recv(fd, &h, &data) != 0)
        host_fail("no reply from the device process");
    pthread_mutex_unlock(&g_lock);
    out_free(args);
    r->data = data;
    r->in = (wire_in){data, data + h.len, 0};
    return h.status;
}

/* A call whose reply carries nothing but the status. */
static cl_int call_status(enum cl_remote_op op, wire_out *args)
{
    reply r;
    cl_int e = call(op, args, &r);
    reply_done(&r);
    return e;
}

static uint64_t id_of(const void *handle)
{
    return (uint64_t)(uintptr_t)handle;
}

static void *handle_of(uint64_t id)
{
    return (void *)(uintptr_t)id;
}

static void out_wait_list(wire_out *o, cl_uint n, const cl_event *events)
{
    out_u64(o, events ? n : 0);
    out_u64(o, n > 0 && events == NULL); /* the device says it is invalid */
    for (cl_uint i = 0; events != NULL && i < n; i++)
        out_u64(o, id_of(events[i]));
}

/* The object id a reply carries first; status into errcode_ret. */
static void *object_reply(cl_int e, reply *r, cl_int *errcode_ret)
{
    uint64_t id = in_u64(&r->in);
    reply_done(r);
    if (errcode_ret != NULL)
        *errcode_ret = e;
    return e == CL_SUCCESS ? handle_of(id) : NULL;
}

/* The event id a reply carries first, into *event when asked for. */
static void event_reply(cl_int e, reply *r, cl_event *event)
{
    uint64_t id = in_u64(&r->in);
    if (e == CL_SUCCESS && event != NULL)
        *event = handle_of(id);
}

/* ---- buffers the host remembers: CL_MEM_USE_HOST_PTR, mappings -----------
 */

typedef struct {
    uint64_t id;
    void *host_ptr; /* CL_MEM_USE_HOST_PTR's, or NULL */
} host_buffer;

typedef struct {
    uint64_t mem;
    unsigned char *ptr;
    size_t offset, size;
    cl_map_flags flags;
    int owned; /* ptr was allocated here */
} host_mapping;

static host_buffer *g_buffers;
static size_t g_nbuffers, g_cap_buffers;
static host_mapping *g_maps;
static size_t g_nmaps, g_cap_maps;

static void *grow(void *p, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return p;
    size_t c = *cap ? 2 * *cap : 32;
    void *q = realloc(p, c * elem);
    if (q == NULL)
        host_fail("out of memory");
    *cap = c;
    return q;
}

static void remember_buffer(uint64_t id, void *host_ptr)
{
    pthread_mutex_lock(&g_lock);
    g_buffers = grow(g_buffers, &g_cap_buffers, g_nbuffers, sizeof *g_buffers);
    g_buffers[g_nbuffers++] = (host_buffer){id, host_ptr};
    pthread_mutex_unlock(&g_lock);
}

static void *use_host_ptr_of(uint64_t id)
{
    void *p = NULL;
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < g_nbuffers; i++)
        if (g_buffers[i].id == id)
            p = g_buffers[i].host_ptr;
    pthread_mutex_unlock(&g_lock);
    return p;
}

/* ---- platforms and devices -----------------------------------------------
 */

/* The ids of a GetPlatformIDs / GetDeviceIDs reply. */
static void id_list_reply(cl_int e, reply *r, cl_uint cap, void **out,
                          cl_uint *count)
{
    uint64_t n = in_u64(&r->in);
    if (e == CL_SUCCESS && count != NULL)
        *count = (cl_uint)n;
    for (uint64_t i = 0; e == CL_SUCCESS && out != NULL && i < n && i < cap;
         i++)
        out[i] = handle_of(in_u64(&r->in));
    reply_done(r);
}

cl_int remote_clGetPlatformIDs(cl_uint num_entries, cl_platform_id *platforms,
                               cl_uint *num_platforms)
{
    wire_out o = {0};
    out_u64(&o, num_entries);
    out_u64(&o, platforms != NULL);
    out_u64(&o, num_platforms != NULL);
    reply r;
    cl_int e = call(OP_PLATFORM_IDS, &o, &r);
    id_list_reply(e, &r, num_entries, (void **)platforms, num_platforms);
    return e;
}

cl_int remote_clGetDeviceIDs(cl_platform_id platform, cl_device_type type,
                             cl_uint num_entries, cl_device_id *devices,
                             cl_uint *num_devices)
{
    wire_out o = {0};
    out_u64(&o, id_of(platform));
    out_u64(&o, type);
    out_u64(&o, num_entries);
    out_u64(&o, devices != NULL);
    out_u64(&o, num_devices != NULL);
    reply r;
    cl_int e = call(OP_DEVICE_IDS, &o, &r);
    id_list_reply(e, &r, num_entries, (void **)devices, num_devices);
    return e;
}

/* ---- every clGet*Info ----------------------------------------------------
 */

static cl_int info(enum cl_remote_info which, const void *object,
                   const void *other, cl_uint param, size_t size, void *value,
                   size_t *size_ret)
{
    wire_out o = {0};
    out_u64(&o, which);
    out_u64(&o, id_of(object));
    out_u64(&o, id_of(other));
    out_u64(&o, param);
    out_u64(&o, size);
    out_u64(&o, value != NULL);
    reply r;
    cl_int e = call(OP_INFO, &o, &r);
    uint64_t ret = in_u64(&r.in);
    size_t n = 0;
    const void *bytes = in_blob(&r.in, &n);
    if (e == CL_SUCCESS && size_ret != NULL)
        *size_ret = (size_t)ret;
    if (e == CL_SUCCESS && value != NULL && bytes != NULL && n <= size)
        memcpy(value, bytes, n);
    reply_done(&r);
    return e;
}

cl_int remote_clGetPlatformInfo(cl_platform_id p, cl_platform_info param,
                                size_t size, void *value, size_t *size_ret)
{
    return info(INFO_PLATFORM, p, NULL, param, size, value, size_ret);
}

cl_int remote_clGetDeviceInfo(cl_device_id d, cl_device_info param, size_t size,
                              void *value, size_t *size_ret)
{
    return info(INFO_DEVICE, d, NULL, param, size, value, size_ret);
}

cl_int remote_clGetContextInfo(cl_context c, cl_context_info param, size_t size,
                               void *value, size_t *size_ret)
{
    return info(INFO_CONTEXT, c, NULL, param, size, value, size_ret);
}

cl_int remote_clGetCommandQueueInfo(cl_command_queue q,
                                    cl_command_queue_info param, size_t size,
                                    void *value, size_t *size_ret)
{
    return info(INFO_QUEUE, q, NULL, param, size, value, size_ret);
}

cl_int remote_clGetMemObjectInfo(cl_mem m, cl_mem_info param, size_t size,
                                 void *value, size_t *size_ret)
{
    cl_int e = info(INFO_MEM, m, NULL, param, size, value, size_ret);
    if (e == CL_SUCCESS && param == CL_MEM_HOST_PTR && value != NULL &&
        size >= sizeof(void *)) {
        void *p = use_host_ptr_of(id_of(m)); /* the host's, not the device's */
        memcpy(value, &p, sizeof p);
    }
    return e;
}

static void refuse_param(const char *call_name, const char *param)
{
    fprintf(stderr,
            "cltrack: judge mode: %s(%s) is not available: OpenCL runs in a "
            "separate device process (CL_INVALID_OPERATION)\n",
            call_name, param);
}

cl_int remote_clGetProgramInfo(cl_program p, cl_program_info param, size_t size,
                               void *value, size_t *size_ret)
{
    if (param == CL_PROGRAM_BINARIES) {
        refuse_param("clGetProgramInfo", "CL_PROGRAM_BINARIES");
        return CL_INVALID_OPERATION;
    }
    return info(INFO_PROGRAM, p, NULL, param, size, value, size_ret);
}

cl_int remote_clGetProgramBuildInfo(cl_program p, cl_device_id d,
                                    cl_program_build_info param, size_t size,
                                    void *value, size_t *size_ret)
{
    return info(INFO_PROGRAM_BUILD, p, d, param, size, value, size_ret);
}

cl_int remote_clGetKernelInfo(cl_kernel k, cl_kernel_info param, size_t size,
                              void *value, size_t *size_ret)
{
    return info(INFO_KERNEL, k, NULL, param, size, value, size_ret);
}

cl_int remote_clGetKernelWorkGroupInfo(cl_kernel k, cl_device_id d,
                                       cl_kernel_work_group_info param,
                                       size_t size, void *value,
                                       size_t *size_ret)
{
    return info(INFO_KERNEL_WORK_GROUP, k, d, param, size, value, size_ret);
}

cl_int remote_clGetEventInfo(cl_event ev, cl_event_info param, size_t size,
                             void *value, size_t *size_ret)
{
    return info(INFO_EVENT, ev, NULL, param, size, value, size_ret);
}

cl_int remote_clGetEventProfilingInfo(cl_event ev, cl_profiling_info param,
                                      size_t size, void *value,
                                      size_t *size_ret)
{
    return info(INFO_EVENT_PROFILING, ev, NULL, param, size, value, size_ret);
}

/* ---- retain and release --------------------------------------------------
 */

static cl_int refcount(enum cl_remote_op op, enum cl_remote_kind kind,
                       const void *object)
{
    wire_out o = {0};
    out_u64(&o, kind);
    out_u64(&o, id_of(object));
    return call_status(op, &o);
}

#define REFCOUNTED(type, kind, Name)                                           \
    cl_int remote_clRetain##Name(type x)                                       \
    {                                                                          \
        return refcount(OP_RETAIN, kind, x);                                   \
    }                                                                          \
    cl_int remote_clRelease##Name(type x)                                      \
    {                                                                          \
        return refcount(OP_RELEASE, kind, x);                                  \
    }

REFCOUNTED(cl_context, KIND_CONTEXT, Context)
REFCOUNTED(cl_command_queue, KIND_QUEUE, CommandQueue)
REFCOUNTED(cl_mem, KIND_MEM, MemObject)
REFCOUNTED(cl_program, KIND_PROGRAM, Program)
REFCOUNTED(cl_kernel, KIND_KERNEL, Kernel)
REFCOUNTED(cl_event, KIND_EVENT, Event)

/* ---- contexts and queues -------------------------------------------------
 */

/* A 0-terminated property list (handles travel as they are: the device
 * translates the platform's). */
static void out_properties(wire_out *o, const intptr_t *props)
{
    size_t n = 0;
    while (props != NULL && props[n] != 0 && n < 256)
        n += 2;
    out_u64(o, props ? n + 1 : 0);
    for (size_t i = 0; props != NULL && i < n; i++)
        out_u64(o, (uint64_t)props[i]);
    if (props != NULL)
        out_u64(o, 0);
}

cl_context remote_clCreateContext(
    const cl_context_properties *properties, cl_uint num_devices,
    const cl_device_id *devices,
    void(CL_CALLBACK *pfn_notify)(const char *, const void *, size_t, void *),
    void *user_data, cl_int *errcode_ret)
{
    (void)pfn_notify; /* never called: see hardware/README.md */
    (void)user_data;
    wire_out o = {0};
    out_properties(&o, properties);
    out_u64(&o, devices ? num_devices : 0);
    out_u64(&o, num_devices > 0 && devices == NULL);
    for (cl_uint i = 0; devices != NULL && i < num_devices; i++)
        out_u64(&o, id_of(devices[i]));
    reply r;
    cl_int e = call(OP_CREATE_CONTEXT, &o, &r);
    return object_reply(e, &r, errcode_ret);
}

cl_context remote_clCreateContextFromType(
    const cl_context_properties *properties, cl_device_type device_type,
    void(CL_CALLBACK *pfn_notify)(const char *, const void *, size_t, void *),
    void *user_data, cl_int *errcode_ret)
{
    (void)pfn_notify;
    (void)user_data;
    wire_out o = {0};
    out_properties(&o, properties);
    out_u64(&o, device_type);
    reply r;
    cl_int e = call(OP_CREATE_CONTEXT_FROM_TYPE, &o, &r);
    return object_reply(e, &r, errcode_ret);
}

cl_command_queue
remote_clCreateCommandQueue(cl_context context, cl_device_id device,
                            cl_command_queue_properties properties,
                            cl_int *errcode_ret)
{
    wire_out o = {0};
    out_u64(&o, id_of(context));
    out_u64(&o, id_of(device));
    out_u64(&o, properties);
    reply r;
    cl_int e = call(OP_CREATE_QUEUE, &o, &r);
    return object_reply(e, &r, errcode_ret);
}

cl_command_queue remote_clCreateCommandQueueWithProperties(
    cl_context context, cl_device_id device,
    const cl_queue_properties *properties, cl_int *errcode_ret)
{
    wire_out o = {0};
    out_u64(&o, id_of(context));
    out_u64(&o, id_of(device));
    size_t n = 0;
    while (properties != NULL && properties[n] != 0 && n < 64)
        n += 2;
    out_u64(&o, properties ? n + 1 : 0);
    for (size_t i = 0; properties != NULL && i < n; i++)
        out_u64(&o, properties[i]);
    if (properties != NULL)
        out_u64(&o, 0);
    reply r;
    cl_int e = call(OP_CREATE_QUEUE_WITH_PROPERTIES, &o, &r);
    return object_reply(e, &r, errcode_ret);
}

/* ---- buffers -------------------------------------------------------------
 */

cl_mem remote_clCreateBuffer(cl_context context, cl_mem_flags flags,
                             size_t size, void *host_ptr, cl_int *errcode_ret)
{
    int ship = host_ptr != NULL &&
               (flags & (CL_MEM_COPY_HOST_PTR | CL_MEM_USE_HOST_PTR)) != 0;
    wire_out o = {0};
    out_u64(&o, id_of(context));
    out_u64(&o, flags);
    out_u64(&o, size);
    out_u64(&o, host_ptr != NULL);
    out_blob(&o, ship ? host_ptr : NULL, ship ? size : 0);
    reply r;
    cl_int e = call(OP_CREATE_BUFFER, &o, &r);
    cl_mem m = object_reply(e, &r, errcode_ret);
    if (m != NULL)
        remember_buffer(id_of(m),
                        (flags & CL_MEM_USE_HOST_PTR) ? host_ptr : NULL);
    return m;
}

cl_mem remote_clCreateSubBuffer(cl_mem buffer, cl_mem_flags flags,
                                cl_buffer_create_type type, const void *info,
                                cl_int *errcode_ret)
{
    const cl_buffer_region *region = info;
    wire_out o = {0};
    out_u64(&o, id_of(buffer));
    out_u64(&o, flags);
    out_u64(&o, type);
    out_u64(&o, region != NULL);
    out_u64(&o, region ? region->origin : 0);
    out_u64(&o, region ? region->size : 0);
    reply r;
    cl_int e = call(OP_CREATE_SUB_BUFFER, &o, &r);
    cl_mem m = object_reply(e, &r, errcode_ret);
    unsigned char *parent = use_host_ptr_of(id_of(buffer));
    if (m != NULL)
        remember_buffer(id_of(m), parent ? parent + region->origin : NULL);
    return m;
}

/* ---- programs and kernels ------------------------------------------------
 */

cl_program remote_clCreateProgramWithSource(cl_context context, cl_uint count,
                                            const char **strings,
                                            const size_t *lengths,
                                            cl_int *errcode_ret)
{
    wire_out o = {0};
    out_u64(&o, id_of(context));
    int bad = count == 0 || strings == NULL;
    for (cl_uint i = 0; !bad && i < count; i++)
        bad = strings[i] == NULL;
    out_u64(&o, bad ? 0 : count);
    for (cl_uint i = 0; !bad && i < count; i++) {
        size_t n = lengths && lengths[i] ? lengths[i] : strlen(strings[i]);
        out_blob(&o, strings[i], n);
    }
    reply r;
    cl_int e = call(OP_CREATE_PROGRAM, &o, &r);
    return object_reply(e, &r, errcode_ret);
}

cl_int remote_clBuildProgram(cl_program program, cl_uint num_devices,
                             const cl_device_id *devices, const char *options,
                             void(CL_CALLBACK *pfn_notify)(cl_program, void *),
                             void *user_data)
{
    wire_out o = {0};
    out_u64(&o, id_of(program));
    out_u64(&o, devices ? num_devices : 0);
    out_u64(&o, num_devices > 0 && devices == NULL);
    for (cl_uint i = 0; devices != NULL && i < num_devices; i++)
        out_u64(&o, id_of(devices[i]));
    out_blob(&o, options ? options : "", options ? strlen(options) : 0);
    cl_int e = call_status(OP_BUILD_PROGRAM, &o);
    if (pfn_notify != NULL && e != CL_INVALID_PROGRAM)
        pfn_notify(program, user_data); /* the build is done */
    return e;
}

cl_kernel remote_clCreateKernel(cl_program program, const char *kernel_name,
                                cl_int *errcode_ret)
{
    wire_out o = {0};
    out_u64(&o, id_of(program));
    out_u64(&o, kernel_name != NULL);
    out_blob(&o, kernel_name ? kernel_name : "",
             kernel_name ? strlen(kernel_name) : 0);
    reply r;
    cl_int e = call(OP_CREATE_KERNEL, &o, &r);
    return object_reply(e, &r, errcode_ret);
}

cl_int remote_clCreateKernelsInProgram(cl_program program, cl_uint num_kernels,
                                       cl_kernel *kernels,
                                       cl_uint *num_kernels_ret)
{
    wire_out o = {0};
    out_u64(&o, id_of(program));
    out_u64(&o, num_kernels);
    out_u64(&o, kernels != NULL);
    reply r;
    cl_int e = call(OP_CREATE_KERNELS_IN_PROGRAM, &o, &r);
    id_list_reply(e, &r, num_kernels, (void **)kernels, num_kernels_ret);
    return e;
}

cl_int remote_clSetKernelArg(cl_kernel kernel, cl_uint index, size_t size,
                             const void *value)
{
    wire_out o = {0};
    out_u64(&o, id_of(kernel));
    out_u64(&o, index);
    out_u64(&o, size);
    out_u64(&o, value != NULL);
    out_blob(&o, value, value && size <= (1u << 16) ? size : 0);
    return call_status(OP_SET_KERNEL_ARG, &o);
}

/* ---- enqueues --------------------------------------------------------------
 */

/* An enqueue's reply: the event (when asked for), then `n` bytes into
 * `into` (when into is not NULL). */
static cl_int enqueue(enum cl_remote_op op, wire_out *o, cl_event *event,
                      void *into, size_t n)
{
    reply r;
    cl_int e = call(op, o, &r);
    event_reply(e, &r, event);
    size_t got = 0;
    const void *bytes = in_blob(&r.in, &got);
    if (e == CL_SUCCESS && into != NULL && bytes != NULL && got == n)
        memcpy(into, bytes, n);
    reply_done(&r);
    return e;
}

cl_int remote_clEnqueueReadBuffer(cl_command_queue q, cl_mem buffer,
                                  cl_bool blocking, size_t offset, size_t size,
                                  void *ptr, cl_uint n, const cl_event *wait,
                                  cl_event *event)
{
    (void)blocking; /* every command completes before its reply */
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, id_of(buffer));
    out_u64(&o, offset);
    out_u64(&o, size);
    out_u64(&o, ptr != NULL);
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(OP_READ_BUFFER, &o, event, ptr, size);
}

cl_int remote_clEnqueueWriteBuffer(cl_command_queue q, cl_mem buffer,
                                   cl_bool blocking, size_t offset, size_t size,
                                   const void *ptr, cl_uint n,
                                   const cl_event *wait, cl_event *event)
{
    (void)blocking;
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, id_of(buffer));
    out_u64(&o, offset);
    out_u64(&o, size);
    out_u64(&o, ptr != NULL);
    out_blob(&o, ptr, ptr ? size : 0);
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(OP_WRITE_BUFFER, &o, event, NULL, 0);
}

cl_int remote_clEnqueueCopyBuffer(cl_command_queue q, cl_mem src, cl_mem dst,
                                  size_t src_offset, size_t dst_offset,
                                  size_t size, cl_uint n, const cl_event *wait,
                                  cl_event *event)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, id_of(src));
    out_u64(&o, id_of(dst));
    out_u64(&o, src_offset);
    out_u64(&o, dst_offset);
    out_u64(&o, size);
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(OP_COPY_BUFFER, &o, event, NULL, 0);
}

cl_int remote_clEnqueueFillBuffer(cl_command_queue q, cl_mem buffer,
                                  const void *pattern, size_t pattern_size,
                                  size_t offset, size_t size, cl_uint n,
                                  const cl_event *wait, cl_event *event)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, id_of(buffer));
    out_u64(&o, pattern != NULL);
    out_blob(&o, pattern, pattern && pattern_size <= 128 ? pattern_size : 0);
    out_u64(&o, pattern_size);
    out_u64(&o, offset);
    out_u64(&o, size);
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(OP_FILL_BUFFER, &o, event, NULL, 0);
}

/* A mapping is a host copy of the region: filled from the device at map
 * time, sent back at unmap when it was mapped for writing. */
void *remote_clEnqueueMapBuffer(cl_command_queue q, cl_mem buffer,
                                cl_bool blocking, cl_map_flags flags,
                                size_t offset, size_t size, cl_uint n,
                                const cl_event *wait, cl_event *event,
                                cl_int *errcode_ret)
{
    (void)blocking;
    unsigned char *use = use_host_ptr_of(id_of(buffer));
    unsigned char *p = use ? use + offset : malloc(size ? size : 1);
    if (p == NULL) {
        if (errcode_ret != NULL)
            *errcode_ret = CL_OUT_OF_HOST_MEMORY;
        return NULL;
    }
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, id_of(buffer));
    out_u64(&o, flags);
    out_u64(&o, offset);
    out_u64(&o, size);
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    cl_int e = enqueue(OP_MAP_BUFFER, &o, event, p, size);
    if (errcode_ret != NULL)
        *errcode_ret = e;
    if (e != CL_SUCCESS) {
        if (use == NULL)
            free(p);
        return NULL;
    }
    pthread_mutex_lock(&g_lock);
    g_maps = grow(g_maps, &g_cap_maps, g_nmaps, sizeof *g_maps);
    g_maps[g_nmaps++] =
        (host_mapping){id_of(buffer), p, offset, size, flags, use == NULL};
    pthread_mutex_unlock(&g_lock);
    return p;
}

cl_int remote_clEnqueueUnmapMemObject(cl_command_queue q, cl_mem memobj,
                                      void *mapped, cl_uint n,
                                      const cl_event *wait, cl_event *event)
{
    host_mapping m = {0};
    int found = 0;
    pthread_mutex_lock(&g_lock);
    for (size_t i = g_nmaps; !found && i-- > 0;)
        if (g_maps[i].mem == id_of(memobj) && g_maps[i].ptr == mapped) {
            m = g_maps[i];
            g_maps[i] = g_maps[--g_nmaps];
            found = 1;
        }
    pthread_mutex_unlock(&g_lock);
    if (!found)
        return CL_INVALID_VALUE;
    int wrote =
        (m.flags & (CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION)) != 0;
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, m.mem);
    out_u64(&o, m.offset);
    out_u64(&o, m.size);
    out_u64(&o, wrote);
    out_blob(&o, m.ptr, wrote ? m.size : 0);
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    cl_int e = enqueue(OP_UNMAP, &o, event, NULL, 0);
    if (m.owned)
        free(m.ptr);
    return e;
}

static void out_sizes(wire_out *o, cl_uint dim, const size_t *sizes)
{
    out_u64(o, sizes != NULL);
    for (cl_uint i = 0; i < 3; i++)
        out_u64(o, sizes != NULL && i < dim ? sizes[i] : 0);
}

cl_int remote_clEnqueueNDRangeKernel(cl_command_queue q, cl_kernel kernel,
                                     cl_uint work_dim, const size_t *offset,
                                     const size_t *global, const size_t *local,
                                     cl_uint n, const cl_event *wait,
                                     cl_event *event)
{
    if (work_dim < 1 || work_dim > 3)
        return CL_INVALID_WORK_DIMENSION;
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, id_of(kernel));
    out_u64(&o, work_dim);
    out_sizes(&o, work_dim, offset);
    out_sizes(&o, work_dim, global);
    out_sizes(&o, work_dim, local);
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(OP_NDRANGE, &o, event, NULL, 0);
}

cl_int remote_clEnqueueTask(cl_command_queue q, cl_kernel kernel, cl_uint n,
                            const cl_event *wait, cl_event *event)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, id_of(kernel));
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(OP_TASK, &o, event, NULL, 0);
}

static cl_int sync_command(enum cl_remote_op op, cl_command_queue q, cl_uint n,
                           const cl_event *wait, cl_event *event)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(op, &o, event, NULL, 0);
}

cl_int remote_clEnqueueMarkerWithWaitList(cl_command_queue q, cl_uint n,
                                          const cl_event *wait, cl_event *event)
{
    return sync_command(OP_MARKER, q, n, wait, event);
}

cl_int remote_clEnqueueBarrierWithWaitList(cl_command_queue q, cl_uint n,
                                           const cl_event *wait,
                                           cl_event *event)
{
    return sync_command(OP_BARRIER, q, n, wait, event);
}

cl_int remote_clEnqueueMarker(cl_command_queue q, cl_event *event)
{
    if (event == NULL)
        return CL_INVALID_VALUE;
    return sync_command(OP_MARKER, q, 0, NULL, event);
}

cl_int remote_clEnqueueBarrier(cl_command_queue q)
{
    return sync_command(OP_BARRIER, q, 0, NULL, NULL);
}

cl_int remote_clWaitForEvents(cl_uint n, const cl_event *events)
{
    if (n == 0 || events == NULL)
        return CL_INVALID_VALUE;
    wire_out o = {0};
    out_wait_list(&o, n, events);
    return call_status(OP_WAIT_FOR_EVENTS, &o);
}

cl_int remote_clFlush(cl_command_queue q)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    return call_status(OP_FLUSH, &o);
}

cl_int remote_clFinish(cl_command_queue q)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    return call_status(OP_FINISH, &o);
}

void cl_remote_gpu_origin(unsigned long long *kernel_bytes,
                          unsigned long long *host_bytes)
{
    wire_out o = {0};
    reply r;
    call(OP_GPU_ORIGIN, &o, &r);
    *kernel_bytes = in_u64(&r.in);
    *host_bytes = in_u64(&r.in);
    reply_done(&r);
}

/* ---- starting or joining the device process ------------------------------
 */

__attribute__((noreturn)) static void start_fail(const char *what)
{
    fprintf(stderr, "cltrack: judge mode: %s\n", what);
    fflush(stderr);
    _exit(2);
}

/* The id range: reserved, never mapped, so no id is a host address. */
static void reserve_ids(void)
{
    void *m =
        mmap((void *)(uintptr_t)CL_REMOTE_ID_BASE, CL_REMOTE_ID_SPAN, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (m != (void *)(uintptr_t)CL_REMOTE_ID_BASE)
        start_fail("cannot reserve the address range of OpenCL handles");
}

static void start_device(const char *fd_text)
{
    char *end = NULL;
    long report_fd = strtol(fd_text, &end, 10);
    if (end == fd_text || *end || report_fd < 0 || report_fd > 65535 ||
        fcntl((int)report_fd, F_GETFD) < 0) {
        fprintf(stderr,
                "cltrack: judge mode: %s=%s is not an open file descriptor\n",
                CL_REMOTE_REPORT_VAR, fd_text);
        _exit(2);
    }
    reserve_ids();
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        start_fail("getrandom failed");
    char name[80];
    int len =
        snprintf(name, sizeof name, "llmlings-cltrack-%d-", (int)getpid());
    for (size_t i = 0; i < sizeof rnd; i++)
        len += snprintf(name + len, sizeof name - (size_t)len, "%02x", rnd[i]);
    int listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    memcpy(a.sun_path + 1, name, (size_t)len);
    socklen_t alen =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)len);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a, alen) != 0 ||
        listen(listen_fd, 64) != 0)
        start_fail("cannot open the device socket");
    fflush(stdout);
    fflush(stderr);
    pid_t runner = getpid();
    /* Forked twice, so that the device is not a child of the program:
     * Criterion's runner reaps every child it has, and host code cannot
     * wait for it. */
    pid_t pid = fork();
    if (pid < 0)
        start_fail("cannot fork the device process");
    if (pid == 0) {
        pid_t device = fork();
        if (device == 0)
            cl_remote_device_main((int)report_fd, listen_fd, runner);
        _exit(device < 0 ? 2 : 0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        start_fail("the fork of the device process failed");
    close(listen_fd);
    close((int)report_fd);
    unsetenv(CL_REMOTE_REPORT_VAR);
    setenv(CL_REMOTE_SOCKET_VAR, name, 1);
    snprintf(g_socket_name, sizeof g_socket_name, "%s", name);
    g_active = 1;
}

static void join_device(const char *name)
{
    if (strlen(name) >= sizeof g_socket_name)
        start_fail(CL_REMOTE_SOCKET_VAR " is not a device name");
    reserve_ids();
    snprintf(g_socket_name, sizeof g_socket_name, "%s", name);
    g_active = 1;
}

/* Before the program's own initialisers and main: no code of the test or
 * of the student has run yet. */
__attribute__((constructor(101))) static void judge_mode_start(void)
{
    const char *fd = getenv(CL_REMOTE_REPORT_VAR);
    const char *name = getenv(CL_REMOTE_SOCKET_VAR);
    if (fd != NULL)
        start_device(fd);
    else if (name != NULL)
        join_device(name);
}

/* cl_remote_serve.c: the requests of one host process, served in the
 * device process forked for it (cl_remote_device.h): the real OpenCL
 * calls, the ids handed out for their objects, and who wrote each byte of
 * each buffer (origin_map.h).
 *
 * Every command completes before its reply (launches are synchronous), so
 * a kernel runs only inside serve_launch, while guarded memory (the object
 * table, the origin maps, this host's totals) is read-only. A launch reads
 * every buffer among the kernel's arguments before and after it: the bytes
 * that changed are the kernel's, the others keep their origin, so a kernel
 * that merely receives a buffer the host wrote does not make its bytes
 * kernel output. */
#define _GNU_SOURCE
#include "cl_real.h"
#include "cl_remote_device.h"
#include "cl_remote_protocol.h"
#include "device_report.h"
#include "kernel_source_check.h"
#include "origin_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_OBJECTS (1u << 16)
#define MAX_LIST 256 /* platforms, devices, kernels of one call */

typedef struct {
    void *real;
    uint32_t kind; /* enum cl_remote_kind */
    uint32_t refs; /* 0: released (platforms and devices stay 1) */
    /* a buffer: its bytes are root's [offset, offset + size) */
    uint32_t root, subs; /* subs: live sub-buffers of a root */
    uint64_t offset, size;
    unsigned char *origin; /* a root's, one byte per byte */
    /* a kernel: the buffer object of each argument, 0 for none */
    uint32_t *args, nargs;
    /* a program: why its source is refused, or NULL */
    const char *refusal;
} object;

typedef struct {
    uint32_t count; /* objects[0] is unused: id 0 is NULL */
    uint64_t kernel_bytes, host_bytes;
    object objects[];
} table;

/* In guarded memory, at a constant address. */
#define T ((table *)guarded_base())

/* ---- ids and objects -------------------------------------------------------
 */

static uint64_t id_at(uint32_t index)
{
    return CL_REMOTE_ID_BASE + 16 * (uint64_t)index;
}

static cl_int invalid(enum cl_remote_kind kind)
{
    static const cl_int codes[] = {
        [KIND_NONE] = CL_INVALID_VALUE,
        [KIND_PLATFORM] = CL_INVALID_PLATFORM,
        [KIND_DEVICE] = CL_INVALID_DEVICE,
        [KIND_CONTEXT] = CL_INVALID_CONTEXT,
        [KIND_QUEUE] = CL_INVALID_COMMAND_QUEUE,
        [KIND_MEM] = CL_INVALID_MEM_OBJECT,
        [KIND_PROGRAM] = CL_INVALID_PROGRAM,
        [KIND_KERNEL] = CL_INVALID_KERNEL,
        [KIND_EVENT] = CL_INVALID_EVENT,
    };
    return codes[kind];
}

/* The live object with this id and kind, or NULL. */
static object *get(uint64_t id, enum cl_remote_kind kind)
{
    if (id < CL_REMOTE_ID_BASE || id - CL_REMOTE_ID_BASE >= CL_REMOTE_ID_SPAN ||
        (id - CL_REMOTE_ID_BASE) % 16 != 0)
        return NULL;
    uint64_t i = (id - CL_REMOTE_ID_BASE) / 16;
    if (i == 0 || i >= T->count)
        return NULL;
    object *o = &T->objects[i];
    return o->kind == (uint32_t)kind && o->refs > 0 ? o : NULL;
}

static uint32_t index_of(const object *o)
{
    return (uint32_t)(o - T->objects);
}

/* The real object of id (NULL for id 0); *ok = 0 when id is not a live
 * object of that kind. */
static void *real_of(uint64_t id, enum cl_remote_kind kind, int *ok)
{
    if (id == 0)
        return NULL;
    object *o = get(id, kind);
    if (o == NULL)
        *ok = 0;
    return o ? o->real : NULL;
}

/* A new object for real (0 when the table is full). */
static uint32_t add(void *real, enum cl_remote_kind kind)
{
    if (T->count >= MAX_OBJECTS)
        return 0;
    uint32_t i = T->count++;
    T->objects[i] = (object){.real = real, .kind = kind, .refs = 1};
    return i;
}

/* The id of a real object: the live one that has it, or a new one
 * (platforms and devices are found by the real handle). */
static uint64_t id_for(void *real, enum cl_remote_kind kind)
{
    if (real == NULL)
        return 0;
    for (uint32_t i = T->count; i-- > 1;)
        if (T->objects[i].real == real && T->objects[i].kind == kind &&
            T->objects[i].refs > 0)
            return id_at(i);
    return id_at(add(real, kind));
}

/* A wait list from the request into events[] (*n of them). */
static cl_int wait_list(wire_in *in, cl_event *events, cl_uint *n)
{
    uint64_t count = in_u64(in);
    int null_list = (int)in_u64(in);
    *n = 0;
    if (null_list || count > MAX_LIST)
        return CL_INVALID_EVENT_WAIT_LIST;
    for (uint64_t i = 0; i < count; i++) {
        object *e = get(in_u64(in), KIND_EVENT);
        if (e == NULL)
            return CL_INVALID_EVENT_WAIT_LIST;
        events[(*n)++] = e->real;
    }
    return in->bad ? CL_INVALID_VALUE : CL_SUCCESS;
}

/* An enqueue's reply starts with its event's id (0 when none). */
static void out_event(wire_out *out, cl_int e, int want, cl_event ev)
{
    out_u64(out, e == CL_SUCCESS && want ? id_at(add(ev, KIND_EVENT)) : 0);
}

/* ---- this host's totals --------------------------------------------------
 */

/* bytes [offset, offset + n) of buffer m were read back. */
static void counted_read(const object *m, uint64_t offset, uint64_t n)
{
    const object *root = &T->objects[m->root];
    uint64_t k = 0, h = 0;
    origin_count(root->origin + m->offset + offset, n, &k, &h);
    T->kernel_bytes += k;
    T->host_bytes += h;
    report_add(TOTAL_KERNEL_TO_HOST, k);
    report_add(TOTAL_HOST_TO_HOST, h);
    report_add(TOTAL_DEVICE_TO_HOST, n);
}

static unsigned char *origin_at(const object *m, uint64_t offset)
{
    return T->objects[m->root].origin + m->offset + offset;
}

static int in_range(const object *m, uint64_t offset, uint64_t n)
{
    return offset <= m->size && n <= m->size - offset;
}

/* ---- platforms, devices, info ----------------------------------------------
 */

static cl_int serve_platform_ids(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clGetPlatformIDs);
    uint64_t entries = in_u64(in);
    int want_list = (int)in_u64(in), want_count = (int)in_u64(in);
    cl_platform_id p[MAX_LIST];
    cl_uint n = 0, cap = entries < MAX_LIST ? (cl_uint)entries : MAX_LIST;
    cl_int e = real_clGetPlatformIDs(want_list ? cap : 0, want_list ? p : NULL,
                                     want_list || want_count ? &n : NULL);
    out_u64(out, n);
    for (cl_uint i = 0; e == CL_SUCCESS && want_list && i < n && i < cap; i++)
        out_u64(out, id_for(p[i], KIND_PLATFORM));
    return e;
}

static cl_int serve_device_ids(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clGetDeviceIDs);
    int ok = 1;
    cl_platform_id platform = real_of(in_u64(in), KIND_PLATFORM, &ok);
    uint64_t type = in_u64(in), entries = in_u64(in);
    int want_list = (int)in_u64(in), want_count = (int)in_u64(in);
    if (!ok)
        return CL_INVALID_PLATFORM;
    cl_device_id d[MAX_LIST];
    cl_uint n = 0, cap = entries < MAX_LIST ? (cl_uint)entries : MAX_LIST;
    cl_int e = real_clGetDeviceIDs(platform, type, want_list ? cap : 0,
                                   want_list ? d : NULL,
                                   want_list || want_count ? &n : NULL);
    out_u64(out, n);
    for (cl_uint i = 0; e == CL_SUCCESS && want_list && i < n && i < cap; i++)
        out_u64(out, id_for(d[i], KIND_DEVICE));
    return e;
}

/* The kind of the handles an info parameter returns (KIND_NONE: no
 * handles). */
static enum cl_remote_kind handle_kind(enum cl_remote_info which, cl_uint param)
{
    switch (which) {
    case INFO_DEVICE:
        return param == CL_DEVICE_PLATFORM        ? KIND_PLATFORM
               : param == CL_DEVICE_PARENT_DEVICE ? KIND_DEVICE
                                                  : KIND_NONE;
    case INFO_CONTEXT:
        return param == CL_CONTEXT_DEVICES ? KIND_DEVICE : KIND_NONE;
    case INFO_QUEUE:
        return param == CL_QUEUE_CONTEXT  ? KIND_CONTEXT
               : param == CL_QUEUE_DEVICE ? KIND_DEVICE
                                          : KIND_NONE;
    case INFO_MEM:
        return param == CL_MEM_CONTEXT                ? KIND_CONTEXT
               : param == CL_MEM_ASSOCIATED_MEMOBJECT ? KIND_MEM
                                                      : KIND_NONE;
    case INFO_PROGRAM:
        return param == CL_PROGRAM_CONTEXT   ? KIND_CONTEXT
               : param == CL_PROGRAM_DEVICES ? KIND_DEVICE
                                             : KIND_NONE;
    case INFO_KERNEL:
        return param == CL_KERNEL_CONTEXT   ? KIND_CONTEXT
               : param == CL_KERNEL_PROGRAM ? KIND_PROGRAM
                                            : KIND_NONE;
    case INFO_EVENT:
        return param == CL_EVENT_CONTEXT         ? KIND_CONTEXT
               : param == CL_EVENT_COMMAND_QUEUE ? KIND_QUEUE
                                                 : KIND_NONE;
    default: return KIND_NONE;
    }
}

/* Real handles in an info value become ids. */
static void translate_handles(enum cl_remote_info which, cl_uint param,
                              unsigned char *value, size_t n)
{
    enum cl_remote_kind kind = handle_kind(which, param);
    int properties = which == INFO_CONTEXT && param == CL_CONTEXT_PROPERTIES;
    for (size_t at = 0; at + sizeof(void *) <= n; at += sizeof(void *)) {
        void *h;
        memcpy(&h, value + at, sizeof h);
        uint64_t id = 0;
        if (kind != KIND_NONE)
            id = id_for(h, kind);
        else if (properties && at >= sizeof h &&
                 *(intptr_t *)(value + at - sizeof h) == CL_CONTEXT_PLATFORM &&
                 (at / sizeof h) % 2 == 1)
            id = id_for(h, KIND_PLATFORM);
        else
            continue;
        memcpy(value + at, &id, sizeof id);
    }
}

/* The build log and status of a program whose source was refused. */
static cl_int refused_build_info(const object *p, cl_uint param, size_t cap,
                                 unsigned char *value, size_t *ret)
{
    if (param == CL_PROGRAM_BUILD_LOG) {
        *ret = strlen(p->refusal) + 1;
        if (value != NULL && cap < *ret)
            return CL_INVALID_VALUE;
        if (value != NULL)
            memcpy(value, p->refusal, *ret);
        return CL_SUCCESS;
    }
    if (param == CL_PROGRAM_BUILD_STATUS) {
        cl_build_status s = CL_BUILD_ERROR;
        *ret = sizeof s;
        if (value != NULL && cap < sizeof s)
            return CL_INVALID_VALUE;
        if (value != NULL)
            memcpy(value, &s, sizeof s);
        return CL_SUCCESS;
    }
    return -1; /* the real one answers */
}

static cl_int real_info(enum cl_remote_info which, uint64_t id, uint64_t id2,
                        cl_uint param, size_t cap, void *value, size_t *ret)
{
    DEVICE_REAL(clGetPlatformInfo);
    DEVICE_REAL(clGetDeviceInfo);
    DEVICE_REAL(clGetContextInfo);
    DEVICE_REAL(clGetCommandQueueInfo);
    DEVICE_REAL(clGetMemObjectInfo);
    DEVICE_REAL(clGetProgramInfo);
    DEVICE_REAL(clGetProgramBuildInfo);
    DEVICE_REAL(clGetKernelInfo);
    DEVICE_REAL(clGetKernelWorkGroupInfo);
    DEVICE_REAL(clGetEventInfo);
    DEVICE_REAL(clGetEventProfilingInfo);
    static const enum cl_remote_kind kinds[] = {
        [INFO_PLATFORM] = KIND_PLATFORM,
        [INFO_DEVICE] = KIND_DEVICE,
        [INFO_CONTEXT] = KIND_CONTEXT,
        [INFO_QUEUE] = KIND_QUEUE,
        [INFO_MEM] = KIND_MEM,
        [INFO_PROGRAM] = KIND_PROGRAM,
        [INFO_PROGRAM_BUILD] = KIND_PROGRAM,
        [INFO_KERNEL] = KIND_KERNEL,
        [INFO_KERNEL_WORK_GROUP] = KIND_KERNEL,
        [INFO_EVENT] = KIND_EVENT,
        [INFO_EVENT_PROFILING] = KIND_EVENT};
    if (which > INFO_EVENT_PROFILING)
        return CL_INVALID_VALUE;
    object *o = get(id, kinds[which]);
    if (o == NULL)
        return invalid(kinds[which]);
    int ok = 1;
    cl_device_id d = real_of(id2, KIND_DEVICE, &ok);
    if (!ok)
        return CL_INVALID_DEVICE;
    switch (which) {
    case INFO_PLATFORM:
        return real_clGetPlatformInfo(o->real, param, cap, value, ret);
    case INFO_DEVICE:
        return real_clGetDeviceInfo(o->real, param, cap, value, ret);
    case INFO_CONTEXT:
        return real_clGetContextInfo(o->real, param, cap, value, ret);
    case INFO_QUEUE:
        return real_clGetCommandQueueInfo(o->real, param, cap, value, ret);
    case INFO_MEM:
        return real_clGetMemObjectInfo(o->real, param, cap, value, ret);
    case INFO_PROGRAM:
        return real_clGetProgramInfo(o->real, param, cap, value, ret);
    case INFO_PROGRAM_BUILD: {
        cl_int e =
            o->refusal ? refused_build_info(o, param, cap, value, ret) : -1;
        return e != -1 ? e
                       : real_clGetProgramBuildInfo(o->real, d, param, cap,
                                                    value, ret);
    }
    case INFO_KERNEL:
        return real_clGetKernelInfo(o->real, param, cap, value, ret);
    case INFO_KERNEL_WORK_GROUP:
        return real_clGetKernelWorkGroupInfo(o->real, d, param, cap, value,
                                             ret);
    case INFO_EVENT:
        return real_clGetEventInfo(o->real, param, cap, value, ret);
    case INFO_EVENT_PROFILING:
        return real_clGetEventProfilingInfo(o->real, param, cap, value, ret);
    }
    return CL_INVALID_VALUE;
}

static cl_int serve_info(wire_in *in, wire_out *out)
{
    enum cl_remote_info which = (enum cl_remote_info)in_u64(in);
    uint64_t id = in_u64(in), id2 = in_u64(in);
    cl_uint param = (cl_uint)in_u64(in);
    uint64_t size = in_u64(in);
    int want = (int)in_u64(in);
    if (in->bad)
        return CL_INVALID_VALUE;
    size_t cap = want ? (size < (1u << 20) ? (size_t)size : (1u << 20)) : 0;
    unsigned char *value = want ? calloc(1, cap ? cap : 1) : NULL;
    if (want && value == NULL)
        return CL_OUT_OF_HOST_MEMORY;
    size_t ret = 0;
    cl_int e = real_info(which, id, id2, param, cap, value, &ret);
    size_t n = want && e == CL_SUCCESS ? (ret < cap ? ret : cap) : 0;
    if (n > 0)
        translate_handles(which, param, value, n);
    out_u64(out, ret);
    out_blob(out, value, n);
    free(value);
    return e;
}

/* ---- retain and release ----------------------------------------------------
 */

static void forget_buffer(object *m)
{
    object *root = &T->objects[m->root];
    if (root != m)
        root->subs--;
    if (root->refs == 0 && root->subs == 0 && root->origin != NULL) {
        guarded_free(root->origin, root->size);
        root->origin = NULL;
    }
}

/* The real clRetainX / clReleaseX of kind. */
static cl_int refcount_call(enum cl_remote_kind kind, void *real, int retain)
{
    DEVICE_REAL(clRetainContext);
    DEVICE_REAL(clReleaseContext);
    DEVICE_REAL(clRetainCommandQueue);
    DEVICE_REAL(clReleaseCommandQueue);
    DEVICE_REAL(clRetainMemObject);
    DEVICE_REAL(clReleaseMemObject);
    DEVICE_REAL(clRetainProgram);
    DEVICE_REAL(clReleaseProgram);
    DEVICE_REAL(clRetainKernel);
    DEVICE_REAL(clReleaseKernel);
    DEVICE_REAL(clRetainEvent);
    DEVICE_REAL(clReleaseEvent);
    switch (kind) {
    case KIND_CONTEXT:
        return retain ? real_clRetainContext(real)
                      : real_clReleaseContext(real);
    case KIND_QUEUE:
        return retain ? real_clRetainCommandQueue(real)
                      : real_clReleaseCommandQueue(real);
    case KIND_MEM:
        return retain ? real_clRetainMemObject(real)
                      : real_clReleaseMemObject(real);
    case KIND_PROGRAM:
        return retain ? real_clRetainProgram(real)
                      : real_clReleaseProgram(real);
    case KIND_KERNEL:
        return retain ? real_clRetainKernel(real) : real_clReleaseKernel(real);
    case KIND_EVENT:
        return retain ? real_clRetainEvent(real) : real_clReleaseEvent(real);
    default: return CL_INVALID_VALUE;
    }
}

static cl_int serve_refcount(wire_in *in, int retain)
{
    enum cl_remote_kind kind = (enum cl_remote_kind)in_u64(in);
    if (kind < KIND_CONTEXT || kind > KIND_EVENT)
        return CL_INVALID_VALUE;
    object *o = get(in_u64(in), kind);
    if (o == NULL)
        return invalid(kind);
    cl_int e = refcount_call(kind, o->real, retain);
    if (e != CL_SUCCESS)
        return e;
    if (retain) {
        o->refs++;
        return e;
    }
    if (--o->refs == 0 && kind == KIND_MEM)
        forget_buffer(o);
    return e;
}

/* ---- contexts and queues ---------------------------------------------------
 */

/* A property list from the request, CL_CONTEXT_PLATFORM's id made real;
 * *has = 0 when the host passed NULL. */
static cl_int context_properties(wire_in *in, cl_context_properties *props,
                                 int *has)
{
    uint64_t n = in_u64(in);
    *has = n > 0;
    if (n > 2 * 64 + 1)
        return CL_INVALID_PROPERTY;
    for (uint64_t i = 0; i < n; i++)
        props[i] = (cl_context_properties)in_u64(in);
    for (uint64_t i = 0; i + 1 < n; i += 2) {
        if (props[i] != CL_CONTEXT_PLATFORM)
            continue;
        object *p = get((uint64_t)props[i + 1], KIND_PLATFORM);
        if (p == NULL)
            return CL_INVALID_PLATFORM;
        props[i + 1] = (cl_context_properties)p->real;
    }
    return in->bad ? CL_INVALID_VALUE : CL_SUCCESS;
}

static cl_int created(wire_out *out, cl_int e, void *real,
                      enum cl_remote_kind kind)
{
    uint32_t i = e == CL_SUCCESS && real != NULL ? add(real, kind) : 0;
    if (e == CL_SUCCESS && real != NULL && i == 0)
        return CL_OUT_OF_HOST_MEMORY;
    out_u64(out, i ? id_at(i) : 0);
    return e;
}

static cl_int serve_create_context(wire_in *in, wire_out *out, int from_type)
{
    DEVICE_REAL(clCreateContext);
    DEVICE_REAL(clCreateContextFromType);
    cl_context_properties props[2 * 64 + 2];
    int has = 0;
    cl_int e = context_properties(in, props, &has);
    if (e != CL_SUCCESS)
        return e;
    cl_context c;
    if (from_type) {
        c = real_clCreateContextFromType(has ? props : NULL, in_u64(in), NULL,
                                         NULL, &e);
        return created(out, e, c, KIND_CONTEXT);
    }
    uint64_t n = in_u64(in);
    int null_list = (int)in_u64(in);
    cl_device_id d[MAX_LIST];
    if (n > MAX_LIST)
        return CL_INVALID_VALUE;
    for (uint64_t i = 0; i < n; i++) {
        object *o = get(in_u64(in), KIND_DEVICE);
        if (o == NULL)
            return CL_INVALID_DEVICE;
        d[i] = o->real;
    }
    c = real_clCreateContext(has ? props : NULL, (cl_uint)n,
                             null_list ? NULL : d, NULL, NULL, &e);
    return created(out, e, c, KIND_CONTEXT);
}

static cl_int serve_create_queue(wire_in *in, wire_out *out, int with_list)
{
    DEVICE_REAL(clCreateCommandQueue);
    DEVICE_REAL(clCreateCommandQueueWithProperties);
    int ok = 1;
    cl_context c = real_of(in_u64(in), KIND_CONTEXT, &ok);
    if (!ok)
        return CL_INVALID_CONTEXT;
    cl_device_id d = real_of(in_u64(in), KIND_DEVICE, &ok);
    if (!ok)
        return CL_INVALID_DEVICE;
    cl_int e;
    cl_command_queue q;
    if (!with_list) {
        q = real_clCreateCommandQueue(c, d, in_u64(in), &e);
        return created(out, e, q, KIND_QUEUE);
    }
    cl_queue_properties props[64 + 1];
    uint64_t n = in_u64(in);
    if (n > 64)
        return CL_INVALID_QUEUE_PROPERTIES;
    for (uint64_t i = 0; i < n; i++)
        props[i] = in_u64(in);
    q = real_clCreateCommandQueueWithProperties(c, d, n ? props : NULL, &e);
    return created(out, e, q, KIND_QUEUE);
}

/* ---- buffers ---------------------------------------------------------------
 */

static cl_int serve_create_buffer(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateBuffer);
    DEVICE_REAL(clReleaseMemObject);
    int ok = 1;
    cl_context c = real_of(in_u64(in), KIND_CONTEXT, &ok);
    cl_mem_flags flags = in_u64(in);
    uint64_t size = in_u64(in);
    int has_ptr = (int)in_u64(in);
    size_t n = 0;
    const void *data = in_blob(in, &n);
    if (!ok)
        return CL_INVALID_CONTEXT;
    int from_host = (flags & (CL_MEM_COPY_HOST_PTR | CL_MEM_USE_HOST_PTR)) != 0;
    if (has_ptr != from_host)
        return CL_INVALID_HOST_PTR;
    if (in->bad || (from_host && n != size))
        return CL_INVALID_VALUE;
    if (flags & CL_MEM_USE_HOST_PTR) /* the host's memory is not here */
        flags =
            (flags & ~(cl_mem_flags)CL_MEM_USE_HOST_PTR) | CL_MEM_COPY_HOST_PTR;
    cl_int e;
    cl_mem m = real_clCreateBuffer(c, flags, size,
                                   from_host ? (void *)data : NULL, &e);
    if (e != CL_SUCCESS)
        return e;
    unsigned char *origin = guarded_alloc(size);
    uint32_t i = origin ? add(m, KIND_MEM) : 0;
    if (i == 0) {
        real_clReleaseMemObject(m);
        guarded_free(origin, size);
        return CL_OUT_OF_HOST_MEMORY;
    }
    object *o = &T->objects[i];
    o->root = i;
    o->size = size;
    o->origin = origin;
    if (from_host) {
        origin_set(origin, size, ORIGIN_HOST);
        report_add(TOTAL_HOST_TO_DEVICE, size);
    }
    out_u64(out, id_at(i));
    return e;
}

static cl_int serve_create_sub_buffer(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateSubBuffer);
    object *parent = get(in_u64(in), KIND_MEM);
    cl_mem_flags flags = in_u64(in);
    cl_buffer_create_type type = (cl_buffer_create_type)in_u64(in);
    int has_region = (int)in_u64(in);
    cl_buffer_region region = {in_u64(in), in_u64(in)};
    if (parent == NULL)
        return CL_INVALID_MEM_OBJECT;
    cl_int e;
    cl_mem m = real_clCreateSubBuffer(parent->real, flags, type,
                                      has_region ? &region : NULL, &e);
    if (e != CL_SUCCESS)
        return e;
    if (!in_range(parent, region.origin, region.size))
        return CL_INVALID_VALUE; /* not reached: the real one checked */
    e = created(out, e, m, KIND_MEM);
    if (e != CL_SUCCESS)
        return e;
    object *o = &T->objects[T->count - 1];
    o->root = parent->root;
    o->offset = parent->offset + region.origin;
    o->size = region.size;
    T->objects[o->root].subs++;
    return e;
}

/* ---- programs and kernels --------------------------------------------------
 */

static cl_int serve_create_program(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateProgramWithSource);
    int ok = 1;
    cl_context c = real_of(in_u64(in), KIND_CONTEXT, &ok);
    uint64_t count = in_u64(in);
    if (!ok)
        return CL_INVALID_CONTEXT;
    if (count == 0 || count > (1u << 16))
        return CL_INVALID_VALUE;
    /* One string: a token split over two strings is checked whole. */
    wire_out text = {0};
    for (uint64_t i = 0; i < count && !in->bad; i++) {
        size_t n = 0;
        const void *s = in_blob(in, &n);
        if (s != NULL)
            out_raw(&text, s, n);
    }
    if (in->bad || text.failed) {
        out_free(&text);
        return in->bad ? CL_INVALID_VALUE : CL_OUT_OF_HOST_MEMORY;
    }
    const char *src = text.len ? (const char *)text.data : "";
    size_t len = text.len;
    cl_int e;
    cl_program p = real_clCreateProgramWithSource(c, 1, &src, &len, &e);
    const char *refusal = kernel_source_refusal(src, len);
    out_free(&text);
    e = created(out, e, p, KIND_PROGRAM);
    if (e == CL_SUCCESS && refusal != NULL) {
        T->objects[T->count - 1].refusal = refusal;
        fprintf(stderr, "cltrack: %s: clBuildProgram will fail\n", refusal);
    }
    return e;
}

static cl_int serve_build_program(wire_in *in)
{
    DEVICE_REAL(clBuildProgram);
    object *p = get(in_u64(in), KIND_PROGRAM);
    uint64_t n = in_u64(in);
    int null_list = (int)in_u64(in);
    if (p == NULL)
        return CL_INVALID_PROGRAM;
    if (n > MAX_LIST)
        return CL_INVALID_VALUE;
    cl_device_id d[MAX_LIST];
    for (uint64_t i = 0; i < n; i++) {
        object *o = get(in_u64(in), KIND_DEVICE);
        if (o == NULL)
            return CL_INVALID_DEVICE;
        d[i] = o->real;
    }
    size_t len = 0;
    const char *options = in_blob(in, &len);
    if (in->bad)
        return CL_INVALID_VALUE;
    if (p->refusal != NULL)
        return CL_BUILD_PROGRAM_FAILURE;
    size_t extra = sizeof KERNEL_SOURCE_BUILD_OPTIONS;
    char *all = malloc(len + extra);
    if (all == NULL)
        return CL_OUT_OF_HOST_MEMORY;
    memcpy(all, options, len);
    memcpy(all + len, KERNEL_SOURCE_BUILD_OPTIONS, extra);
    cl_int e = real_clBuildProgram(p->real, (cl_uint)n, null_list ? NULL : d,
                                   all, NULL, NULL);
    free(all);
    return e;
}

/* A new kernel object, with room for its arguments' buffers. */
static uint32_t add_kernel(cl_kernel k)
{
    DEVICE_REAL(clGetKernelInfo);
    cl_uint nargs = 0;
    real_clGetKernelInfo(k, CL_KERNEL_NUM_ARGS, sizeof nargs, &nargs, NULL);
    uint32_t *args = nargs ? guarded_alloc(nargs * sizeof *args) : NULL;
    uint32_t i = nargs == 0 || args != NULL ? add(k, KIND_KERNEL) : 0;
    if (i != 0) {
        T->objects[i].args = args;
        T->objects[i].nargs = nargs;
    }
    return i;
}

static cl_int serve_create_kernel(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateKernel);
    DEVICE_REAL(clReleaseKernel);
    object *p = get(in_u64(in), KIND_PROGRAM);
    int has_name = (int)in_u64(in);
    size_t n = 0;
    const char *name = in_blob(in, &n);
    if (p == NULL)
        return CL_INVALID_PROGRAM;
    char *z = in->bad ? NULL : strndup(name, n);
    if (z == NULL)
        return CL_INVALID_VALUE;
    cl_int e;
    cl_kernel k = real_clCreateKernel(p->real, has_name ? z : NULL, &e);
    free(z);
    if (e != CL_SUCCESS)
        return e;
    uint32_t i = add_kernel(k);
    if (i == 0) {
        real_clReleaseKernel(k);
        return CL_OUT_OF_HOST_MEMORY;
    }
    out_u64(out, id_at(i));
    return e;
}

static cl_int serve_create_kernels_in_program(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateKernelsInProgram);
    object *p = get(in_u64(in), KIND_PROGRAM);
    uint64_t cap = in_u64(in);
    int want = (int)in_u64(in);
    if (p == NULL)
        return CL_INVALID_PROGRAM;
    cl_kernel k[MAX_LIST];
    cl_uint n = 0;
    cl_uint c = cap < MAX_LIST ? (cl_uint)cap : MAX_LIST;
    cl_int e = real_clCreateKernelsInProgram(p->real, want ? c : 0,
                                             want ? k : NULL, &n);
    out_u64(out, n);
    for (cl_uint i = 0; e == CL_SUCCESS && want && i < n && i < c; i++)
        out_u64(out, id_at(add_kernel(k[i])));
    return e;
}

/* A cl_mem argument is an id made real; any other value passes as it is. */
static cl_int serve_set_kernel_arg(wire_in *in)
{
    DEVICE_REAL(clSetKernelArg);
    object *k = get(in_u64(in), KIND_KERNEL);
    uint64_t index = in_u64(in), size = in_u64(in);
    int has_value = (int)in_u64(in);
    size_t n = 0;
    const void *value = in_blob(in, &n);
    if (k == NULL)
        return CL_INVALID_KERNEL;
    if (in->bad || (has_value && n != size))
        return CL_INVALID_ARG_SIZE;
    uint32_t buffer = 0;
    uint64_t v = 0;
    if (has_value && size == sizeof(cl_mem))
        memcpy(&v, value, sizeof v);
    if (v >= CL_REMOTE_ID_BASE && v - CL_REMOTE_ID_BASE < CL_REMOTE_ID_SPAN) {
        object *m = get(v, KIND_MEM);
        if (m == NULL)
            return CL_INVALID_MEM_OBJECT;
        value = &m->real;
        buffer = index_of(m);
    }
    cl_int e = real_clSetKernelArg(k->real, (cl_uint)index, size,
                                   has_value ? value : NULL);
    if (e == CL_SUCCESS && index < k->nargs)
        k->args[index] = buffer;
    return e;
}

/* ---- reads and writes
 * --------------------------------------------------------
 */

/* The queue and buffer every buffer command starts with. */
static cl_int queue_and_buffer(wire_in *in, object **q, object **m)
{
    *q = get(in_u64(in), KIND_QUEUE);
    *m = get(in_u64(in), KIND_MEM);
    return *q == NULL   ? CL_INVALID_COMMAND_QUEUE
           : *m == NULL ? CL_INVALID_MEM_OBJECT
                        : CL_SUCCESS;
}

static cl_int serve_read(wire_in *in, wire_out *out, int map)
{
    DEVICE_REAL(clEnqueueReadBuffer);
    object *q, *m;
    cl_int e = queue_and_buffer(in, &q, &m);
    cl_map_flags flags = map ? in_u64(in) : CL_MAP_READ;
    uint64_t offset = in_u64(in), size = in_u64(in);
    int has_ptr = map ? 1 : (int)in_u64(in);
    cl_event wait[MAX_LIST], ev = NULL;
    cl_uint n = 0;
    if (e == CL_SUCCESS)
        e = wait_list(in, wait, &n);
    int want = (int)in_u64(in);
    if (e != CL_SUCCESS)
        return e;
    if (!in_range(m, offset, size) || size == 0 || !has_ptr)
        return CL_INVALID_VALUE;
    unsigned char *bytes = malloc(size);
    if (bytes == NULL)
        return CL_OUT_OF_HOST_MEMORY;
    e = real_clEnqueueReadBuffer(q->real, m->real, CL_TRUE, offset, size, bytes,
                                 n, n ? wait : NULL, want ? &ev : NULL);
    out_event(out, e, want, ev);
    if (e == CL_SUCCESS && (flags & CL_MAP_READ))
        counted_read(m, offset, size);
    out_blob(out, bytes, e == CL_SUCCESS ? size : 0);
    free(bytes);
    return e;
}

static cl_int serve_write(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clEnqueueWriteBuffer);
    object *q, *m;
    cl_int e = queue_and_buffer(in, &q, &m);
    uint64_t offset = in_u64(in), size = in_u64(in);
    int has_ptr = (int)in_u64(in);
    size_t got = 0;
    const void *bytes = in_blob(in, &got);
    cl_event wait[MAX_LIST], ev = NULL;
    cl_uint n = 0;
    if (e == CL_SUCCESS)
        e = wait_list(in, wait, &n);
    int want = (int)in_u64(in);
    if (e != CL_SUCCESS)
        return e;
    if (!in_range(m, offset, size) || size == 0 || !has_ptr || got != size)
        return CL_INVALID_VALUE;
    e = real_clEnqueueWriteBuffer(q->real, m->real, CL_TRUE, offset, size,
                                  bytes, n, n ? wait : NULL, want ? &ev : NULL);
    out_event(out, e, want, ev);
    if (e == CL_SUCCESS) {
        origin_set(origin_at(m, offset), size, ORIGIN_HOST);
        report_add(TOTAL_HOST_TO_DEVICE, size);
    }
    return e;
}

static cl_int serve_copy(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clEnqueueCopyBuffer);
    DEVICE_REAL(clFinish);
    object *q = get(in_u64(in), KIND_QUEUE);
    object *src = get(in_u64(in), KIND_MEM), *dst = get(in_u64(in), KIND_MEM);
    uint64_t so = in_u64(in), doff = in_u64(in), size = in_u64(in);
    cl_event wait[MAX_LIST], ev = NULL;
    cl_uint n = 0;
    cl_int e = q == NULL                    ? CL_INVALID_COMMAND_QUEUE
               : src == NULL || dst == NULL ? CL_INVALID_MEM_OBJECT
                                            : wait_list(in, wait, &n);
    int want = (int)in_u64(in);
    if (e != CL_SUCCESS)
        return e;
    if (!in_range(src, so, size) || !in_range(dst, doff, size))
        return CL_INVALID_VALUE;
    e = real_clEnqueueCopyBuffer(q->real, src->real, dst->real, so, doff, size,
                                 n, n ? wait : NULL, want ? &ev : NULL);
    if (e == CL_SUCCESS)
        e = real_clFinish(q->real);
    out_event(out, e, want, ev);
    if (e == CL_SUCCESS) {
        memmove(origin_at(dst, doff), origin_at(src, so), size);
        report_add(TOTAL_DEVICE_TO_DEVICE, size);
    }
    return e;
}

static cl_int serve_fill(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clEnqueueFillBuffer);
    DEVICE_REAL(clFinish);
    object *q, *m;
    cl_int e = queue_and_buffer(in, &q, &m);
    int has_pattern = (int)in_u64(in);
    size_t got = 0;
    const unsigned char *pattern = in_blob(in, &got);
    uint64_t pattern_size = in_u64(in), offset = in_u64(in), size = in_u64(in);
    cl_event wait[MAX_LIST], ev = NULL;
    cl_uint n = 0;
    if (e == CL_SUCCESS)
        e = wait_list(in, wait, &n);
    int want = (int)in_u64(in);
    if (e != CL_SUCCESS)
        return e;
    if (!in_range(m, offset, size) || got != pattern_size)
        return CL_INVALID_VALUE;
    e = real_clEnqueueFillBuffer(q->real, m->real, has_pattern ? pattern : NULL,
                                 pattern_size, offset, size, n, n ? wait : NULL,
                                 want ? &ev : NULL);
    if (e == CL_SUCCESS)
        e = real_clFinish(q->real);
    out_event(out, e, want, ev);
    int zeros = 1; /* an output cleared: no result in it */
    for (size_t i = 0; i < got; i++)
        zeros &= pattern[i] == 0;
    if (e == CL_SUCCESS)
        origin_set(origin_at(m, offset), size,
                   zeros ? ORIGIN_NONE : ORIGIN_HOST);
    return e;
}

/* The end of a mapping: the bytes the host changed in its copy are written
 * back and become the host's; the others keep their origin. */
static cl_int serve_unmap(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clEnqueueReadBuffer);
    DEVICE_REAL(clEnqueueWriteBuffer);
    DEVICE_REAL(clEnqueueMarkerWithWaitList);
    object *q, *m;
    cl_int e = queue_and_buffer(in, &q, &m);
    uint64_t offset = in_u64(in), size = in_u64(in);
    int wrote = (int)in_u64(in);
    size_t got = 0;
    const unsigned char *bytes = in_blob(in, &got);
    cl_event wait[MAX_LIST], ev = NULL;
    cl_uint n = 0;
    if (e == CL_SUCCESS)
        e = wait_list(in, wait, &n);
    int want = (int)in_u64(in);
    if (e != CL_SUCCESS)
        return e;
    if (!wrote) {
        e = real_clEnqueueMarkerWithWaitList(q->real, n, n ? wait : NULL,
                                             want ? &ev : NULL);
        out_event(out, e, want, ev);
        return e;
    }
    if (!in_range(m, offset, size) || got != size)
        return CL_INVALID_VALUE;
    unsigned char *before = malloc(size ? size : 1);
    if (before == NULL)
        return CL_OUT_OF_HOST_MEMORY;
    e = real_clEnqueueReadBuffer(q->real, m->real, CL_TRUE, offset, size,
                                 before, n, n ? wait : NULL, NULL);
    if (e == CL_SUCCESS)
        e = real_clEnqueueWriteBuffer(q->real, m->real, CL_TRUE, offset, size,
                                      bytes, 0, NULL, want ? &ev : NULL);
    out_event(out, e, want, ev);
    if (e == CL_SUCCESS) {
        origin_mark_changed(origin_at(m, offset), before, bytes, size,
                            ORIGIN_HOST);
        report_add(TOTAL_HOST_TO_DEVICE, size);
    }
    free(before);
    return e;
}

/* ---- launches --------------------------------------------------------------
 */

/* The buffers among kernel k's arguments, each once, with their bytes. */
typedef struct {
    object *m[MAX_LIST];
    unsigned char *before[MAX_LIST];
    size_t n;
} launch_buffers;

static void snapshot(cl_command_queue q, const object *k, launch_buffers *b)
{
    DEVICE_REAL(clEnqueueReadBuffer);
    b->n = 0;
    for (uint32_t a = 0; a < k->nargs && b->n < MAX_LIST; a++) {
        object *m = k->args[a] ? &T->objects[k->args[a]] : NULL;
        int seen = m == NULL || m->refs == 0;
        for (size_t i = 0; !seen && i < b->n; i++)
            seen = b->m[i] == m;
        if (seen)
            continue;
        unsigned char *bytes = malloc(m->size ? m->size : 1);
        if (bytes != NULL &&
            real_clEnqueueReadBuffer(q, m->real, CL_TRUE, 0, m->size, bytes, 0,
                                     NULL, NULL) != CL_SUCCESS) {
            free(bytes);
            bytes = NULL;
        }
        b->m[b->n] = m;
        b->before[b->n++] = bytes;
    }
}

/* The bytes each buffer's kernel changed are the kernel's. */
static void mark_kernel_writes(cl_command_queue q, launch_buffers *b)
{
    DEVICE_REAL(clEnqueueReadBuffer);
    for (size_t i = 0; i < b->n; i++) {
        object *m = b->m[i];
        unsigned char *after =
            b->before[i] ? malloc(m->size ? m->size : 1) : NULL;
        if (after != NULL &&
            real_clEnqueueReadBuffer(q, m->real, CL_TRUE, 0, m->size, after, 0,
                                     NULL, NULL) == CL_SUCCESS)
            origin_mark_changed(origin_at(m, 0), b->before[i], after, m->size,
                                ORIGIN_KERNEL);
        free(after);
        free(b->before[i]);
    }
}

static void read_sizes(wire_in *in, size_t sizes[3], int *has)
{
    *has = (int)in_u64(in);
    for (int i = 0; i < 3; i++)
        sizes[i] = (size_t)in_u64(in);
}

/* NDRange (task = 0) or task (task = 1): run to completion, with guarded
 * memory read-only while the kernel runs. */
static cl_int serve_launch(wire_in *in, wire_out *out, int task)
{
    DEVICE_REAL(clEnqueueNDRangeKernel);
    DEVICE_REAL(clEnqueueTask);
    DEVICE_REAL(clFinish);
    object *q = get(in_u64(in), KIND_QUEUE), *k = get(in_u64(in), KIND_KERNEL);
    cl_uint dim = 1;
    size_t offset[3], global[3], local[3];
    int has_offset = 0, has_global = 0, has_local = 0;
    if (!task) {
        dim = (cl_uint)in_u64(in);
        read_sizes(in, offset, &has_offset);
        read_sizes(in, global, &has_global);
        read_sizes(in, local, &has_local);
    }
    cl_event wait[MAX_LIST], ev = NULL;
    cl_uint n = 0;
    cl_int e = q == NULL   ? CL_INVALID_COMMAND_QUEUE
               : k == NULL ? CL_INVALID_KERNEL
                           : wait_list(in, wait, &n);
    int want = (int)in_u64(in);
    if (e != CL_SUCCESS)
        return e;
    launch_buffers b;
    snapshot(q->real, k, &b);
    guarded_close();
    if (task)
        e = real_clEnqueueTask(q->real, k->real, n, n ? wait : NULL,
                               want ? &ev : NULL);
    else
        e = real_clEnqueueNDRangeKernel(
            q->real, k->real, dim, has_offset ? offset : NULL,
            has_global ? global : NULL, has_local ? local : NULL, n,
            n ? wait : NULL, want ? &ev : NULL);
    cl_int done = e == CL_SUCCESS ? real_clFinish(q->real) : e;
    guarded_open();
    if (done == CL_SUCCESS)
        report_add(TOTAL_LAUNCHES, 1);
    mark_kernel_writes(q->real, &b);
    out_event(out, e, want, ev);
    return e;
}

/* Markers and barriers (every command is complete already). */
static cl_int serve_sync_command(wire_in *in, wire_out *out, int barrier)
{
    DEVICE_REAL(clEnqueueMarkerWithWaitList);
    DEVICE_REAL(clEnqueueBarrierWithWaitList);
    object *q = get(in_u64(in), KIND_QUEUE);
    cl_event wait[MAX_LIST], ev = NULL;
    cl_uint n = 0;
    cl_int e = q == NULL ? CL_INVALID_COMMAND_QUEUE : wait_list(in, wait, &n);
    int want = (int)in_u64(in);
    if (e != CL_SUCCESS)
        return e;
    e = (barrier ? real_clEnqueueBarrierWithWaitList
                 : real_clEnqueueMarkerWithWaitList)(
        q->real, n, n ? wait : NULL, want ? &ev : NULL);
    out_event(out, e, want, ev);
    return e;
}

static cl_int serve_wait(wire_in *in)
{
    DEVICE_REAL(clWaitForEvents);
    cl_event wait[MAX_LIST];
    cl_uint n = 0;
    cl_int e = wait_list(in, wait, &n);
    if (e != CL_SUCCESS)
        return e == CL_INVALID_EVENT_WAIT_LIST ? CL_INVALID_EVENT : e;
    return real_clWaitForEvents(n, wait);
}

static cl_int serve_queue_call(wire_in *in, int finish)
{
    DEVICE_REAL(clFlush);
    DEVICE_REAL(clFinish);
    object *q = get(in_u64(in), KIND_QUEUE);
    if (q == NULL)
        return CL_INVALID_COMMAND_QUEUE;
    return finish ? real_clFinish(q->real) : real_clFlush(q->real);
}

/* ---- the loop --------------------------------------------------------------
 */

static cl_int dispatch(uint32_t op, wire_in *in, wire_out *out)
{
    switch ((enum cl_remote_op)op) {
    case OP_PLATFORM_IDS: return serve_platform_ids(in, out);
    case OP_DEVICE_IDS: return serve_device_ids(in, out);
    case OP_INFO: return serve_info(in, out);
    case OP_CREATE_CONTEXT: return serve_create_context(in, out, 0);
    case OP_CREATE_CONTEXT_FROM_TYPE: return serve_create_context(in, out, 1);
    case OP_RETAIN: return serve_refcount(in, 1);
    case OP_RELEASE: return serve_refcount(in, 0);
    case OP_CREATE_QUEUE: return serve_create_queue(in, out, 0);
    case OP_CREATE_QUEUE_WITH_PROPERTIES: return serve_create_queue(in, out, 1);
    case OP_CREATE_BUFFER: return serve_create_buffer(in, out);
    case OP_CREATE_SUB_BUFFER: return serve_create_sub_buffer(in, out);
    case OP_CREATE_PROGRAM: return serve_create_program(in, out);
    case OP_BUILD_PROGRAM: return serve_build_program(in);
    case OP_CREATE_KERNEL: return serve_create_kernel(in, out);
    case OP_CREATE_KERNELS_IN_PROGRAM:
        return serve_create_kernels_in_program(in, out);
    case OP_SET_KERNEL_ARG: return serve_set_kernel_arg(in);
    case OP_READ_BUFFER: return serve_read(in, out, 0);
    case OP_WRITE_BUFFER: return serve_write(in, out);
    case OP_COPY_BUFFER: return serve_copy(in, out);
    case OP_FILL_BUFFER: return serve_fill(in, out);
    case OP_MAP_BUFFER: return serve_read(in, out, 1);
    case OP_UNMAP: return serve_unmap(in, out);
    case OP_NDRANGE: return serve_launch(in, out, 0);
    case OP_TASK: return serve_launch(in, out, 1);
    case OP_MARKER: return serve_sync_command(in, out, 0);
    case OP_BARRIER: return serve_sync_command(in, out, 1);
    case OP_WAIT_FOR_EVENTS: return serve_wait(in);
    case OP_FLUSH: return serve_queue_call(in, 0);
    case OP_FINISH: return serve_queue_call(in, 1);
    case OP_GPU_ORIGIN:
        out_u64(out, T->kernel_bytes);
        out_u64(out, T->host_bytes);
        return CL_SUCCESS;
    case OP_COUNT: break;
    }
    return CL_INVALID_OPERATION;
}

void cl_remote_serve(int fd)
{
    if (guarded_init() != 0 ||
        guarded_alloc(sizeof(table) + MAX_OBJECTS * sizeof(object)) !=
            guarded_base()) {
        fprintf(stderr, "cltrack: judge mode: the device process has no "
                        "memory for its tables\n");
        _exit(3);
    }
    guarded_open();
    T->count = 1;
    guarded_close();
    for (;;) {
        wire_header h;
        unsigned char *data;
        if (wire_recv(fd, &h, &data) != 0)
            _exit(0); /* the host process is gone */
        wire_in in = {data, data + h.len, 0};
        wire_out out = {0};
        guarded_open();
        cl_int status = dispatch(h.op, &in, &out);
        guarded_close();
        fflush(stdout);
        fflush(stderr);
        int sent = wire_send(fd, 0, status, &out);
        out_free(&out);
        free(data);
        if (sent != 0)
            _exit(0);
    }
}

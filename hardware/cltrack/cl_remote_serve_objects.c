/* cl_remote_serve_objects.c: the device side of the calls that make,
 * query, retain and release objects (cl_remote_serve.h): the real calls,
 * with ids in and out. A buffer created from host memory is the host's
 * (origin_map.h); a program whose source is refused
 * (kernel_source_check.h) does not build and says why in its build log. */
#define _GNU_SOURCE
#include "cl_real.h"
#include "cl_remote_serve.h"
#include "cl_remote_table.h"
#include "device_report.h"
#include "kernel_source_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- platforms, devices, info ----------------------------------------------
 */

cl_int serve_platform_ids(wire_in *in, wire_out *out)
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
        out_u64(out, object_id_for(p[i], KIND_PLATFORM));
    return e;
}

cl_int serve_device_ids(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clGetDeviceIDs);
    int ok = 1;
    cl_platform_id platform = object_real(in_u64(in), KIND_PLATFORM, &ok);
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
        out_u64(out, object_id_for(d[i], KIND_DEVICE));
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
            id = object_id_for(h, kind);
        else if (properties && at >= sizeof h &&
                 *(intptr_t *)(value + at - sizeof h) == CL_CONTEXT_PLATFORM &&
                 (at / sizeof h) % 2 == 1)
            id = object_id_for(h, KIND_PLATFORM);
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

static cl_int real_info(uint64_t which, uint64_t id, uint64_t id2,
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
    object *o = object_get(id, kinds[which]);
    if (o == NULL)
        return invalid_object(kinds[which]);
    int ok = 1;
    cl_device_id d = object_real(id2, KIND_DEVICE, &ok);
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

cl_int serve_info(wire_in *in, wire_out *out)
{
    uint64_t which = in_u64(in); /* checked by real_info */
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
        translate_handles((enum cl_remote_info)which, param, value, n);
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
        free(root->synced);
        root->synced = NULL;
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

cl_int serve_refcount(wire_in *in, int retain)
{
    enum cl_remote_kind kind = (enum cl_remote_kind)in_u64(in);
    if (kind < KIND_CONTEXT || kind > KIND_EVENT)
        return CL_INVALID_VALUE;
    object *o = object_get(in_u64(in), kind);
    if (o == NULL)
        return invalid_object(kind);
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
        object *p = object_get((uint64_t)props[i + 1], KIND_PLATFORM);
        if (p == NULL)
            return CL_INVALID_PLATFORM;
        props[i + 1] = (cl_context_properties)p->real;
    }
    return in->bad ? CL_INVALID_VALUE : CL_SUCCESS;
}

cl_int serve_create_context(wire_in *in, wire_out *out, int from_type)
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
        return reply_created(out, e, c, KIND_CONTEXT);
    }
    uint64_t n = in_u64(in);
    int null_list = (int)in_u64(in);
    cl_device_id d[MAX_LIST];
    if (n > MAX_LIST)
        return CL_INVALID_VALUE;
    for (uint64_t i = 0; i < n; i++) {
        object *o = object_get(in_u64(in), KIND_DEVICE);
        if (o == NULL)
            return CL_INVALID_DEVICE;
        d[i] = o->real;
    }
    c = real_clCreateContext(has ? props : NULL, (cl_uint)n,
                             null_list ? NULL : d, NULL, NULL, &e);
    return reply_created(out, e, c, KIND_CONTEXT);
}

cl_int serve_create_queue(wire_in *in, wire_out *out, int with_list)
{
    DEVICE_REAL(clCreateCommandQueue);
    DEVICE_REAL(clCreateCommandQueueWithProperties);
    int ok = 1;
    cl_context c = object_real(in_u64(in), KIND_CONTEXT, &ok);
    if (!ok)
        return CL_INVALID_CONTEXT;
    cl_device_id d = object_real(in_u64(in), KIND_DEVICE, &ok);
    if (!ok)
        return CL_INVALID_DEVICE;
    cl_int e;
    cl_command_queue q;
    if (!with_list) {
        q = real_clCreateCommandQueue(c, d, in_u64(in), &e);
        return reply_created(out, e, q, KIND_QUEUE);
    }
    cl_queue_properties props[64 + 1];
    uint64_t n = in_u64(in);
    if (n > 64)
        return CL_INVALID_QUEUE_PROPERTIES;
    for (uint64_t i = 0; i < n; i++)
        props[i] = in_u64(in);
    q = real_clCreateCommandQueueWithProperties(c, d, n ? props : NULL, &e);
    return reply_created(out, e, q, KIND_QUEUE);
}

/* ---- buffers ---------------------------------------------------------------
 */

cl_int serve_create_buffer(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateBuffer);
    DEVICE_REAL(clReleaseMemObject);
    int ok = 1;
    cl_context c = object_real(in_u64(in), KIND_CONTEXT, &ok);
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
    uint32_t i = origin ? object_add(m, KIND_MEM) : 0;
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
        origin_set_written(origin, data, size);
        report_add(TOTAL_HOST_TO_DEVICE, size);
    }
    out_u64(out, id_at(i));
    return e;
}

cl_int serve_create_sub_buffer(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateSubBuffer);
    object *parent = object_get(in_u64(in), KIND_MEM);
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
    e = reply_created(out, e, m, KIND_MEM);
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

cl_int serve_create_program(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateProgramWithSource);
    int ok = 1;
    cl_context c = object_real(in_u64(in), KIND_CONTEXT, &ok);
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
    e = reply_created(out, e, p, KIND_PROGRAM);
    if (e == CL_SUCCESS && refusal != NULL) {
        T->objects[T->count - 1].refusal = refusal;
        fprintf(stderr, "cltrack: %s: clBuildProgram will fail\n", refusal);
    }
    return e;
}

cl_int serve_build_program(wire_in *in)
{
    DEVICE_REAL(clBuildProgram);
    object *p = object_get(in_u64(in), KIND_PROGRAM);
    uint64_t n = in_u64(in);
    int null_list = (int)in_u64(in);
    if (p == NULL)
        return CL_INVALID_PROGRAM;
    if (n > MAX_LIST)
        return CL_INVALID_VALUE;
    cl_device_id d[MAX_LIST];
    for (uint64_t i = 0; i < n; i++) {
        object *o = object_get(in_u64(in), KIND_DEVICE);
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
    uint32_t i = nargs == 0 || args != NULL ? object_add(k, KIND_KERNEL) : 0;
    if (i != 0) {
        T->objects[i].args = args;
        T->objects[i].nargs = nargs;
    }
    return i;
}

cl_int serve_create_kernel(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateKernel);
    DEVICE_REAL(clReleaseKernel);
    object *p = object_get(in_u64(in), KIND_PROGRAM);
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

cl_int serve_create_kernels_in_program(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clCreateKernelsInProgram);
    object *p = object_get(in_u64(in), KIND_PROGRAM);
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
cl_int serve_set_kernel_arg(wire_in *in)
{
    DEVICE_REAL(clSetKernelArg);
    object *k = object_get(in_u64(in), KIND_KERNEL);
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
        object *m = object_get(v, KIND_MEM);
        if (m == NULL)
            return CL_INVALID_MEM_OBJECT;
        value = &m->real;
        buffer = object_index(m);
    }
    cl_int e = real_clSetKernelArg(k->real, (cl_uint)index, size,
                                   has_value ? value : NULL);
    if (e == CL_SUCCESS && index < k->nargs)
        k->args[index] = buffer;
    return e;
}

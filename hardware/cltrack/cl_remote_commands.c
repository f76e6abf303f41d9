/* cl_remote_commands.c: judge mode's host side of the enqueued commands
 * (cl_remote_client.h). Every command completes in the device process
 * before its reply, so blocking or not makes no difference. A mapping is a
 * host copy of the region (for a CL_MEM_USE_HOST_PTR buffer, that region
 * of its host memory), filled at map time and sent back at unmap when it
 * was mapped for writing. */
#include "cl_remote_client.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- mappings --------------------------------------------------------------
 */

typedef struct {
    uint64_t mem;
    unsigned char *ptr;
    size_t offset, size;
    cl_map_flags flags;
    int owned; /* ptr was allocated here */
} host_mapping;

static pthread_mutex_t g_maps_lock = PTHREAD_MUTEX_INITIALIZER;
static host_mapping *g_maps;
static size_t g_nmaps, g_cap_maps;

/* ---- enqueues --------------------------------------------------------------
 */

/* A command on q, with the memory of CL_MEM_USE_HOST_PTR buffers synced
 * around it; its reply: the event (when asked for), then `n` bytes into
 * `into` (when into is not NULL). */
static cl_int enqueue(cl_command_queue q, enum cl_remote_op op, wire_out *o,
                      cl_event *event, void *into, size_t n)
{
    reply r;
    host_memory_before(q);
    cl_int e = remote_call(op, o, &r);
    host_memory_after(q);
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
    return enqueue(q, OP_READ_BUFFER, &o, event, ptr, size);
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
    return enqueue(q, OP_WRITE_BUFFER, &o, event, NULL, 0);
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
    return enqueue(q, OP_COPY_BUFFER, &o, event, NULL, 0);
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
    return enqueue(q, OP_FILL_BUFFER, &o, event, NULL, 0);
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
    cl_int e = enqueue(q, OP_MAP_BUFFER, &o, event, p, size);
    if (errcode_ret != NULL)
        *errcode_ret = e;
    if (e != CL_SUCCESS) {
        if (use == NULL)
            free(p);
        return NULL;
    }
    pthread_mutex_lock(&g_maps_lock);
    g_maps = remote_grow(g_maps, &g_cap_maps, g_nmaps, sizeof *g_maps);
    g_maps[g_nmaps++] =
        (host_mapping){id_of(buffer), p, offset, size, flags, use == NULL};
    pthread_mutex_unlock(&g_maps_lock);
    return p;
}

cl_int remote_clEnqueueUnmapMemObject(cl_command_queue q, cl_mem memobj,
                                      void *mapped, cl_uint n,
                                      const cl_event *wait, cl_event *event)
{
    host_mapping m = {0};
    int found = 0;
    pthread_mutex_lock(&g_maps_lock);
    for (size_t i = g_nmaps; !found && i-- > 0;)
        if (g_maps[i].mem == id_of(memobj) && g_maps[i].ptr == mapped) {
            m = g_maps[i];
            g_maps[i] = g_maps[--g_nmaps];
            found = 1;
        }
    pthread_mutex_unlock(&g_maps_lock);
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
    cl_int e = enqueue(q, OP_UNMAP, &o, event, NULL, 0);
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
    return enqueue(q, OP_NDRANGE, &o, event, NULL, 0);
}

cl_int remote_clEnqueueTask(cl_command_queue q, cl_kernel kernel, cl_uint n,
                            const cl_event *wait, cl_event *event)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, id_of(kernel));
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(q, OP_TASK, &o, event, NULL, 0);
}

static cl_int sync_command(enum cl_remote_op op, cl_command_queue q, cl_uint n,
                           const cl_event *wait, cl_event *event)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_wait_list(&o, n, wait);
    out_u64(&o, event != NULL);
    return enqueue(q, op, &o, event, NULL, 0);
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
    return remote_call_status(OP_WAIT_FOR_EVENTS, &o);
}

cl_int remote_clFlush(cl_command_queue q)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    return remote_call_status(OP_FLUSH, &o);
}

cl_int remote_clFinish(cl_command_queue q)
{
    wire_out o = {0};
    out_u64(&o, id_of(q));
    return remote_call_status(OP_FINISH, &o);
}

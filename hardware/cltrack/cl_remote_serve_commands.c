/* cl_remote_serve_commands.c: the device side of enqueued commands
 * (cl_remote_serve.h). Every command completes before its reply. Host
 * writes make their bytes the host's; a launch reads every buffer among
 * the kernel's arguments before and after it, with guarded memory
 * read-only while the kernel runs, and the bytes that changed become the
 * kernel's (origin_map.h); reads add to the totals. */
#include "cl_real.h"
#include "cl_remote_serve.h"
#include "cl_remote_table.h"
#include "device_report.h"

#include <stdlib.h>
#include <string.h>

/* ---- reads and writes
 * --------------------------------------------------------
 */

/* The queue and buffer every buffer command starts with. */
static cl_int queue_and_buffer(wire_in *in, object **q, object **m)
{
    *q = object_get(in_u64(in), KIND_QUEUE);
    *m = object_get(in_u64(in), KIND_MEM);
    return *q == NULL   ? CL_INVALID_COMMAND_QUEUE
           : *m == NULL ? CL_INVALID_MEM_OBJECT
                        : CL_SUCCESS;
}

cl_int serve_read(wire_in *in, wire_out *out, int map)
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
        counted_read(m, offset, size, bytes);
    out_blob(out, bytes, e == CL_SUCCESS ? size : 0);
    free(bytes);
    return e;
}

cl_int serve_write(wire_in *in, wire_out *out)
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
        origin_set_written(origin_at(m, offset), bytes, size);
        report_add(TOTAL_HOST_TO_DEVICE, size);
    }
    return e;
}

cl_int serve_copy(wire_in *in, wire_out *out)
{
    DEVICE_REAL(clEnqueueCopyBuffer);
    DEVICE_REAL(clFinish);
    object *q = object_get(in_u64(in), KIND_QUEUE);
    object *src = object_get(in_u64(in), KIND_MEM),
           *dst = object_get(in_u64(in), KIND_MEM);
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

cl_int serve_fill(wire_in *in, wire_out *out)
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
cl_int serve_unmap(wire_in *in, wire_out *out)
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
cl_int serve_launch(wire_in *in, wire_out *out, int task)
{
    DEVICE_REAL(clEnqueueNDRangeKernel);
    DEVICE_REAL(clEnqueueTask);
    DEVICE_REAL(clFinish);
    object *q = object_get(in_u64(in), KIND_QUEUE),
           *k = object_get(in_u64(in), KIND_KERNEL);
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
    if (dim < 1 || dim > 3)
        return CL_INVALID_WORK_DIMENSION;
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
cl_int serve_sync_command(wire_in *in, wire_out *out, int barrier)
{
    DEVICE_REAL(clEnqueueMarkerWithWaitList);
    DEVICE_REAL(clEnqueueBarrierWithWaitList);
    object *q = object_get(in_u64(in), KIND_QUEUE);
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

cl_int serve_wait(wire_in *in)
{
    DEVICE_REAL(clWaitForEvents);
    cl_event wait[MAX_LIST];
    cl_uint n = 0;
    cl_int e = wait_list(in, wait, &n);
    if (e != CL_SUCCESS)
        return e == CL_INVALID_EVENT_WAIT_LIST ? CL_INVALID_EVENT : e;
    return real_clWaitForEvents(n, wait);
}

cl_int serve_queue_call(wire_in *in, int finish)
{
    DEVICE_REAL(clFlush);
    DEVICE_REAL(clFinish);
    object *q = object_get(in_u64(in), KIND_QUEUE);
    if (q == NULL)
        return CL_INVALID_COMMAND_QUEUE;
    return finish ? real_clFinish(q->real) : real_clFlush(q->real);
}

/* ---- CL_MEM_USE_HOST_PTR memory ---------------------------------------------
 */

/* The bytes of buffer m now (malloc'd), or NULL. */
static unsigned char *contents(cl_command_queue q, const object *m)
{
    DEVICE_REAL(clEnqueueReadBuffer);
    unsigned char *bytes = malloc(m->size ? m->size : 1);
    if (bytes != NULL &&
        real_clEnqueueReadBuffer(q, m->real, CL_TRUE, 0, m->size, bytes, 0,
                                 NULL, NULL) != CL_SUCCESS) {
        free(bytes);
        bytes = NULL;
    }
    return bytes;
}

/* The host's memory of each CL_MEM_USE_HOST_PTR buffer: the bytes that
 * differ from the device's are written and become the host's. */
cl_int serve_host_memory_in(wire_in *in)
{
    DEVICE_REAL(clEnqueueWriteBuffer);
    object *q = object_get(in_u64(in), KIND_QUEUE);
    uint64_t n = in_u64(in);
    if (q == NULL)
        return CL_INVALID_COMMAND_QUEUE;
    for (uint64_t i = 0; i < n && !in->bad; i++) {
        object *m = object_get(in_u64(in), KIND_MEM);
        size_t got = 0;
        const unsigned char *host = in_blob(in, &got);
        if (m == NULL || host == NULL || m->root != object_index(m) ||
            got != m->size)
            continue; /* released meanwhile, or not a buffer's memory */
        unsigned char *now = contents(q->real, m);
        unsigned char *copy = malloc(got ? got : 1);
        if (now == NULL || copy == NULL) {
            free(now);
            free(copy);
            return CL_OUT_OF_HOST_MEMORY;
        }
        if (memcmp(now, host, got) != 0 &&
            real_clEnqueueWriteBuffer(q->real, m->real, CL_TRUE, 0, got, host,
                                      0, NULL, NULL) == CL_SUCCESS) {
            origin_mark_changed(m->origin, now, host, got, ORIGIN_HOST);
            report_add(TOTAL_HOST_TO_DEVICE, got);
        }
        memcpy(copy, host, got);
        free(m->synced);
        m->synced = copy;
        free(now);
    }
    return in->bad ? CL_INVALID_VALUE : CL_SUCCESS;
}

/* Each CL_MEM_USE_HOST_PTR buffer a command changed: its bytes go back to
 * the host's memory, and the bytes that changed count as read back. */
cl_int serve_host_memory_out(wire_in *in, wire_out *out)
{
    object *q = object_get(in_u64(in), KIND_QUEUE);
    if (q == NULL)
        return CL_INVALID_COMMAND_QUEUE;
    wire_out changed = {0};
    uint64_t count = 0;
    for (uint32_t i = 1; i < T->count; i++) {
        object *m = &T->objects[i];
        if (m->kind != KIND_MEM || m->refs == 0 || m->synced == NULL)
            continue;
        unsigned char *now = contents(q->real, m);
        if (now == NULL)
            continue;
        if (memcmp(now, m->synced, m->size) != 0) {
            uint64_t k = 0, h = 0, moved = 0;
            origin_count_changed(m->origin, m->synced, now, m->size, &k, &h);
            sampled_read(m->origin, 0, now, m->synced, m->size);
            for (size_t b = 0; b < m->size; b++)
                moved += now[b] != m->synced[b];
            T->kernel_bytes += k;
            T->host_bytes += h;
            report_add(TOTAL_KERNEL_TO_HOST, k);
            report_add(TOTAL_HOST_TO_HOST, h);
            report_add(TOTAL_DEVICE_TO_HOST, moved);
            out_u64(&changed, id_at(i));
            out_blob(&changed, now, m->size);
            count++;
            memcpy(m->synced, now, m->size);
        }
        free(now);
    }
    out_u64(out, count);
    if (changed.len > 0)
        out_raw(out, changed.data, changed.len);
    int failed = changed.failed;
    out_free(&changed);
    return failed ? CL_OUT_OF_HOST_MEMORY : CL_SUCCESS;
}

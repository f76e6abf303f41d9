/* cl_remote_serve.c: the device side's loop for one host process, in the
 * process the device forked for it (cl_remote_device.h): each request is
 * served by its serve_* function (cl_remote_serve.h), which makes the real
 * OpenCL calls with the ids of cl_remote_table.h.
 *
 * Every command completes before its reply (launches are synchronous), so
 * a kernel runs only inside serve_launch, which keeps guarded memory (the
 * object table, the origin maps, this host's totals) read-only while it
 * runs; outside requests guarded memory is read-only too. */
#define _GNU_SOURCE
#include "cl_remote_serve.h"
#include "cl_remote_device.h"
#include "cl_remote_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    case OP_HOST_MEMORY_IN: return serve_host_memory_in(in);
    case OP_HOST_MEMORY_OUT: return serve_host_memory_out(in, out);
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

/* cl_remote_protocol.h: the requests a judge-mode host process sends to
 * libcltrack's OpenCL device process (cl_remote_host.c, cl_remote_device.c)
 * and the byte format both ends share.
 *
 * A request is a wire_header {op, len} and len bytes of arguments; a reply
 * is a wire_header {status (a cl_int), len} and len bytes. Arguments are
 * 64-bit little-endian numbers and blobs (a number n, then n bytes), read
 * back in the order they were written. Handles travel as the opaque ids the
 * device hands out (CL_REMOTE_ID_BASE + 16 * index); the host never sees a
 * real OpenCL object. */
#ifndef CLTRACK_CL_REMOTE_PROTOCOL_H
#define CLTRACK_CL_REMOTE_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

/* Set by the grader: the fd the device process writes its report on. */
#define CL_REMOTE_REPORT_VAR "CLTRACK_DEVICE_REPORT_FD"
/* Set by libcltrack for the test processes: the device's socket name. */
#define CL_REMOTE_SOCKET_VAR "CLTRACK_DEVICE_SOCKET"

/* Host handles: addresses in a range every host process reserves and never
 * maps, so a handle is never a valid host pointer. */
#define CL_REMOTE_ID_BASE ((uint64_t)0x280000000000ull)
#define CL_REMOTE_ID_SPAN ((uint64_t)1 << 32)

/* The largest request or reply accepted (a buffer's bytes travel in one). */
#define CL_REMOTE_MAX_MESSAGE ((uint64_t)1 << 34)

enum cl_remote_op {
    OP_PLATFORM_IDS = 1,
    OP_DEVICE_IDS,
    OP_INFO,
    OP_CREATE_CONTEXT,
    OP_CREATE_CONTEXT_FROM_TYPE,
    OP_RETAIN,
    OP_RELEASE,
    OP_CREATE_QUEUE,
    OP_CREATE_QUEUE_WITH_PROPERTIES,
    OP_CREATE_BUFFER,
    OP_CREATE_SUB_BUFFER,
    OP_CREATE_PROGRAM,
    OP_BUILD_PROGRAM,
    OP_CREATE_KERNEL,
    OP_CREATE_KERNELS_IN_PROGRAM,
    OP_SET_KERNEL_ARG,
    OP_READ_BUFFER,
    OP_WRITE_BUFFER,
    OP_COPY_BUFFER,
    OP_FILL_BUFFER,
    OP_MAP_BUFFER,
    OP_UNMAP,
    OP_NDRANGE,
    OP_TASK,
    OP_MARKER,
    OP_BARRIER,
    OP_WAIT_FOR_EVENTS,
    OP_FLUSH,
    OP_FINISH,
    OP_GPU_ORIGIN,
    OP_HOST_MEMORY_IN,  /* CL_MEM_USE_HOST_PTR memory, before a command */
    OP_HOST_MEMORY_OUT, /* and what the command changed in it, after */
    OP_COUNT
};

/* Which clGet*Info an OP_INFO is. */
enum cl_remote_info {
    INFO_PLATFORM,
    INFO_DEVICE,
    INFO_CONTEXT,
    INFO_QUEUE,
    INFO_MEM,
    INFO_PROGRAM,
    INFO_PROGRAM_BUILD,
    INFO_KERNEL,
    INFO_KERNEL_WORK_GROUP,
    INFO_EVENT,
    INFO_EVENT_PROFILING
};

/* The kinds of objects the device hands ids out for. */
enum cl_remote_kind {
    KIND_NONE,
    KIND_PLATFORM,
    KIND_DEVICE,
    KIND_CONTEXT,
    KIND_QUEUE,
    KIND_MEM,
    KIND_PROGRAM,
    KIND_KERNEL,
    KIND_EVENT
};

typedef struct {
    uint32_t op; /* request: enum cl_remote_op; reply: 0 */
    int32_t status;
    uint64_t len;
} wire_header;

/* Arguments being written (grows; failed set when out of memory). */
typedef struct {
    unsigned char *data;
    size_t len, cap;
    int failed;
} wire_out;

/* Arguments being read (bad set when one is missing or too long). */
typedef struct {
    const unsigned char *p, *end;
    int bad;
} wire_in;

void out_u64(wire_out *o, uint64_t v);
/* n bytes as they are (no length before them). */
void out_raw(wire_out *o, const void *p, size_t n);
void out_blob(wire_out *o, const void *p, size_t n);
void out_free(wire_out *o);
uint64_t in_u64(wire_in *in);
/* The next blob (its length in *n), or NULL (bad set) when cut short. */
const void *in_blob(wire_in *in, size_t *n);

/* Whole messages on a stream socket; 0 on success, -1 when the other end
 * is gone. */
int wire_send(int fd, uint32_t op, int32_t status, const wire_out *o);
/* Reads one message: header into h, its bytes into *data (malloc'd, the
 * caller frees). */
int wire_recv(int fd, wire_header *h, unsigned char **data);

#endif

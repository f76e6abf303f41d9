/* cl_remote_client.h: what the host side of judge mode's device process
 * shares between its files (cl_remote_host.c: the channel and starting the
 * device; cl_remote_objects.c: objects and their info; cl_remote_commands.c:
 * enqueued commands): a request and its reply, and handles as ids. */
#ifndef CLTRACK_CL_REMOTE_CLIENT_H
#define CLTRACK_CL_REMOTE_CLIENT_H

#include "cl_remote.h"
#include "cl_remote_protocol.h"

#include <stdint.h>

/* A reply: its bytes (free with reply_done) and a reader over them. */
typedef struct {
    unsigned char *data;
    wire_in in;
} reply;

/* Says what went wrong on stderr and aborts this (host) process. */
__attribute__((noreturn)) void remote_fail(const char *what);
/* Sends a request (args are consumed) and waits for its reply. */
cl_int remote_call(enum cl_remote_op op, wire_out *args, reply *r);
/* A call whose reply carries nothing but the status. */
cl_int remote_call_status(enum cl_remote_op op, wire_out *args);
void reply_done(reply *r);

static inline uint64_t id_of(const void *handle)
{
    return (uint64_t)(uintptr_t)handle;
}

static inline void *handle_of(uint64_t id)
{
    return (void *)(uintptr_t)id;
}

/* A wait list: the count, whether the list was NULL with a count, ids. */
void out_wait_list(wire_out *o, cl_uint n, const cl_event *events);
/* The object id a reply carries first; status into errcode_ret (the reply
 * is done). */
void *object_reply(cl_int e, reply *r, cl_int *errcode_ret);
/* The event id a reply carries first, into *event when asked for. */
void event_reply(cl_int e, reply *r, cl_event *event);
/* p grown to hold n + 1 elements (cap updated); aborts when out of memory. */
void *remote_grow(void *p, size_t *cap, size_t n, size_t elem);

/* ---- CL_MEM_USE_HOST_PTR (cl_remote_host_memory.c) ----------------------
 * PoCL uses such a buffer's host memory as the buffer itself, and programs
 * count on it (a kernel's result read straight from that memory). Judge
 * mode keeps it: before each enqueued command the host memory of every
 * live such buffer goes to the device (the bytes that changed become the
 * host's), and after it the bytes the command changed come back (and
 * count as read back). */

/* A buffer was created (sub: a sub-buffer, whose memory is its parent's);
 * host_ptr is NULL for a buffer without CL_MEM_USE_HOST_PTR. */
void host_memory_created(uint64_t id, void *host_ptr, size_t size, int sub);
void host_memory_retained(uint64_t id);
void host_memory_released(uint64_t id);
/* The host memory of a buffer created with CL_MEM_USE_HOST_PTR (its
 * region, for a sub-buffer), or NULL. */
void *use_host_ptr_of(uint64_t id);
/* Around each command enqueued on q. */
void host_memory_before(cl_command_queue q);
void host_memory_after(cl_command_queue q);

#endif

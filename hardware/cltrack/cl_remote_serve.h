/* cl_remote_serve.h: the requests the device side serves, one function
 * each (cl_remote_serve_objects.c, cl_remote_serve_commands.c), called by
 * cl_remote_serve's loop with the request's arguments and the reply to
 * fill. Each returns the call's status. */
#ifndef CLTRACK_CL_REMOTE_SERVE_H
#define CLTRACK_CL_REMOTE_SERVE_H

#include "cl_remote.h"
#include "cl_remote_protocol.h"

cl_int serve_platform_ids(wire_in *in, wire_out *out);
cl_int serve_device_ids(wire_in *in, wire_out *out);
cl_int serve_info(wire_in *in, wire_out *out);
cl_int serve_refcount(wire_in *in, int retain);
cl_int serve_create_context(wire_in *in, wire_out *out, int from_type);
cl_int serve_create_queue(wire_in *in, wire_out *out, int with_list);
cl_int serve_create_buffer(wire_in *in, wire_out *out);
cl_int serve_create_sub_buffer(wire_in *in, wire_out *out);
cl_int serve_create_program(wire_in *in, wire_out *out);
cl_int serve_build_program(wire_in *in);
cl_int serve_create_kernel(wire_in *in, wire_out *out);
cl_int serve_create_kernels_in_program(wire_in *in, wire_out *out);
cl_int serve_set_kernel_arg(wire_in *in);

/* Reads and maps (map = 1: the flags come first). */
cl_int serve_read(wire_in *in, wire_out *out, int map);
cl_int serve_write(wire_in *in, wire_out *out);
cl_int serve_copy(wire_in *in, wire_out *out);
cl_int serve_fill(wire_in *in, wire_out *out);
cl_int serve_unmap(wire_in *in, wire_out *out);
/* NDRange (task = 0) or task (task = 1). */
cl_int serve_launch(wire_in *in, wire_out *out, int task);
cl_int serve_sync_command(wire_in *in, wire_out *out, int barrier);
cl_int serve_wait(wire_in *in);
cl_int serve_queue_call(wire_in *in, int finish);
/* CL_MEM_USE_HOST_PTR memory before a command, changes after it. */
cl_int serve_host_memory_in(wire_in *in);
cl_int serve_host_memory_out(wire_in *in, wire_out *out);

#endif

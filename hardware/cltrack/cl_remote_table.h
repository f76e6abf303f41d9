/* cl_remote_table.h: the device side's record of one host process's
 * objects (cl_remote_serve.c): the ids handed out for the real OpenCL
 * objects, what each buffer and kernel needs for the origin of every byte
 * (origin_map.h), and this host's totals. All of it is in guarded memory,
 * at a constant address, read-only except while a request updates it. */
#ifndef CLTRACK_CL_REMOTE_TABLE_H
#define CLTRACK_CL_REMOTE_TABLE_H

#include "cl_remote.h"
#include "cl_remote_protocol.h"
#include "origin_map.h"

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
    /* a CL_MEM_USE_HOST_PTR root: its bytes as the host last had them
     * (malloc'd), or NULL */
    unsigned char *synced;
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

/* The id of objects[index]. */
uint64_t id_at(uint32_t index);
/* The error for an invalid object of kind (CL_INVALID_MEM_OBJECT, ...). */
cl_int invalid_object(enum cl_remote_kind kind);
/* The live object with this id and kind, or NULL. */
object *object_get(uint64_t id, enum cl_remote_kind kind);
uint32_t object_index(const object *o);
/* The real object of id (NULL for id 0); *ok = 0 when id is not a live
 * object of that kind. */
void *object_real(uint64_t id, enum cl_remote_kind kind, int *ok);
/* A new object for real (0 when the table is full). */
uint32_t object_add(void *real, enum cl_remote_kind kind);
/* The id of a real object: the live one that has it, or a new one. */
uint64_t object_id_for(void *real, enum cl_remote_kind kind);
/* A creating call's reply: the new object's id (out of memory when the
 * table is full). */
cl_int reply_created(wire_out *out, cl_int e, void *real,
                     enum cl_remote_kind kind);

/* A wait list from the request into events[] (*n of them, at most
 * MAX_LIST). */
cl_int wait_list(wire_in *in, cl_event *events, cl_uint *n);
/* An enqueue's reply starts with its event's id (0 when none). */
void out_event(wire_out *out, cl_int e, int want, cl_event ev);

/* Bytes [offset, offset + n) of buffer m were read back, with contents
 * bytes[0..n): to this host's totals and the report. */
void counted_read(const object *m, uint64_t offset, uint64_t n,
                  const unsigned char *bytes);
/* Adds the whole kernel-written words among map[0..n) to the report's
 * sample (origin_kernel_words). */
void sampled_read(const unsigned char *map, uint64_t at,
                  const unsigned char *bytes, const unsigned char *before,
                  size_t n);
/* The origin of byte offset of buffer m. */
unsigned char *origin_at(const object *m, uint64_t offset);
int in_range(const object *m, uint64_t offset, uint64_t n);

#endif

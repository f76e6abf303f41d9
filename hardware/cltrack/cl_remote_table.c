/* cl_remote_table.c: see cl_remote_table.h. */
#include "cl_remote_table.h"

#include "device_report.h"

#include <stdlib.h>
#include <string.h>

/* ---- ids and objects -------------------------------------------------------
 */

uint64_t id_at(uint32_t index)
{
    return CL_REMOTE_ID_BASE + 16 * (uint64_t)index;
}

cl_int invalid_object(enum cl_remote_kind kind)
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
object *object_get(uint64_t id, enum cl_remote_kind kind)
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

uint32_t object_index(const object *o)
{
    return (uint32_t)(o - T->objects);
}

/* The real object of id (NULL for id 0); *ok = 0 when id is not a live
 * object of that kind. */
void *object_real(uint64_t id, enum cl_remote_kind kind, int *ok)
{
    if (id == 0)
        return NULL;
    object *o = object_get(id, kind);
    if (o == NULL)
        *ok = 0;
    return o ? o->real : NULL;
}

/* A new object for real (0 when the table is full). */
uint32_t object_add(void *real, enum cl_remote_kind kind)
{
    if (T->count >= MAX_OBJECTS)
        return 0;
    uint32_t i = T->count++;
    T->objects[i] = (object){.real = real, .kind = kind, .refs = 1};
    return i;
}

/* The id of a real object: the live one that has it, or a new one
 * (platforms and devices are found by the real handle). */
uint64_t object_id_for(void *real, enum cl_remote_kind kind)
{
    if (real == NULL)
        return 0;
    for (uint32_t i = T->count; i-- > 1;)
        if (T->objects[i].real == real && T->objects[i].kind == kind &&
            T->objects[i].refs > 0)
            return id_at(i);
    return id_at(object_add(real, kind));
}

/* A wait list from the request into events[] (*n of them). */
cl_int wait_list(wire_in *in, cl_event *events, cl_uint *n)
{
    uint64_t count = in_u64(in);
    int null_list = (int)in_u64(in);
    *n = 0;
    if (null_list || count > MAX_LIST)
        return CL_INVALID_EVENT_WAIT_LIST;
    for (uint64_t i = 0; i < count; i++) {
        object *e = object_get(in_u64(in), KIND_EVENT);
        if (e == NULL)
            return CL_INVALID_EVENT_WAIT_LIST;
        events[(*n)++] = e->real;
    }
    return in->bad ? CL_INVALID_VALUE : CL_SUCCESS;
}

/* An enqueue's reply starts with its event's id (0 when none). */
void out_event(wire_out *out, cl_int e, int want, cl_event ev)
{
    out_u64(out,
            e == CL_SUCCESS && want ? id_at(object_add(ev, KIND_EVENT)) : 0);
}

/* ---- this host's totals --------------------------------------------------
 */

/* bytes [offset, offset + n) of buffer m were read back. */
void sampled_read(const unsigned char *map, uint64_t at,
                  const unsigned char *bytes, const unsigned char *before,
                  size_t n)
{
    uint32_t *words = malloc((n / ORIGIN_WORD + 1) * sizeof *words);
    if (words == NULL) {
        report_fault("judge mode: out of memory for the kernel words sample");
        return;
    }
    report_sample(words, origin_kernel_words(map, at, bytes, before, n, words));
    free(words);
}

void counted_read(const object *m, uint64_t offset, uint64_t n,
                  const unsigned char *bytes)
{
    const object *root = &T->objects[m->root];
    uint64_t k = 0, h = 0;
    origin_count(root->origin + m->offset + offset, n, &k, &h);
    sampled_read(root->origin + m->offset + offset, m->offset + offset, bytes,
                 NULL, n);
    T->kernel_bytes += k;
    T->host_bytes += h;
    report_add(TOTAL_KERNEL_TO_HOST, k);
    report_add(TOTAL_HOST_TO_HOST, h);
    report_add(TOTAL_DEVICE_TO_HOST, n);
}

unsigned char *origin_at(const object *m, uint64_t offset)
{
    return T->objects[m->root].origin + m->offset + offset;
}

int in_range(const object *m, uint64_t offset, uint64_t n)
{
    return offset <= m->size && n <= m->size - offset;
}

cl_int reply_created(wire_out *out, cl_int e, void *real,
                     enum cl_remote_kind kind)
{
    uint32_t i = e == CL_SUCCESS && real != NULL ? object_add(real, kind) : 0;
    if (e == CL_SUCCESS && real != NULL && i == 0)
        return CL_OUT_OF_HOST_MEMORY;
    out_u64(out, i ? id_at(i) : 0);
    return e;
}

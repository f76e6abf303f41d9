/* cl_remote_host_memory.c: judge mode's host side of CL_MEM_USE_HOST_PTR
 * buffers (cl_remote_client.h): their host memory is sent to the device
 * before each command and what the command changed comes back after it,
 * as if the device used that memory itself (PoCL does). */
#include "cl_remote_client.h"

#include <pthread.h>
#include <string.h>

typedef struct {
    uint64_t id;
    unsigned char *host_ptr; /* NULL: not CL_MEM_USE_HOST_PTR */
    size_t size;
    int sub;            /* a sub-buffer: its parent's memory is synced */
    unsigned long refs; /* 0: released, its memory no longer touched */
} host_buffer;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static host_buffer *g_buffers;
static size_t g_count, g_cap;

void host_memory_created(uint64_t id, void *host_ptr, size_t size, int sub)
{
    if (host_ptr == NULL)
        return;
    pthread_mutex_lock(&g_lock);
    g_buffers = remote_grow(g_buffers, &g_cap, g_count, sizeof *g_buffers);
    g_buffers[g_count++] = (host_buffer){id, host_ptr, size, sub, 1};
    pthread_mutex_unlock(&g_lock);
}

static host_buffer *find(uint64_t id)
{
    for (size_t i = 0; i < g_count; i++)
        if (g_buffers[i].id == id && g_buffers[i].refs > 0)
            return &g_buffers[i];
    return NULL;
}

void host_memory_retained(uint64_t id)
{
    pthread_mutex_lock(&g_lock);
    host_buffer *b = find(id);
    if (b != NULL)
        b->refs++;
    pthread_mutex_unlock(&g_lock);
}

void host_memory_released(uint64_t id)
{
    pthread_mutex_lock(&g_lock);
    host_buffer *b = find(id);
    if (b != NULL && --b->refs == 0)
        *b = g_buffers[--g_count];
    pthread_mutex_unlock(&g_lock);
}

void *use_host_ptr_of(uint64_t id)
{
    pthread_mutex_lock(&g_lock);
    host_buffer *b = find(id);
    void *p = b ? b->host_ptr : NULL;
    pthread_mutex_unlock(&g_lock);
    return p;
}

/* The buffers whose memory is synced (roots), counted. */
static size_t synced(void)
{
    size_t n = 0;
    for (size_t i = 0; i < g_count; i++)
        n += !g_buffers[i].sub;
    return n;
}

void host_memory_before(cl_command_queue q)
{
    pthread_mutex_lock(&g_lock);
    size_t n = synced();
    if (n == 0) {
        pthread_mutex_unlock(&g_lock);
        return;
    }
    wire_out o = {0};
    out_u64(&o, id_of(q));
    out_u64(&o, n);
    for (size_t i = 0; i < g_count; i++)
        if (!g_buffers[i].sub) {
            out_u64(&o, g_buffers[i].id);
            out_blob(&o, g_buffers[i].host_ptr, g_buffers[i].size);
        }
    pthread_mutex_unlock(&g_lock);
    remote_call_status(OP_HOST_MEMORY_IN, &o);
}

void host_memory_after(cl_command_queue q)
{
    pthread_mutex_lock(&g_lock);
    size_t n = synced();
    pthread_mutex_unlock(&g_lock);
    if (n == 0)
        return;
    wire_out o = {0};
    out_u64(&o, id_of(q));
    reply r;
    remote_call(OP_HOST_MEMORY_OUT, &o, &r);
    /* (id, the buffer's bytes) for each buffer the command changed */
    for (uint64_t k = in_u64(&r.in); k > 0 && !r.in.bad; k--) {
        uint64_t id = in_u64(&r.in);
        size_t got = 0;
        const void *bytes = in_blob(&r.in, &got);
        pthread_mutex_lock(&g_lock);
        host_buffer *b = find(id);
        if (b != NULL && bytes != NULL && got == b->size)
            memcpy(b->host_ptr, bytes, got);
        pthread_mutex_unlock(&g_lock);
    }
    reply_done(&r);
}

/* buffer_origin.c: see buffer_origin.h. Tables are small (a test makes a
 * few buffers and kernels), so they are searched linearly. */
#include "buffer_origin.h"

#include "cl_remote.h"

#include <pthread.h>
#include <stdlib.h>

enum writer { NOBODY, HOST, KERNEL };

typedef struct {
    const void *buffer;
    enum writer by;
} buffer_entry;

typedef struct {
    const void *kernel;
    unsigned index;
    const void *buffer;
} arg_entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static buffer_entry *buffers;
static size_t nbuffers, cap_buffers;
static arg_entry *args;
static size_t nargs, cap_args;
static unsigned long long kernel_total, host_total;

/* The entry of buffer, made when `make` (NULL when out of memory). */
static buffer_entry *entry_of(const void *buffer, int make)
{
    for (size_t i = 0; i < nbuffers; i++)
        if (buffers[i].buffer == buffer)
            return &buffers[i];
    if (!make || buffer == NULL)
        return NULL;
    if (nbuffers == cap_buffers) {
        size_t cap = cap_buffers ? 2 * cap_buffers : 64;
        buffer_entry *b = realloc(buffers, cap * sizeof *b);
        if (b == NULL)
            return NULL;
        buffers = b;
        cap_buffers = cap;
    }
    buffers[nbuffers] = (buffer_entry){buffer, NOBODY};
    return &buffers[nbuffers++];
}

static void set_writer(const void *buffer, enum writer by)
{
    buffer_entry *e = entry_of(buffer, 1);
    if (e != NULL)
        e->by = by;
}

void origin_created(const void *buffer, int from_host)
{
    pthread_mutex_lock(&lock);
    set_writer(buffer, from_host ? HOST : NOBODY);
    pthread_mutex_unlock(&lock);
}

void origin_host_wrote(const void *buffer)
{
    pthread_mutex_lock(&lock);
    set_writer(buffer, HOST);
    pthread_mutex_unlock(&lock);
}

void origin_copied(const void *dst, const void *src)
{
    pthread_mutex_lock(&lock);
    const buffer_entry *s = entry_of(src, 0);
    set_writer(dst, s ? s->by : NOBODY);
    pthread_mutex_unlock(&lock);
}

void origin_kernel_arg(const void *kernel, unsigned index, size_t size,
                       const void *value)
{
    pthread_mutex_lock(&lock);
    const void *buffer = NULL;
    if (value != NULL && size == sizeof buffer) {
        const void *const *p = value;
        if (entry_of(*p, 0) != NULL)
            buffer = *p;
    }
    size_t i = 0;
    while (i < nargs && !(args[i].kernel == kernel && args[i].index == index))
        i++;
    if (i == nargs && buffer != NULL && nargs == cap_args) {
        size_t cap = cap_args ? 2 * cap_args : 64;
        arg_entry *a = realloc(args, cap * sizeof *a);
        if (a != NULL) {
            args = a;
            cap_args = cap;
        }
    }
    if (i < nargs)
        args[i].buffer = buffer;
    else if (buffer != NULL && nargs < cap_args)
        args[nargs++] = (arg_entry){kernel, index, buffer};
    pthread_mutex_unlock(&lock);
}

void origin_kernel_enqueued(const void *kernel)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nargs; i++)
        if (args[i].kernel == kernel && args[i].buffer != NULL)
            set_writer(args[i].buffer, KERNEL);
    pthread_mutex_unlock(&lock);
}

void origin_read(const void *buffer, size_t bytes)
{
    pthread_mutex_lock(&lock);
    const buffer_entry *e = entry_of(buffer, 0);
    if (e != NULL && e->by == KERNEL)
        kernel_total += bytes;
    else if (e != NULL && e->by == HOST)
        host_total += bytes;
    pthread_mutex_unlock(&lock);
}

int llmlings_gpu_origin(unsigned long long *kernel_bytes,
                        unsigned long long *host_bytes)
{
    if (cltrack_remote_active()) { /* the device process counts */
        cl_remote_gpu_origin(kernel_bytes, host_bytes);
        return 1;
    }
    pthread_mutex_lock(&lock);
    *kernel_bytes = kernel_total;
    *host_bytes = host_total;
    pthread_mutex_unlock(&lock);
    return 1;
}

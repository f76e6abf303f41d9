/* registry.c: see registry.h and cltrack.h. */
#define _GNU_SOURCE
#include "registry.h"

#include "cltrack.h"
#include "symbolize.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Objects whose description a report spells out; the rest are counted. */
enum { SHOWN = 6 };

typedef struct {
    const void *handle;
    enum cltrack_kind kind;
    const char *call;
    const void *caller;
    unsigned long long seq; /* objects created before it */
    unsigned long refs;     /* references the program holds */
} object;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static object *objects;
static size_t count, cap;
static unsigned long long created_so_far;

static const char *type_name(enum cltrack_kind k)
{
    static const char *const names[] = {
        "cl_context", "cl_command_queue", "cl_mem",
        "cl_program", "cl_kernel",        "cl_event",
        "cl_sampler", "cl_device_id",     "SVM buffer"};
    return names[k];
}

static const char *release_call(enum cltrack_kind k)
{
    static const char *const calls[] = {
        "clReleaseContext", "clReleaseCommandQueue", "clReleaseMemObject",
        "clReleaseProgram", "clReleaseKernel",       "clReleaseEvent",
        "clReleaseSampler", "clReleaseDevice",       "clSVMFree"};
    return calls[k];
}

/* The live object with this handle, or NULL. Called with lock held. */
static object *find(const void *handle)
{
    for (size_t i = 0; i < count; i++)
        if (objects[i].handle == handle)
            return &objects[i];
    return NULL;
}

void cltrack_created(const void *handle, enum cltrack_kind kind,
                     const char *call, const void *caller)
{
    if (handle == NULL)
        return;
    pthread_mutex_lock(&lock);
    object *o = find(handle); /* a handle reused after its release */
    if (o == NULL && count == cap) {
        size_t grown = cap ? 2 * cap : 64;
        object *p = realloc(objects, grown * sizeof *p);
        if (p != NULL) {
            objects = p;
            cap = grown;
        }
    }
    if (o == NULL && count < cap)
        o = &objects[count++];
    if (o != NULL)
        *o = (object){handle, kind, call, caller, created_so_far, 1};
    created_so_far++;
    pthread_mutex_unlock(&lock);
}

void cltrack_retained(const void *handle)
{
    pthread_mutex_lock(&lock);
    object *o = find(handle);
    if (o != NULL)
        o->refs++;
    pthread_mutex_unlock(&lock);
}

void cltrack_released(const void *handle)
{
    pthread_mutex_lock(&lock);
    object *o = find(handle);
    if (o != NULL && --o->refs == 0)
        *o = objects[--count];
    pthread_mutex_unlock(&lock);
}

unsigned long long cltrack_mark(void)
{
    pthread_mutex_lock(&lock);
    unsigned long long m = created_so_far;
    pthread_mutex_unlock(&lock);
    return m;
}

/* "vadd_host.c:182" for the caller of an OpenCL call, or "". */
static void source_line(const void *caller, char *out, size_t cap_out)
{
    struct cudasim_location loc;
    out[0] = '\0';
    if (caller == NULL || !cudasim_symbolize((uintptr_t)caller - 1, &loc))
        return;
    const char *base = strrchr(loc.where, '/');
    snprintf(out, cap_out, " at %s", base ? base + 1 : loc.where);
}

size_t cltrack_unreleased_since(unsigned long long mark, char *msg,
                                size_t cap_msg)
{
    pthread_mutex_lock(&lock);
    size_t n = 0, len = 0;
    char list[2048] = "";
    for (size_t i = 0; i < count; i++) {
        const object *o = &objects[i];
        if (o->seq < mark)
            continue;
        if (n++ >= SHOWN)
            continue;
        char where[300];
        source_line(o->caller, where, sizeof where);
        int k = snprintf(list + len, sizeof list - len, "%sa %s from %s%s (%s)",
                         n > 1 ? "; " : "", type_name(o->kind), o->call, where,
                         release_call(o->kind));
        if (k > 0)
            len += (size_t)k < sizeof list - len ? (size_t)k
                                                 : sizeof list - len - 1;
    }
    pthread_mutex_unlock(&lock);
    if (cap_msg == 0)
        return n;
    if (n == 0)
        msg[0] = '\0';
    else
        snprintf(msg, cap_msg,
                 "%zu OpenCL object%s never released: %s%s; release each "
                 "before returning, on every path (errors included)",
                 n, n == 1 ? "" : "s", list, n > SHOWN ? "; ..." : "");
    return n;
}

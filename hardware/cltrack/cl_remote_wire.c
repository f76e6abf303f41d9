/* cl_remote_wire.c: see cl_remote_protocol.h. */
#include "cl_remote_protocol.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void out_raw(wire_out *o, const void *p, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n)
            cap *= 2;
        unsigned char *d = realloc(o->data, cap);
        if (d == NULL) {
            o->failed = 1;
            return;
        }
        o->data = d;
        o->cap = cap;
    }
    if (n > 0)
        memcpy(o->data + o->len, p, n);
    o->len += n;
}

void out_u64(wire_out *o, uint64_t v)
{
    out_raw(o, &v, sizeof v);
}

void out_blob(wire_out *o, const void *p, size_t n)
{
    out_u64(o, n);
    out_raw(o, p, n);
}

void out_free(wire_out *o)
{
    free(o->data);
    *o = (wire_out){0};
}

uint64_t in_u64(wire_in *in)
{
    uint64_t v = 0;
    if ((size_t)(in->end - in->p) < sizeof v) {
        in->bad = 1;
        return 0;
    }
    memcpy(&v, in->p, sizeof v);
    in->p += sizeof v;
    return v;
}

const void *in_blob(wire_in *in, size_t *n)
{
    uint64_t len = in_u64(in);
    *n = 0;
    if (in->bad || (uint64_t)(in->end - in->p) < len) {
        in->bad = 1;
        return NULL;
    }
    const void *p = in->p;
    in->p += len;
    *n = (size_t)len;
    return p;
}

static int send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

static int recv_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n > 0) {
        ssize_t k = read(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

int wire_send(int fd, uint32_t op, int32_t status, const wire_out *o)
{
    if (o != NULL && o->failed)
        return -1;
    wire_header h = {op, status, o ? o->len : 0};
    if (send_all(fd, &h, sizeof h) != 0)
        return -1;
    return h.len ? send_all(fd, o->data, o->len) : 0;
}

int wire_recv(int fd, wire_header *h, unsigned char **data)
{
    *data = NULL;
    if (recv_all(fd, h, sizeof *h) != 0 || h->len > CL_REMOTE_MAX_MESSAGE)
        return -1;
    *data = malloc(h->len ? h->len : 1);
    if (*data == NULL || recv_all(fd, *data, h->len) != 0) {
        free(*data);
        *data = NULL;
        return -1;
    }
    return 0;
}

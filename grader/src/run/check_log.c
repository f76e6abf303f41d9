/* check_log.c: see check_log.h. */
#include "run/check_log.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

enum {
    MAGIC = 0x424f4c4c,
    HEAD_SIZE = 24, /* u32 magic, u8 role, u8 kind, u16 site_len,
                       u32 what_len, u32 reserved, u64 n */
    SITE_MAX = 512,
    WHAT_MAX = 4096,
};

/* A cursor over the bytes still unread. */
typedef struct {
    const unsigned char *p;
    size_t left;
} cursor;

static int take(cursor *c, void *out, size_t n)
{
    if (c->left < n)
        return -1;
    if (out != NULL)
        memcpy(out, c->p, n);
    c->p += n;
    c->left -= n;
    return 0;
}

/* A view of n bytes at the cursor, moved past them. */
static const void *view(cursor *c, size_t n)
{
    if (c->left < n)
        return NULL;
    const void *v = c->p;
    c->p += n;
    c->left -= n;
    return v;
}

/* n elements of `size` bytes, without overflowing the multiplication. */
static const void *view_array(cursor *c, uint64_t n, size_t size)
{
    if (n > c->left / size)
        return NULL;
    return view(c, (size_t)n * size);
}

static int scalar_value(cursor *c, check_record *r)
{
    switch (r->kind) {
    case CHECK_BOOL:
    case CHECK_INT:
    case CHECK_PTRDIFF:
    case CHECK_NULLNESS: return take(c, &r->i64, sizeof r->i64);
    case CHECK_UINT: return take(c, &r->u64, sizeof r->u64);
    case CHECK_DOUBLE:
        if (take(c, &r->f64, sizeof r->f64) != 0)
            return -1;
        return r->role == CHECK_ROLE_EXPECT ? take(c, &r->tol, sizeof r->tol)
                                            : 0;
    default: return -1;
    }
}

static int array_value(cursor *c, check_record *r)
{
    switch (r->kind) {
    case CHECK_STR:
        if (r->n == UINT64_MAX) {
            r->is_null = 1;
            r->n = 0;
            return 0;
        }
        r->values = view_array(c, r->n, 1);
        return r->values == NULL && r->n > 0 ? -1 : 0;
    case CHECK_BYTES:
        r->values = view_array(c, r->n, 1);
        return r->values == NULL && r->n > 0 ? -1 : 0;
    case CHECK_FLOATS:
    case CHECK_FLOATS_TOL:
        r->values = view_array(c, r->n, sizeof(float));
        if (r->values == NULL && r->n > 0)
            return -1;
        if (r->role != CHECK_ROLE_EXPECT)
            return 0;
        if (r->kind == CHECK_FLOATS)
            return take(c, &r->atol, sizeof r->atol) == 0 &&
                           take(c, &r->rtol, sizeof r->rtol) == 0
                       ? 0
                       : -1;
        r->bounds = view_array(c, r->n, sizeof(float));
        return r->bounds == NULL && r->n > 0 ? -1 : 0;
    default: return -1;
    }
}

static int is_scalar(check_kind k)
{
    return k == CHECK_BOOL || k == CHECK_INT || k == CHECK_UINT ||
           k == CHECK_PTRDIFF || k == CHECK_NULLNESS || k == CHECK_DOUBLE;
}

/* A GPU work record's two counts into log. */
static int gpu_work(cursor *c, const check_record *r, check_log *log)
{
    uint64_t v[2];
    if (r->kind != CHECK_UINT || r->n != 2 || take(c, v, sizeof v) != 0)
        return -1;
    log->gpu_records++;
    log->gpu_kernel_bytes = v[0];
    log->gpu_host_bytes = v[1];
    return 2;
}

/* Reads one record; 1 for a check, 0 for the end record, 2 for a GPU work
 * record (into log), -1 malformed. */
static int read_record(cursor *c, check_record *r, check_log *log)
{
    unsigned char head[HEAD_SIZE];
    if (take(c, head, sizeof head) != 0)
        return -1;
    uint32_t magic, what_len;
    uint16_t site_len;
    memcpy(&magic, head, 4);
    memcpy(&site_len, head + 6, 2);
    memcpy(&what_len, head + 8, 4);
    memcpy(&r->n, head + 16, 8);
    r->role = (check_role)head[4];
    r->kind = (check_kind)head[5];
    if (magic != MAGIC || site_len > SITE_MAX || what_len > WHAT_MAX)
        return -1;
    r->site_len = site_len;
    r->what_len = what_len;
    r->site = view(c, site_len);
    r->what = view(c, what_len);
    if ((r->site == NULL && site_len) || (r->what == NULL && what_len))
        return -1;
    if (r->role == CHECK_ROLE_END)
        return 0;
    if (r->role == CHECK_ROLE_GPU_WORK)
        return gpu_work(c, r, log);
    if (r->role != CHECK_ROLE_OBSERVE && r->role != CHECK_ROLE_EXPECT)
        return -1;
    if (is_scalar(r->kind))
        return r->n == 1 && scalar_value(c, r) == 0 ? 1 : -1;
    return array_value(c, r) == 0 ? 1 : -1;
}

int check_log_parse(const void *buf, size_t len, check_log *log)
{
    memset(log, 0, sizeof *log);
    cursor c = {buf, len};
    size_t cap = 0;
    while (c.left > 0) {
        check_record r;
        memset(&r, 0, sizeof r);
        const int got = read_record(&c, &r, log);
        if (got < 0) {
            log->corrupt = 1;
            return 0;
        }
        if (got == 0) {
            log->ended = 1;
            continue;
        }
        if (got == 2)
            continue;
        if (log->n == CHECK_LOG_MAX_RECORDS) {
            log->corrupt = 1;
            return -1;
        }
        if (log->n == cap) {
            cap = cap ? cap * 2 : 64;
            log->rec = xreallocarray(log->rec, cap, sizeof *log->rec);
        }
        log->rec[log->n++] = r;
    }
    return 0;
}

void check_log_free(check_log *log)
{
    free(log->rec);
    memset(log, 0, sizeof *log);
}

const char *check_kind_name(check_kind kind)
{
    static const char *const names[] = {
        [CHECK_BOOL] = "condition",         [CHECK_INT] = "integer",
        [CHECK_UINT] = "unsigned",          [CHECK_PTRDIFF] = "pointer",
        [CHECK_NULLNESS] = "NULL",          [CHECK_STR] = "string",
        [CHECK_DOUBLE] = "float",           [CHECK_FLOATS] = "float array",
        [CHECK_FLOATS_TOL] = "float array", [CHECK_BYTES] = "byte buffer",
    };
    if ((unsigned)kind < sizeof names / sizeof *names && names[kind])
        return names[kind];
    return "unknown";
}

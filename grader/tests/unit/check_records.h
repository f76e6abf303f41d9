/* check_records.h: an encoder of the harness's binary check records for
 * the unit tests, written from the format documented in
 * exercises/common/llmlings_harness.c ("check records"), so a change of the
 * format on one side only fails the tests. */
#ifndef TEST_CHECK_RECORDS_H
#define TEST_CHECK_RECORDS_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run/check_log.h"

typedef struct {
    unsigned char *data;
    size_t len;
} buf;

static inline void put(buf *b, const void *p, size_t n)
{
    b->data = realloc(b->data, b->len + n + 1);
    cr_assert_not_null(b->data);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static inline void head(buf *b, int role, int kind, const char *site,
                        const char *what, uint64_t n)
{
    const uint32_t magic = 0x424f4c4c, what_len = (uint32_t)strlen(what),
                   reserved = 0;
    const uint16_t site_len = (uint16_t)strlen(site);
    const uint8_t r = (uint8_t)role, k = (uint8_t)kind;
    put(b, &magic, 4);
    put(b, &r, 1);
    put(b, &k, 1);
    put(b, &site_len, 2);
    put(b, &what_len, 4);
    put(b, &reserved, 4);
    put(b, &n, 8);
    put(b, site, site_len);
    put(b, what, what_len);
}

static inline void i64_rec(buf *b, int role, int kind, const char *site,
                           const char *what, int64_t v)
{
    head(b, role, kind, site, role == 2 ? what : "", 1);
    put(b, &v, 8);
}

static inline void double_rec(buf *b, int role, const char *site, double v,
                              double tol)
{
    head(b, role, CHECK_DOUBLE, site, role == 2 ? "x" : "", 1);
    put(b, &v, 8);
    if (role == 2)
        put(b, &tol, 8);
}

static inline void floats_expect(buf *b, const char *site, const float *v,
                                 size_t n, float atol, float rtol)
{
    head(b, 2, CHECK_FLOATS, site, "v", n);
    put(b, v, n * sizeof *v);
    put(b, &atol, 4);
    put(b, &rtol, 4);
}

static inline void floats_tol_expect(buf *b, const char *site, const float *v,
                                     const float *tol, size_t n)
{
    head(b, 2, CHECK_FLOATS_TOL, site, "v", n);
    put(b, v, n * sizeof *v);
    put(b, tol, n * sizeof *tol);
}

static inline void floats_observe(buf *b, const char *site, const float *v,
                                  size_t n)
{
    head(b, 1, CHECK_FLOATS, site, "", n);
    put(b, v, n * sizeof *v);
}

static inline void str_rec(buf *b, int role, const char *site, const char *s)
{
    const uint64_t n = s ? strlen(s) : UINT64_MAX;
    head(b, role, CHECK_STR, site, role == 2 ? "s" : "", n);
    if (s)
        put(b, s, strlen(s));
}

static inline void end_rec(buf *b)
{
    head(b, 3, 0, "", "", 0);
}

/* A GPU work record: bytes copied back that a kernel wrote, that only host
 * code wrote. */
static inline void gpu_rec(buf *b, uint64_t kernel, uint64_t host)
{
    head(b, 4, 3, "", "", 2);
    put(b, &kernel, 8);
    put(b, &host, 8);
}

#endif

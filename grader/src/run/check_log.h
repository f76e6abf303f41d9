/* check_log.h: reading the binary check records a test writes in judge mode
 * (LL_OBS_FILE; the format is documented in exercises/common/
 * llmlings_harness.c, "check records").
 *
 * A log is a sequence of records, one per check in the order the checks
 * ran, plus an end record when the test body returned. Observation logs
 * come from processes that run student code, so every length is checked
 * against the bytes that are really there: a malformed log parses up to
 * the first bad record and is marked corrupt, never read past its end. */
#ifndef GRADER_CHECK_LOG_H
#define GRADER_CHECK_LOG_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CHECK_ROLE_OBSERVE = 1,  /* the actual side, from the -DLL_OBSERVE build */
    CHECK_ROLE_EXPECT = 2,   /* the expected side, from the reference build */
    CHECK_ROLE_END = 3,      /* the test body returned */
    CHECK_ROLE_GPU_WORK = 4, /* what the GPU runtime saw copied back */
} check_role;

typedef enum {
    CHECK_BOOL = 1,
    CHECK_INT = 2,
    CHECK_UINT = 3,
    CHECK_PTRDIFF = 4,
    CHECK_NULLNESS = 5,
    CHECK_STR = 6,
    CHECK_DOUBLE = 7,
    CHECK_FLOATS = 8,     /* expected: n floats, atol, rtol */
    CHECK_FLOATS_TOL = 9, /* expected: n floats, n bounds */
    CHECK_BYTES = 10,
} check_kind;

/* One check. Pointers are views into the buffer given to check_log_parse:
 * they live as long as it does. Numbers are copied out (the buffer need
 * not be aligned). */
typedef struct {
    check_role role;
    check_kind kind;
    const char *site; /* "file.c:line", not NUL-terminated */
    size_t site_len;
    const char *what; /* expectations only, not NUL-terminated */
    size_t what_len;
    uint64_t n;         /* elements: floats, bytes, string length */
    int is_null;        /* CHECK_STR: the string was NULL */
    const void *values; /* the n elements (floats, bytes, chars) */
    int64_t i64;        /* BOOL, INT, PTRDIFF, NULLNESS */
    uint64_t u64;       /* UINT */
    double f64;         /* DOUBLE: the value */
    double tol;         /* DOUBLE expectations: the tolerance */
    float atol, rtol;   /* FLOATS expectations */
    const void *bounds; /* FLOATS_TOL expectations: n floats */
} check_record;

typedef struct {
    check_record *rec; /* checks only; the end record sets `ended` */
    size_t n;
    int ended;   /* an end record was seen */
    int corrupt; /* parsing stopped at a malformed record */
    /* GPU work records (the CUDA simulator, cltrack): how many, and the
     * last one's bytes copied back to the host that a kernel wrote and
     * that only host code wrote */
    int gpu_records;
    uint64_t gpu_kernel_bytes, gpu_host_bytes;
} check_log;

enum { CHECK_LOG_MAX_RECORDS = 1 << 22 };

/* Parses buf[0..len); the log's views point into buf. Always fills *log
 * (possibly empty, possibly corrupt); returns 0, or -1 when there were more
 * than CHECK_LOG_MAX_RECORDS records (the rest is ignored, corrupt set).
 * The caller frees with check_log_free and keeps buf alive meanwhile. */
int check_log_parse(const void *buf, size_t len, check_log *log);
void check_log_free(check_log *log);

/* The kind's name for messages ("bool", "floats", ...). */
const char *check_kind_name(check_kind kind);

#endif

/* judge_compare.c: see judge_compare.h. */
#include "grade/judge_compare.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "base/utf8.h"

enum { SHOWN_STRING_MAX = 160 };

static float float_at(const void *values, size_t i)
{
    float f;
    memcpy(&f, (const unsigned char *)values + i * sizeof f, sizeof f);
    return f;
}

/* The harness's rule: equal, both NaN, or within the bound. */
static int near(double a, double e, double bound)
{
    return (isnan(a) && isnan(e)) || a == e || fabs(a - e) <= bound;
}

/* Appends bytes as valid UTF-8 on one line: newlines and tabs shown as
 * \n and \t, other control characters replaced (utf8_sanitize). */
static void put_text(strbuf *sb, const char *s, size_t len)
{
    char *clean = utf8_sanitize(s, len);
    for (const char *p = clean; *p; p++) {
        if (*p == '\n')
            sb_puts(sb, "\\n");
        else if (*p == '\t')
            sb_puts(sb, "\\t");
        else
            sb_append(sb, p, 1);
    }
    free(clean);
}

/* Appends "file.c:12: what" to sb. */
static void put_where(strbuf *sb, const check_record *e)
{
    put_text(sb, e->site, e->site_len);
    sb_puts(sb, ": ");
    put_text(sb, e->what, e->what_len);
}

static void put_string(strbuf *sb, const check_record *r)
{
    if (r->is_null) {
        sb_puts(sb, "NULL");
        return;
    }
    const size_t shown =
        r->n > SHOWN_STRING_MAX ? SHOWN_STRING_MAX : (size_t)r->n;
    sb_puts(sb, "\"");
    put_text(sb, r->values, shown);
    sb_puts(sb, r->n > shown ? "...\"" : "\"");
}

/* Index of the first element of o outside e's tolerance, or n. */
static size_t first_bad_float(const check_record *e, const check_record *o)
{
    for (size_t i = 0; i < e->n; i++) {
        const double a = float_at(o->values, i), x = float_at(e->values, i);
        const double bound = e->kind == CHECK_FLOATS_TOL
                                 ? (double)float_at(e->bounds, i)
                                 : (double)e->atol + e->rtol * fabs(x);
        if (!near(a, x, bound))
            return i;
    }
    return e->n;
}

static int floats_match(const check_record *e, const check_record *o,
                        strbuf *why)
{
    if (o->n != e->n) {
        sb_printf(why, ": expected %" PRIu64 " floats, got %" PRIu64, e->n,
                  o->n);
        return 0;
    }
    const size_t i = first_bad_float(e, o);
    if (i == e->n)
        return 1;
    const double a = float_at(o->values, i), x = float_at(e->values, i);
    if (e->kind == CHECK_FLOATS_TOL)
        sb_printf(why, ": element [%zu] expected %.9g (within %.3g), got %.9g",
                  i, x, (double)float_at(e->bounds, i), a);
    else
        sb_printf(why,
                  ": element [%zu] expected %.9g, got %.9g (tolerance %.3g + "
                  "%.3g*|expected|)",
                  i, x, a, (double)e->atol, (double)e->rtol);
    return 0;
}

static int bytes_match(const check_record *e, const check_record *o,
                       strbuf *why)
{
    if (o->n != e->n) {
        sb_printf(why, ": expected %" PRIu64 " bytes, got %" PRIu64, e->n,
                  o->n);
        return 0;
    }
    const unsigned char *x = e->values, *a = o->values;
    for (size_t i = 0; i < e->n; i++)
        if (a[i] != x[i]) {
            sb_printf(why,
                      ": byte %zu of %" PRIu64 ": expected 0x%02x, got 0x%02x",
                      i, e->n, x[i], a[i]);
            return 0;
        }
    return 1;
}

static int string_match(const check_record *e, const check_record *o,
                        strbuf *why)
{
    if (e->is_null == o->is_null && e->n == o->n &&
        (e->n == 0 || memcmp(e->values, o->values, (size_t)e->n) == 0))
        return 1;
    sb_puts(why, ": expected ");
    put_string(why, e);
    sb_puts(why, ", got ");
    put_string(why, o);
    return 0;
}

static int scalar_match(const check_record *e, const check_record *o,
                        strbuf *why)
{
    switch (e->kind) {
    case CHECK_BOOL:
        if (o->i64 == 1)
            return 1;
        sb_puts(why, " was false");
        return 0;
    case CHECK_INT:
        if (o->i64 == e->i64)
            return 1;
        sb_printf(why, ": expected %" PRId64 ", got %" PRId64, e->i64, o->i64);
        return 0;
    case CHECK_UINT:
        if (o->u64 == e->u64)
            return 1;
        sb_printf(why,
                  ": expected %" PRIu64 " (0x%" PRIx64 "), got %" PRIu64
                  " (0x%" PRIx64 ")",
                  e->u64, e->u64, o->u64, o->u64);
        return 0;
    case CHECK_PTRDIFF:
        if (o->i64 == 0)
            return 1;
        sb_printf(why,
                  ": expected the pointer the test names, got one %+" PRId64
                  " bytes away",
                  o->i64);
        return 0;
    case CHECK_NULLNESS:
        if ((o->i64 != 0) == (e->i64 != 0))
            return 1;
        sb_puts(why, e->i64 ? ": expected NULL, got a pointer"
                            : ": expected a non-NULL pointer, got NULL");
        return 0;
    case CHECK_DOUBLE:
        if (near(o->f64, e->f64, e->tol))
            return 1;
        sb_printf(why, ": expected %.9g (within %.3g), got %.9g", e->f64,
                  e->tol, o->f64);
        return 0;
    default: return 0;
    }
}

/* Kinds that may stand for each other: the observing build records every
 * float array as FLOATS, whichever check compares it. */
static int kinds_agree(const check_record *e, const check_record *o)
{
    if (e->kind == CHECK_FLOATS_TOL)
        return o->kind == CHECK_FLOATS;
    return e->kind == o->kind;
}

/* 1 when o meets e; else 0 with the reason appended to why (after the
 * "file.c:12: what" prefix the caller wrote). */
static int record_match(const check_record *e, const check_record *o,
                        strbuf *why)
{
    if (o->site_len != e->site_len ||
        memcmp(o->site, e->site, e->site_len) != 0) {
        sb_puts(why, ": the checks ran in another order (this check should "
                     "come next, got the one at ");
        put_text(why, o->site, o->site_len);
        sb_puts(why, ")");
        return 0;
    }
    if (!kinds_agree(e, o)) {
        sb_printf(why, ": expected a %s, got a %s", check_kind_name(e->kind),
                  check_kind_name(o->kind));
        return 0;
    }
    switch (e->kind) {
    case CHECK_STR: return string_match(e, o, why);
    case CHECK_BYTES: return bytes_match(e, o, why);
    case CHECK_FLOATS:
    case CHECK_FLOATS_TOL: return floats_match(e, o, why);
    default: return scalar_match(e, o, why);
    }
}

static void set_outcome(judge_outcome *out, judge_status status, size_t matched,
                        strbuf *msg)
{
    out->status = status;
    out->matched = matched;
    out->message = status == JUDGE_MATCH ? NULL : sb_steal(msg);
    sb_free(msg);
}

void judge_compare(const check_log *expected, const check_log *observed,
                   judge_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->expected = expected->n;
    strbuf msg = {0};
    for (size_t i = 0; i < expected->n; i++) {
        const check_record *e = &expected->rec[i];
        if (i == observed->n) {
            put_where(&msg, e);
            if (observed->corrupt) {
                sb_puts(&msg, ": the test's check records are malformed "
                              "from here on");
                set_outcome(out, JUDGE_CORRUPT, i, &msg);
            } else {
                sb_printf(&msg,
                          ": the test stopped before this check (%zu of %zu "
                          "checks done)",
                          i, expected->n);
                set_outcome(out, JUDGE_SHORT, i, &msg);
            }
            return;
        }
        put_where(&msg, e);
        if (!record_match(e, &observed->rec[i], &msg)) {
            set_outcome(out, JUDGE_MISMATCH, i, &msg);
            return;
        }
        sb_free(&msg);
    }
    if (observed->n > expected->n) {
        sb_printf(&msg,
                  "the test made %zu more checks than the reference run did "
                  "(%zu expected)",
                  observed->n - expected->n, expected->n);
        set_outcome(out, JUDGE_EXTRA, expected->n, &msg);
    } else if (observed->corrupt) {
        sb_puts(&msg, "the test's check records are malformed");
        set_outcome(out, JUDGE_CORRUPT, expected->n, &msg);
    } else if (!observed->ended) {
        sb_printf(&msg,
                  "all %zu checks matched, but the test body did not reach "
                  "its end",
                  expected->n);
        set_outcome(out, JUDGE_NO_END, expected->n, &msg);
    } else {
        set_outcome(out, JUDGE_MATCH, expected->n, &msg);
    }
}

void judge_gpu_work(const check_log *expected, const check_log *observed,
                    judge_outcome *out)
{
    if (expected->gpu_records == 0)
        return;
    strbuf msg = {0};
    sb_puts(&msg, "the result was not computed by a kernel: ");
    if (observed->gpu_records == 0)
        sb_puts(&msg, "no GPU runtime recorded any work in the test's process "
                      "(no kernel ran, or its record was suppressed)");
    else if (observed->gpu_records > 1)
        sb_printf(&msg,
                  "the test's process wrote %d records of the GPU's work "
                  "where the harness writes one (forged)",
                  observed->gpu_records);
    else if (expected->gpu_kernel_bytes > 0 && observed->gpu_kernel_bytes == 0)
        sb_printf(&msg,
                  "nothing a kernel wrote was copied back to the host (the "
                  "reference solution copies back %" PRIu64
                  " bytes of kernel output)",
                  expected->gpu_kernel_bytes);
    else if (expected->gpu_host_bytes == 0 && observed->gpu_host_bytes > 0)
        sb_printf(&msg,
                  "%" PRIu64 " bytes copied back from device memory were "
                  "written there by host code (cudaMemcpy to the device, "
                  "clEnqueueWriteBuffer), not by a kernel",
                  observed->gpu_host_bytes);
    else {
        sb_free(&msg);
        return;
    }
    free(out->message);
    out->message = NULL;
    set_outcome(out, JUDGE_MISMATCH, out->matched, &msg);
}

/* The device process and the host calls that write device memory, as
 * messages name them: the kind's words, or plain ones. */
static const char *process_name(const device_report_spec *spec)
{
    return spec && spec->process ? spec->process : "the device process";
}

static const char *host_write_calls(const device_report_spec *spec)
{
    return spec && spec->host_writes ? spec->host_writes
                                     : "copies and fills from the host";
}

/* Why observed's record of the GPU's work is forged (the harness writes one,
 * with the device's own numbers), or 0 when it is not. */
static int forged_gpu_record(const device_report *observed,
                             const check_log *log,
                             const device_report_spec *spec, strbuf *msg)
{
    const unsigned long long k = observed->count[DC_KERNEL_BYTES_TO_HOST],
                             h = observed->count[DC_HOST_BYTES_TO_HOST];
    if (log->gpu_records > 1) {
        sb_printf(msg,
                  "the test's process wrote %d records of the GPU's work "
                  "where the harness writes one (forged)",
                  log->gpu_records);
        return 1;
    }
    if (log->gpu_records == 1 &&
        (log->gpu_kernel_bytes != k || log->gpu_host_bytes != h)) {
        sb_printf(msg,
                  "the test's process recorded %" PRIu64
                  " bytes of kernel output and %" PRIu64
                  " host-written bytes copied back, but %s saw %llu and "
                  "%llu (a forged record)",
                  log->gpu_kernel_bytes, log->gpu_host_bytes,
                  process_name(spec), k, h);
        return 1;
    }
    return 0;
}

/* How many of the values a log's array checks observed the sample covers,
 * and how many of those are in it (device_report.h, the contract of
 * "kernel_words_sample"). */
typedef struct {
    size_t sampled, found;
} sample_cover;

static int word_order(const void *a, const void *b)
{
    const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static sample_cover cover_of(const check_log *log, const device_report *r)
{
    sample_cover c = {0, 0};
    const uint32_t threshold =
        r->sample_n == KERNEL_WORDS_SAMPLE_MAX
            ? kernel_word_hash(r->sample[r->sample_n - 1])
            : 0xffffffffU;
    size_t n = 0, cap = 0;
    uint32_t *words = NULL;
    for (size_t i = 0; i < log->n; i++) {
        const check_record *rec = &log->rec[i];
        if (rec->kind != CHECK_FLOATS && rec->kind != CHECK_FLOATS_TOL)
            continue;
        for (uint64_t j = 0; j < rec->n; j++) {
            uint32_t w;
            memcpy(&w, (const unsigned char *)rec->values + j * sizeof w,
                   sizeof w);
            if (kernel_word_hash(w) > threshold)
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                words = xreallocarray(words, cap, sizeof *words);
            }
            words[n++] = w;
        }
    }
    uint32_t sample[KERNEL_WORDS_SAMPLE_MAX];
    memcpy(sample, r->sample, r->sample_n * sizeof *sample);
    qsort(sample, r->sample_n, sizeof *sample, word_order);
    if (n > 0)
        qsort(words, n, sizeof *words, word_order);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && words[i] == words[i - 1])
            continue;
        c.sampled++;
        if (bsearch(&words[i], sample, r->sample_n, sizeof *sample, word_order))
            c.found++;
    }
    free(words);
    return c;
}

/* The sample rule: where the reference's checked values are kernel output
 * copied back (at least 90% of those the sample covers are in it), at least
 * half of the student's must be. Returns 1 with msg filled when they are
 * not. */
static int not_kernel_values(const device_report *expected,
                             const device_report *observed,
                             const check_log *expected_log,
                             const check_log *observed_log,
                             const device_report_spec *spec, strbuf *msg)
{
    if (expected_log == NULL)
        return 0;
    const sample_cover ref = cover_of(expected_log, expected);
    if (ref.sampled == 0 || 10 * ref.found < 9 * ref.sampled)
        return 0;
    const sample_cover got = cover_of(observed_log, observed);
    if (got.sampled == 0) {
        if (ref.sampled < 8)
            return 0;
        sb_printf(msg,
                  "none of the values the test checked is among the sample "
                  "of kernel output copied back that %s kept (the "
                  "reference: %zu of %zu)",
                  process_name(spec), ref.found, ref.sampled);
        return 1;
    }
    if (2 * got.found >= got.sampled)
        return 0;
    sb_printf(msg,
              "of the %zu values the test checked that the sample covers, "
              "%zu were written by a kernel and copied back (the reference: "
              "%zu of %zu)",
              got.sampled, got.found, ref.found, ref.sampled);
    return 1;
}

void judge_device_work(const device_report *expected,
                       const device_report *observed,
                       const check_log *expected_log,
                       const check_log *observed_log,
                       const device_report_spec *spec, judge_outcome *out)
{
    const unsigned long long ek = expected->count[DC_KERNEL_BYTES_TO_HOST],
                             eh = expected->count[DC_HOST_BYTES_TO_HOST],
                             ok = observed->count[DC_KERNEL_BYTES_TO_HOST],
                             oh = observed->count[DC_HOST_BYTES_TO_HOST];
    const unsigned long long allowed =
        spec ? (unsigned long long)((double)ek * spec->host_bytes_slack) : 0;
    strbuf msg = {0};
    sb_puts(&msg, "the result was not computed by a kernel: ");
    if (forged_gpu_record(observed, observed_log, spec, &msg)) {
        /* msg says why */
    } else if (ek > 0 && ok == 0) {
        sb_printf(&msg,
                  "nothing a kernel wrote was copied back to the host (the "
                  "reference solution copies back %llu bytes of kernel "
                  "output)",
                  ek);
    } else if (eh == 0 && oh > allowed) {
        sb_printf(&msg,
                  "%llu bytes copied back from device memory were written "
                  "there by host code (%s), not by a kernel",
                  oh, host_write_calls(spec));
    } else if (not_kernel_values(expected, observed, expected_log, observed_log,
                                 spec, &msg)) {
        /* msg says why */
    } else {
        sb_free(&msg);
        return;
    }
    free(out->message);
    out->message = NULL;
    set_outcome(out, JUDGE_MISMATCH, out->matched, &msg);
}

void judge_outcome_free(judge_outcome *out)
{
    free(out->message);
    out->message = NULL;
}

static size_t value_bytes(const check_record *r)
{
    switch (r->kind) {
    case CHECK_STR:
    case CHECK_BYTES: return (size_t)r->n;
    case CHECK_FLOATS:
    case CHECK_FLOATS_TOL: return (size_t)r->n * sizeof(float);
    default: return 0;
    }
}

static int records_differ(const check_record *a, const check_record *b)
{
    if (a->kind != b->kind || a->n != b->n || a->is_null != b->is_null ||
        a->i64 != b->i64 || a->u64 != b->u64 ||
        memcmp(&a->f64, &b->f64, sizeof a->f64) != 0)
        return 1;
    const size_t len = value_bytes(a);
    return len > 0 && memcmp(a->values, b->values, len) != 0;
}

int check_logs_differ(const check_log *a, const check_log *b)
{
    if (a->n != b->n)
        return 1;
    for (size_t i = 0; i < a->n; i++)
        if (records_differ(&a->rec[i], &b->rec[i]))
            return 1;
    return 0;
}

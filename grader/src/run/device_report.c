/* device_report.c: see device_report.h. */
#include "run/device_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/alloc.h"
#include "base/utf8.h"

enum { FAULT_SHOWN = 300 };
static const double LARGEST_COUNT = 9007199254740992.0; /* 2^53 */

/* Whether text[0..len) has nothing but blanks. */
static int only_blanks(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r\n", text[i]))
            return 0;
    return 1;
}

/* The member of doc called name, which must be there exactly once; NULL
 * (why) when it is missing or there twice. */
static const cJSON *only_member(const cJSON *doc, const char *name, strbuf *why)
{
    const cJSON *found = NULL;
    int seen = 0;
    for (const cJSON *f = doc->child; f; f = f->next)
        if (f->string && strcmp(f->string, name) == 0) {
            found = f;
            seen++;
        }
    if (seen != 1) {
        sb_printf(why, "\"%s\" %s", name,
                  seen ? "appears twice" : "is missing");
        return NULL;
    }
    return found;
}

/* Reads counter c from doc into out; -1 (why) when it is missing, twice
 * there or not a count. */
static int read_count(const cJSON *doc, device_counter c,
                      unsigned long long *out, strbuf *why)
{
    const char *name = device_counter_name(c);
    const cJSON *found = only_member(doc, name, why);
    if (found == NULL)
        return -1;
    const double v = found->valuedouble;
    if (!cJSON_IsNumber(found) || !isfinite(v) || v < 0 || v > LARGEST_COUNT ||
        v != floor(v)) {
        sb_printf(why, "\"%s\" is not a count (an integer in 0..2^53)", name);
        return -1;
    }
    *out = (unsigned long long)v;
    return 0;
}

uint32_t kernel_word_hash(uint32_t w)
{
    w ^= w >> 16;
    w *= 0x7feb352dU;
    w ^= w >> 15;
    w *= 0x846ca68bU;
    w ^= w >> 16;
    return w;
}

/* Reads "kernel_words_sample" from doc into out; -1 (why) when it is
 * missing, twice there, too long, or not words sorted by hash. */
static int read_sample(const cJSON *doc, device_report *out, strbuf *why)
{
    static const char name[] = "kernel_words_sample";
    const cJSON *found = only_member(doc, name, why);
    if (found == NULL)
        return -1;
    if (!cJSON_IsArray(found)) {
        sb_puts(why, "\"kernel_words_sample\" is not an array");
        return -1;
    }
    if (cJSON_GetArraySize(found) > KERNEL_WORDS_SAMPLE_MAX) {
        sb_printf(why, "\"kernel_words_sample\" has more than %d entries",
                  KERNEL_WORDS_SAMPLE_MAX);
        return -1;
    }
    size_t n = 0;
    for (const cJSON *e = found->child; e; e = e->next) {
        const double v = e->valuedouble;
        if (!cJSON_IsNumber(e) || !isfinite(v) || v < 0 || v > 4294967295.0 ||
            v != floor(v)) {
            sb_puts(why, "\"kernel_words_sample\" has an entry that is not "
                         "a word (an integer in 0..2^32-1)");
            return -1;
        }
        const uint32_t w = (uint32_t)v;
        if (n > 0 &&
            kernel_word_hash(w) <= kernel_word_hash(out->sample[n - 1])) {
            sb_puts(why, "\"kernel_words_sample\" is not sorted by hash "
                         "ascending with distinct entries");
            return -1;
        }
        out->sample[n++] = w;
    }
    out->sample_n = n;
    return 0;
}

static int read_fields(const cJSON *doc, device_report *out, strbuf *why)
{
    const cJSON *format =
        cJSON_GetObjectItemCaseSensitive(doc, "cudasim_device_report");
    if (!cJSON_IsNumber(format) || format->valuedouble != 1) {
        sb_puts(why, "\"cudasim_device_report\" is not 1 (another format, or "
                     "not a device report)");
        return -1;
    }
    for (int c = 0; c < DC_COUNT; c++)
        if (read_count(doc, (device_counter)c, &out->count[c], why) != 0)
            return -1;
    if (read_sample(doc, out, why) != 0)
        return -1;
    const cJSON *fault = cJSON_GetObjectItemCaseSensitive(doc, "fault");
    if (!cJSON_IsString(fault)) {
        sb_puts(why, "\"fault\" is missing or not a string");
        return -1;
    }
    out->fault = utf8_visible(fault->valuestring, FAULT_SHOWN);
    return 0;
}

int device_report_parse(const char *text, size_t len, size_t total,
                        device_report *out, strbuf *why)
{
    memset(out, 0, sizeof *out);
    if (total > len || len > DEVICE_REPORT_MAX) {
        sb_printf(why, "the report is larger than the limit of %d bytes",
                  DEVICE_REPORT_MAX);
        return -1;
    }
    if (len == 0 || only_blanks(text, len)) {
        sb_puts(why, "there is no report");
        return -1;
    }
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    int rc = -1;
    if (doc == NULL || !cJSON_IsObject(doc))
        sb_puts(why, "the report is not a JSON object");
    else if (end == NULL || end < text || (size_t)(end - text) > len ||
             !only_blanks(end, len - (size_t)(end - text)) ||
             memchr(text, '\n', (size_t)(end - text)) != NULL)
        sb_puts(why, "the report is not one line of JSON");
    else
        rc = read_fields(doc, out, why);
    cJSON_Delete(doc);
    if (rc != 0)
        device_report_free(out);
    return rc;
}

void device_report_free(device_report *r)
{
    free(r->fault);
    memset(r, 0, sizeof *r);
}

/* device_report.h: reading a device process's report.
 *
 * In judge mode a test of a kind with a device report (kind.h: cuda, the
 * CUDA simulator; opencl, cltrack in front of PoCL) gets, in its plain
 * (counted) run, the write end of a pipe named by the kind's variable
 * (CUDASIM_DEVICE_REPORT_FD, CLTRACK_DEVICE_REPORT_FD); the device process,
 * which holds device memory, runs the kernels and keeps their record,
 * writes one line of JSON there when the test process is gone
 * (hardware/cudasim/README.md, "Device process"; cltrack writes the same
 * format, with 0 for the counters OpenCL has no notion of):
 *
 *   {"cudasim_device_report": 1, "launches": N, "global_load_sectors": S,
 *    ... every counter of device_counters.h ...,
 *    "kernel_words_sample": [w, ...], "fault": "..."}
 *
 * The sample is a bottom-k sketch of the kernel's output that was copied
 * back: among the distinct 4-byte words (aligned, every byte of kernel
 * origin) copied back from device memory to the host, the 256 with the
 * smallest lowbias32 hashes, sorted by hash ascending. With fewer than 256
 * entries it holds every such word; with 256, every such word whose hash is
 * at most the last entry's.
 *
 * The numbers are totals over the whole process that no API call resets,
 * so they are what the kernels really did. The reader is strict: one JSON
 * object, the format number 1, every counter present once as an integer in
 * 0..2^53, the sample an array of at most 256 distinct integers in
 * 0..2^32-1 sorted by hash, "fault" a string; anything else is malformed and
 * its test fails with the reason (never a crash). */
#ifndef GRADER_DEVICE_REPORT_H
#define GRADER_DEVICE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "workbook/device_counters.h"

enum { DEVICE_REPORT_MAX = 16384 };     /* bytes of a report, at most */
enum { KERNEL_WORDS_SAMPLE_MAX = 256 }; /* the sketch's k */

typedef struct {
    unsigned long long count[DC_COUNT];       /* by device_counter */
    uint32_t sample[KERNEL_WORDS_SAMPLE_MAX]; /* "kernel_words_sample" */
    size_t sample_n;
    char *fault; /* the last kernel fault ("" when none): valid UTF-8 on one
                    line, at most 300 bytes */
} device_report;

/* Parses text[0..len) (total: how many bytes were written in all, which
 * may be more than len when the reader stopped at its cap). Returns 0 (out
 * filled: device_report_free), or -1 with a one-line reason in why (out
 * left empty). */
int device_report_parse(const char *text, size_t len, size_t total,
                        device_report *out, strbuf *why);
void device_report_free(device_report *r);

/* The sample's hash of a 32-bit word ("lowbias32", a bijection): the same
 * in the device processes. */
uint32_t kernel_word_hash(uint32_t w);

#endif

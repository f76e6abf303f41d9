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
 *    ... every counter of device_counters.h ..., "fault": "..."}
 *
 * The numbers are totals over the whole process that no API call resets,
 * so they are what the kernels really did. The reader is strict: one JSON
 * object, the format number 1, every counter present once as an integer in
 * 0..2^53, "fault" a string; anything else is malformed and its test
 * fails with the reason (never a crash). */
#ifndef GRADER_DEVICE_REPORT_H
#define GRADER_DEVICE_REPORT_H

#include <stddef.h>

#include "base/strbuf.h"
#include "workbook/device_counters.h"

enum { DEVICE_REPORT_MAX = 16384 }; /* bytes of a report, at most */

typedef struct {
    unsigned long long count[DC_COUNT]; /* by device_counter */
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

#endif

/* device_report.h: the OpenCL device process's totals over the whole run
 * and the report it writes from them, in the format of the CUDA
 * simulator's device report (hardware/cudasim/README.md, "Device process";
 * the grader reads both with grader/src/run/device_report.c).
 *
 * The totals live in one page shared by the device process and the
 * per-client processes it forks; it is read-only except while one of them
 * adds to it, and no kernel runs then. Only the device side uses this. */
#ifndef CLTRACK_DEVICE_REPORT_H
#define CLTRACK_DEVICE_REPORT_H

#include <stddef.h>
#include <stdint.h>

enum report_total {
    TOTAL_LAUNCHES,
    TOTAL_HOST_TO_DEVICE, /* bytes written by the host */
    TOTAL_DEVICE_TO_HOST, /* bytes read back */
    TOTAL_DEVICE_TO_DEVICE,
    TOTAL_KERNEL_TO_HOST, /* bytes read back that a kernel wrote */
    TOTAL_HOST_TO_HOST,   /* bytes read back that the host wrote */
    TOTAL_COUNT
};

/* Maps the shared page (before the first client process is forked); 0 or
 * -1. */
int report_init(void);
void report_add(enum report_total which, uint64_t n);
/* Kernel-written words copied back, for the report's
 * "kernel_words_sample" (hardware/cudasim/src/kernel_words_sample.h). */
void report_sample(const uint32_t *words, size_t n);
/* The report's "fault": the last one wins. */
void report_fault(const char *msg);
/* One line of JSON on fd, then closes it. */
void report_write(int fd);

#endif

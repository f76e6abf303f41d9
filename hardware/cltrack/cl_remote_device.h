/* cl_remote_device.h: judge mode's OpenCL device process (see cl_remote.h
 * and hardware/README.md, "OpenCL device process").
 *
 * It accepts connections on listen_fd from the program that started it
 * (runner) and its descendants, serves each in a process of its own (a
 * fresh OpenCL device per test process, as a new process finds one), and
 * when the runner has ended and every client is done writes the report on
 * report_fd and exits. */
#ifndef CLTRACK_CL_REMOTE_DEVICE_H
#define CLTRACK_CL_REMOTE_DEVICE_H

#include <sys/types.h>

__attribute__((noreturn)) void
cl_remote_device_main(int report_fd, int listen_fd, pid_t runner);

/* Serves one host process's requests on fd until it closes (in the
 * process forked for it). */
__attribute__((noreturn)) void cl_remote_serve(int fd);

#endif

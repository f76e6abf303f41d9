/* report_protocol.h: reading the records a test writes through the harness
 * (exercises/common/llmlings_harness.c documents the format). */
#ifndef GRADER_REPORT_PROTOCOL_H
#define GRADER_REPORT_PROTOCOL_H

#include <stddef.h>

typedef struct {
    char *name;
    double value;
} metric;

typedef struct {
    int started;        /* "start" seen */
    int done;           /* "done" seen: the body returned normally */
    int nfails;         /* "fail" records */
    char *first_fail;   /* "file:line: message" of the first one */
    char *crash_signal; /* e.g. "SIGABRT", from "crash" */
    int sanitizer;      /* "sanitizer" seen */
    char *skip_reason;  /* from "skip" */
    metric *metrics;
    size_t nmetrics;
} test_report;

/* Parses records; unknown or malformed lines are ignored, so a corrupt file
 * reads as a test that never said "done". Strings are valid UTF-8. */
void report_parse(const char *text, size_t len, test_report *r);
void report_free(test_report *r);

#endif

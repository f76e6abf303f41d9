/* harness_records.h: reading the records a test writes through the harness
 * into its private record file (exercises/common/llmlings_harness.c
 * documents the format: start, done, fail, crash, sanitizer, skip, metric).
 * This is the one reader of that format. */
#ifndef GRADER_HARNESS_RECORDS_H
#define GRADER_HARNESS_RECORDS_H

#include <stddef.h>

typedef struct {
    char *name;
    double value;
} metric;

typedef struct {
    int started;        /* "start" seen */
    int done;           /* the harness's own "done": the body returned */
    int forged;         /* a "done" record the harness did not write */
    int nfails;         /* "fail" records */
    char *first_fail;   /* "file:line: message" of the first one */
    char *crash_signal; /* e.g. "SIGABRT", from "crash" */
    int sanitizer;      /* "sanitizer" seen */
    char *skip_reason;  /* from "skip" */
    metric *metrics;
    size_t nmetrics;
} harness_records;

/* Parses the records of test `test` ("suite/name"). The harness writes
 * "done <test> <nonce>" with the run's secret nonce: only that record sets
 * done; any other "done" record sets forged (student code can reach the
 * record file too). Unknown, malformed or cut-off lines are ignored, so a
 * corrupt file reads as a test that never said "done". Strings are valid
 * UTF-8; a metric is kept only with a name of 1-64 of [A-Za-z0-9_.-] and a
 * finite value (at most 64 metrics). */
void records_parse(const char *text, size_t len, const char *test,
                   const char *nonce, harness_records *r);
void records_free(harness_records *r);

#endif

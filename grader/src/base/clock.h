/* clock.h: one monotonic clock for every duration the grader measures. */
#ifndef GRADER_CLOCK_H
#define GRADER_CLOCK_H

/* Seconds on CLOCK_MONOTONIC (only differences mean anything). */
double monotonic_seconds(void);

#endif

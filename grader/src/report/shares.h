/* shares.h: an exercise's points split over its tests in whole
 * thousandths, so that the per-test points of every format (Gradescope,
 * Classroom, JUnit) add up exactly to the exercise's points and score. */
#ifndef GRADER_SHARES_H
#define GRADER_SHARES_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* max[i] sum exactly to total_max (the exercise's max_score, kept even
 * when it did not build) and score[i] to total_score (its score); a passed
 * test scores its whole share. n == 0 when the exercise lists no test:
 * formats then show one stand-in test that carries the whole maximum. */
typedef struct {
    long *max, *score;
    size_t n;
    long total_max, total_score;
} test_shares;

/* Fills s from one exercise of a results document; free with
 * test_shares_free. */
void test_shares_compute(const cJSON *ex, test_shares *s);
void test_shares_free(test_shares *s);

#endif

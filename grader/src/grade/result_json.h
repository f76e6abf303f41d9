/* result_json.h: one exercise's result as JSON (an element of the results
 * document's "exercises", grader/schema/results-v1.schema.json), and back:
 * the result cache stores results this way. */
#ifndef GRADER_RESULT_JSON_H
#define GRADER_RESULT_JSON_H

#include <cjson/cJSON.h>

#include "grade/results.h"

cJSON *exercise_result_to_json(const exercise_result *r);
/* Returns 0, or -1 if j is not a well-formed exercise result. */
int exercise_result_from_json(const cJSON *j, exercise_result *r);
/* Adds key: s made valid UTF-8 (nothing when s is NULL): every string of
 * the results document goes in this way. */
void json_add_text(cJSON *o, const char *key, const char *s);
/* Makes every string and member name below j valid UTF-8 without control
 * characters other than \n and \t (utf8.h) and every number finite
 * (NaN and infinities become 0, which cJSON would print as null): run on
 * every document just before it is printed. */
void json_make_safe(cJSON *j);
/* Scores are sums of fractions of points: rounded to 3 decimals to read. */
double round3(double x);

#endif

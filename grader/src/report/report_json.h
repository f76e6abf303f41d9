/* report_json.h: results as JSON, in the versioned format described by
 * grader/schema/results-v1.schema.json, and back (for the result cache). */
#ifndef GRADER_REPORT_JSON_H
#define GRADER_REPORT_JSON_H

#include <cjson/cJSON.h>

#include "grade/results.h"

#define RESULTS_SCHEMA "llmlings-results/1"
#define GRADER_VERSION "0.1.0"

typedef struct {
    const char *course_id;
    const char *course_title;
    const exercise_result *results;
    size_t n;
    cJSON *extra; /* optional members added at top level (taken over) */
} results_doc;

cJSON *exercise_result_to_json(const exercise_result *r);
/* Returns 0, or -1 if j is not a well-formed exercise result. */
int exercise_result_from_json(const cJSON *j, exercise_result *r);
/* The whole results document as pretty-printed text; caller frees. */
char *results_document_print(const results_doc *doc);

#endif

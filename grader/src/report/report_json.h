/* report_json.h: the results document: every exercise's result as JSON, in
 * the versioned format of grader/schema/results-v1.schema.json. */
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

/* The whole results document as pretty-printed text; caller frees. */
char *results_document_print(const results_doc *doc);

#endif

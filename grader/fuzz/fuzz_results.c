/* fuzz_results.c: libFuzzer target for a results document read back
 * (results_parse) and every exporter that writes it in another format:
 * whatever was read, each output is valid UTF-8, the JSON ones parse with
 * unique member names and finite numbers, and a refusal is one clean
 * line. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "report/formats.h"
#include "report/results_doc.h"

static void check_and_free(char *text, int is_json)
{
    if (text == NULL)
        return;
    if (is_json)
        fuzz_expect_json(text);
    else
        fuzz_expect_clean(text, 1);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *doc = NULL;
    strbuf err = {0};
    if (results_parse((const char *)data, size, &doc, &err) != 0) {
        fuzz_expect_clean(sb_str(&err), 0);
        sb_free(&err);
        return 0;
    }
    cJSON *copy = cJSON_Duplicate(doc, 1);
    check_and_free(json_text(copy), 1);
    cJSON_Delete(copy);
    check_and_free(format_gradescope(doc), 1);
    check_and_free(format_classroom(doc), 1);
    check_and_free(format_junit(doc), 0);
    check_and_free(format_summary(doc), 0);
    check_and_free(format_annotations(doc, NULL), 0);
    opencamp_opts oc = {"student", NULL, "1", NULL};
    check_and_free(format_opencamp(doc, &oc), 1);
    cJSON_Delete(doc);
    sb_free(&err);
    return 0;
}

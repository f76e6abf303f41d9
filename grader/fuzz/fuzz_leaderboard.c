/* fuzz_leaderboard.c: libFuzzer target for `grader leaderboard`: the input
 * is split at "\n@@\n" into a previous board and up to 16 results
 * documents (students s0, s1, ...), ranked and written as JSON, Markdown
 * and HTML. Each output is valid UTF-8 (the JSON one parses, unique
 * member names, finite numbers); skipped files say why in one clean line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "report/leaderboard.h"

static const char SEP[] = "\n@@\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    leaderboard lb = {0};
    lb.now = 1.8e9;
    for (int part = 0; part <= 16 && p <= end; part++) {
        const char *cut = memmem(p, (size_t)(end - p), SEP, sizeof SEP - 1);
        size_t len = cut ? (size_t)(cut - p) : (size_t)(end - p);
        if (part == 0) {
            lb_load_previous(&lb, p, len);
        } else {
            char file[32];
            snprintf(file, sizeof file, "in/s%d.json", part - 1);
            lb_add_text(&lb, file, p, len);
        }
        if (cut == NULL)
            break;
        p = cut + sizeof SEP - 1;
    }
    lb_rank(&lb);
    for (size_t i = 0; i < lb.nskipped; i++)
        fuzz_expect_clean(lb.skipped[i].reason, 0);
    char *json = lb_json(&lb), *md = lb_markdown(&lb),
         *html = lb_html(&lb, "T");
    fuzz_expect_json(json);
    fuzz_expect_clean(md, 1);
    fuzz_expect_clean(html, 1);
    free(json);
    free(md);
    free(html);
    lb_free(&lb);
    return 0;
}

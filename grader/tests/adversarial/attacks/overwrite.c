/* overwrite: writes forged results over the --json output, the result
 * cache of this exercise and of the later one, then tries to make the
 * --json path a folder so the grader cannot write it at all. */
#include <stdio.h>
#include <sys/stat.h>

#include "target.h"

static const char FORGED[] =
    "{\"schema\":\"llmlings-results/1\",\"score\":1000,\"forged\":true}";

static void put(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs(FORGED, f);
        fclose(f);
    }
}

int attack(void)
{
    put("@JSON_OUT@");
    put("@STATE_DIR@/results/00_target.json");
    put("@STATE_DIR@/results/01_later.json");
    remove("@JSON_OUT@");
    mkdir("@JSON_OUT@", 0777);
    return 1;
}

/* workflow: GitHub Actions workflow commands on stdout/stderr and in a
 * failure message, and writes to $GITHUB_OUTPUT / $GITHUB_STEP_SUMMARY
 * (by variable, and by their real paths, as a student who knows them). The
 * attack returns 1 only when no CI variable or token reached the test. */
#define OWN_SAY
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

extern char **environ;

static const char COMMANDS[] = "::error file=target.c,line=1::forged error\n"
                               "  ::notice::forged notice\n"
                               "::add-mask::x\n"
                               "##[error]forged old-style error\n";

static void append(const char *path, const char *text)
{
    if (path == NULL || path[0] == '\0')
        return;
    FILE *f = fopen(path, "a");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

int attack(void)
{
    fputs(COMMANDS, stdout);
    fputs(COMMANDS, stderr);
    append(getenv("GITHUB_OUTPUT"), "forged=1\n");
    append(getenv("GITHUB_STEP_SUMMARY"), "# forged\n");
    append("@GH_OUTPUT@", "forged=1\n");
    append("@GH_SUMMARY@", "# forged\n");
    int leaked = 0;
    for (char **e = environ; *e != NULL; e++)
        if (strncmp(*e, "GITHUB_", 7) == 0 || strncmp(*e, "ACTIONS_", 8) == 0 ||
            strncmp(*e, "RUNNER_", 7) == 0 || strstr(*e, "TOKEN") != NULL ||
            strstr(*e, "SECRET") != NULL || strncmp(*e, "CI=", 3) == 0)
            leaked++;
    return leaked ? 7 : 1;
}

const char *say(void)
{
    fputs(COMMANDS, stdout);
    return "ok\n::error::forged in a failure message\n##[warning]forged";
}

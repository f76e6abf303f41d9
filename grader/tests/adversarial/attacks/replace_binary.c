/* replace_binary: swaps the test binary for a script that reports every
 * later test as started and done. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target.h"

static const char SCRIPT[] =
    "#!/bin/sh\n"
    "for a in \"$@\"; do case $a in --filter=*) t=${a#--filter=};; esac; "
    "done\n"
    "printf 'start %s\\ndone %s\\n' \"$t\" \"$t\" >> \"$LL_REPORT_FILE\"\n"
    "exit 0\n";

int attack(void)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return 1;
    self[n] = '\0';
    if (unlink(self) != 0)
        return 1;
    FILE *f = fopen(self, "w");
    if (f == NULL)
        return 1;
    fputs(SCRIPT, f);
    fclose(f);
    chmod(self, 0755);
    return 1;
}

/* forge_report: finds the harness's report channel among its open file
 * descriptors, writes the record a finished test would write, and leaves
 * before the check can fail. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "target.h"

int attack(void)
{
    for (int fd = 3; fd < 256; fd++) {
        char link[64], path[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (n <= 0)
            continue;
        path[n] = '\0';
        const char *base = strrchr(path, '/');
        if (base && strcmp(base, "/report") == 0) {
            const char rec[] = "done target/b_attack\n";
            (void)!write(fd, rec, sizeof rec - 1);
        }
    }
    _exit(0);
}

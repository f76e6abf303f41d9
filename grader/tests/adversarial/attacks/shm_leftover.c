/* shm_leftover: leaves files in /dev/shm and /tmp (and a POSIX shared
 * memory object) after its test; answers honestly. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "target.h"

int attack(void)
{
    char path[128];
    snprintf(path, sizeof path, "/dev/shm/llmlings-adv-leftover-%d",
             (int)getpid());
    int fd = open(path, O_CREAT | O_WRONLY, 0666);
    if (fd >= 0)
        close(fd);
    snprintf(path, sizeof path, "/tmp/llmlings-adv-leftover-%d", (int)getpid());
    fd = open(path, O_CREAT | O_WRONLY, 0666);
    if (fd >= 0)
        close(fd);
    fd = shm_open("/llmlings-adv-leftover-shm", O_CREAT | O_RDWR, 0666);
    if (fd >= 0)
        close(fd);
    return 1;
}

/* bigfile: tries to write 10 GiB, first to /tmp (outside its folder), then
 * to its working directory. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "target.h"

static void fill(const char *path)
{
    static char chunk[1 << 20];
    memset(chunk, 'B', sizeof chunk);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    for (long i = 0; i < 10L * 1024; i++)
        if (write(fd, chunk, sizeof chunk) <= 0)
            break;
    close(fd);
}

int attack(void)
{
    fill("/tmp/llmlings-adversarial-bigfile");
    fill("big.bin");
    return 1;
}

/* stdout_1g: 1 GiB on stdout, then the right answer. */
#include <string.h>
#include <unistd.h>

#include "target.h"

static void flood(int fd)
{
    static char chunk[1 << 20];
    memset(chunk, 'A', sizeof chunk);
    for (int i = 0; i < 1024; i++) {
        size_t off = 0;
        while (off < sizeof chunk) {
            ssize_t w = write(fd, chunk + off, sizeof chunk - off);
            if (w <= 0)
                return;
            off += (size_t)w;
        }
    }
}

int attack(void)
{
    flood(1);
    return 1;
}

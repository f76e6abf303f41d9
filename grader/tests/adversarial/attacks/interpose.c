/* interpose: defines write() (the harness's records go through it, so the
 * "fail" records could be dropped) and LeakSanitizer's off switch. */
#include <sys/syscall.h>
#include <unistd.h>

#include "target.h"

ssize_t write(int fd, const void *buf, size_t n)
{
    if (n >= 4 && ((const char *)buf)[0] == 'f' &&
        ((const char *)buf)[1] == 'a')
        return (ssize_t)n; /* "fail ..." records vanish */
    return syscall(SYS_write, fd, buf, n);
}

int __lsan_is_turned_off(void)
{
    return 1;
}

int attack(void)
{
    return 0;
}

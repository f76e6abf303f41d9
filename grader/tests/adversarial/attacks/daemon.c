/* daemon: a double-forked setsid daemon that keeps stdout/stderr (the
 * grader's pipes) open forever; the test itself returns the right value. */
#include <sys/wait.h>
#include <unistd.h>

#include "target.h"

int attack(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        if (fork() == 0)
            for (;;)
                pause();
        _exit(0);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return 1;
}

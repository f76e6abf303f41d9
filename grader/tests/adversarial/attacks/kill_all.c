/* kill_all: SIGKILL to its parent and to every process it may signal
 * (kill(-1)): as an ordinary user without a sandbox that includes the
 * grader and the shell that started it. */
#include <signal.h>
#include <unistd.h>

#include "target.h"

int attack(void)
{
    kill(getppid(), SIGKILL);
    kill(-1, SIGKILL);
    return 1;
}

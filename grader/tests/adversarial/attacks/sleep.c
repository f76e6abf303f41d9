/* sleep: blocks for an hour. */
#include <unistd.h>

#include "target.h"

int attack(void)
{
    sleep(3600);
    return 1;
}

/* execlp: replaces the test process with a program that exits 0. */
#include <unistd.h>

#include "target.h"

int attack(void)
{
    execlp("true", "true", (char *)NULL);
    return 1;
}

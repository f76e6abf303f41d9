/* segv: a write through a NULL pointer. */
#include <stddef.h>

#include "target.h"

int attack(void)
{
    int *volatile p = NULL;
    *p = 1;
    return 1;
}

/* mallocbomb: allocates and touches memory until something stops it. */
#include <stdlib.h>
#include <string.h>

#include "target.h"

int attack(void)
{
    for (;;) {
        char *p = malloc(16 << 20);
        if (p != NULL)
            memset(p, 1, 16 << 20);
    }
}

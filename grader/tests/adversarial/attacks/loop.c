/* loop: never returns. */
#include "target.h"

int attack(void)
{
    volatile unsigned long n = 0;
    for (;;)
        n++;
}

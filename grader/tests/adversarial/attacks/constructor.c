/* constructor: code that runs before main (and before the harness). */
#include <stdlib.h>

#include "target.h"

static int ready;

__attribute__((constructor)) static void before_main(void)
{
    ready = 1;
    unsetenv("LL_REPORT_FILE");
}

int attack(void)
{
    return ready ? 0 : 0;
}

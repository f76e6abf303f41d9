/* abort: SIGABRT in the middle of the test. */
#include <stdlib.h>

#include "target.h"

int attack(void)
{
    abort();
}

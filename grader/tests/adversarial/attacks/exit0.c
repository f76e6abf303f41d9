/* exit0: ends the test process "successfully" before the check runs
 * (Criterion 2.4.1 reports such a test as PASSED). */
#include <stdlib.h>

#include "target.h"

int attack(void)
{
    exit(0);
}

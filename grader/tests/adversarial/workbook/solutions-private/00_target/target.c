/* target.c: the fixture's reference solution (judge mode's expectations).
 * ORGANIZER-SECRET-7f3a9c: no build or test of a submission may read this. */
#include "target.h"

int add(int a, int b)
{
    return a + b;
}

int sub(int a, int b)
{
    return a - b;
}

int attack(void)
{
    return 1;
}

const char *say(void)
{
    return "ok";
}

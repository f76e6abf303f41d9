/* later.c: the fixture's reference solution. ORGANIZER-SECRET-7f3a9c */
#include "later.h"

int mul(int a, int b)
{
    return a * b;
}

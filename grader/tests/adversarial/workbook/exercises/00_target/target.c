/* target.c: the honest baseline submission (the "starter" of the fixture).
 * add and say are right, sub is wrong on purpose, attack does nothing. */
#include "target.h"

int add(int a, int b)
{
    return a + b;
}

int sub(int a, int b)
{
    (void)b;
    return a; /* wrong on purpose: target/e_wrong must fail */
}

int attack(void)
{
    return 1;
}

const char *say(void)
{
    return "ok";
}

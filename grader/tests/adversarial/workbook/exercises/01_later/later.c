/* later.c: unsolved on purpose; 01_later must stay failed. */
#include "later.h"

int mul(int a, int b)
{
    return a + b; /* wrong */
}

/* control: no attack at all; proves the fixture itself grades as expected. */
#include "target.h"

int attack(void)
{
    return 1;
}

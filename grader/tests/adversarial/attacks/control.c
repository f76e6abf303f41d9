/* control: no attack (also 00_target's submission for the attacks on the
 * other exercises). */
#include "target.h"

int attack(void)
{
    return 1;
}

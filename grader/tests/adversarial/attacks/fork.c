/* fork: two processes return from the test body (the Known trap: fork in a
 * Criterion test hangs the runner). */
#include <unistd.h>

#include "target.h"

int attack(void)
{
    (void)fork();
    return 1;
}

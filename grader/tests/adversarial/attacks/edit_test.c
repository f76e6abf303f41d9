/* edit_test: a wrong attack() together with an edited test file
 * (edit_test.test_target.c) whose b_attack no longer checks anything. */
#include "target.h"

int attack(void)
{
    return 0;
}

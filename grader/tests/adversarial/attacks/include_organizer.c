/* include_organizer: includes the organizer's reference solution by its
 * absolute path (under other names) and answers with its sub(). */
#include "target.h"

#define add ref_add
#define sub ref_sub
#define attack ref_attack
#define say ref_say
#include "@WORKBOOK@/solutions-private/00_target/target.c"
#undef add
#undef sub
#undef attack
#undef say

int attack(void)
{
    return ref_sub(5, 3) == 2;
}

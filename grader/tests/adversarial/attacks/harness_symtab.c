/* harness_symtab: finds ll_test_end at run time through /proc/self/exe's
 * symbol table (no reference to the name in the object file), ends the
 * test as the harness would and leaves before the check can fail. */
#include "target.h"

int attack(void)
{
    adv_end_test("target", "b_attack");
    return 0;
}

/* Tests of the adversarial fixture. Order matters: a_before runs before the
 * attack, c_after, d_say and e_wrong after it, so an attack that leaks into
 * later tests (a forged report, a replaced binary) is seen. */
#include "llmlings.h"
#include "target.h"

LL_TEST(target, a_before)
{
    LL_CHECK_INT_EQ(add(2, 3), 5, "add(2, 3)");
}

LL_TEST(target, b_attack)
{
    (void)attack(); /* the student deleted the check */
}

LL_TEST(target, c_after)
{
    LL_CHECK_INT_EQ(add(-1, 1), 0, "add(-1, 1)");
}

LL_TEST(target, d_say)
{
    LL_CHECK_STR_EQ(say(), "ok", "say()");
}

LL_TEST(target, e_wrong)
{
    LL_CHECK_INT_EQ(sub(5, 3), 2, "sub(5, 3)");
}

/* Tests of the fixture's later exercise. */
#include "later.h"
#include "llmlings.h"

LL_TEST(later, mul)
{
    LL_CHECK_INT_EQ(mul(3, 4), 12, "mul(3, 4)");
}

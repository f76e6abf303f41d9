/* Tests for 00_hello. Students: read them, do not edit them. */
#include "hello.h"
#include "llmlings.h"

#include <string.h>

LL_TEST(hello, add_small_numbers)
{
    LL_CHECK_INT_EQ(add(2, 3), 5, "add(2, 3)");
    LL_CHECK_INT_EQ(add(-7, 7), 0, "add(-7, 7)");
}

LL_TEST(hello, greet_fits)
{
    char buf[32];
    size_t n = greet(buf, sizeof buf, "Ada");
    LL_CHECK_STR_EQ(buf, "Hello, Ada!", "greet(buf, 32, \"Ada\") wrote");
    LL_CHECK_UINT_EQ(n, strlen("Hello, Ada!"),
                     "greet(buf, 32, \"Ada\") returned");
}

LL_TEST(hello, greet_truncates_safely)
{
    char buf[8];
    memset(buf, 'x', sizeof buf);
    size_t n = greet(buf, 6, "Grace");
    LL_CHECK_STR_EQ(buf, "Hello", "greet(buf, 6, \"Grace\") wrote");
    LL_CHECK_UINT_EQ(n, strlen("Hello, Grace!"),
                     "greet(buf, 6, \"Grace\") returned (the full length)");
    LL_CHECK_INT_EQ(buf[6], 'x', "byte past cap (must stay untouched)");
}

/* Tests for 00_hello. Students: read them, do not edit them. */
#include "hello.h"
#include "llmlings.h"

#include <stdio.h>
#include <string.h>

LL_TEST(hello, add_small_numbers)
{
    LL_CHECK_INT_EQ(add(2, 3), 5, "add(2, 3)");
    LL_CHECK_INT_EQ(add(-7, 7), 0, "add(-7, 7)");
    const int a = (int)ll_rand_int(-100000, 100000);
    const int b = (int)ll_rand_int(-100000, 100000);
    char what[64];
    snprintf(what, sizeof what, "add(%d, %d)", a, b);
    LL_CHECK_INT_EQ(add(a, b), (long long)a + b, what);
}

/* Besides the fixed cases, each test draws a case of its own from the
 * grader's seeded generator (ll_rand_*): when it grades, the grader may pick
 * other numbers and names than the ones you see. */

/* A lowercase name of 1..max letters (max < cap). */
static void random_name(char *name, size_t cap, size_t max)
{
    const size_t len = (size_t)ll_rand_int(1, (long long)max);
    for (size_t i = 0; i < len && i + 1 < cap; i++)
        name[i] = (char)ll_rand_int('a', 'z');
    name[len < cap ? len : cap - 1] = '\0';
}

LL_TEST(hello, greet_fits)
{
    char buf[32];
    size_t n = greet(buf, sizeof buf, "Ada");
    LL_CHECK_STR_EQ(buf, "Hello, Ada!", "greet(buf, 32, \"Ada\") wrote");
    LL_CHECK_UINT_EQ(n, strlen("Hello, Ada!"),
                     "greet(buf, 32, \"Ada\") returned");

    char name[16], want[32], what[64];
    random_name(name, sizeof name, 15);
    n = greet(buf, sizeof buf, name);
    LL_ORACLE
    {
        snprintf(want, sizeof want, "Hello, %s!", name);
    }
    snprintf(what, sizeof what, "greet(buf, 32, \"%s\") wrote", name);
    LL_CHECK_STR_EQ(buf, want, what);
    snprintf(what, sizeof what, "greet(buf, 32, \"%s\") returned", name);
    LL_CHECK_UINT_EQ(n, strlen("Hello, !") + strlen(name), what);

    /* an empty name is still a name */
    n = greet(buf, sizeof buf, "");
    LL_CHECK_STR_EQ(buf, "Hello, !", "greet(buf, 32, \"\") wrote");
    LL_CHECK_UINT_EQ(n, strlen("Hello, !"), "greet(buf, 32, \"\") returned");
}

LL_TEST(hello, greet_truncates_safely)
{
    char buf[8];
    memset(buf, 'x', sizeof buf - 1);
    buf[sizeof buf - 1] = '\0'; /* a string even if greet forgets its NUL */
    size_t n = greet(buf, 6, "Grace");
    LL_CHECK_STR_EQ(buf, "Hello", "greet(buf, 6, \"Grace\") wrote");
    LL_CHECK_UINT_EQ(n, strlen("Hello, Grace!"),
                     "greet(buf, 6, \"Grace\") returned (the full length)");
    LL_CHECK_INT_EQ(buf[6], 'x', "byte past cap (must stay untouched)");

    /* the edges: "Hello, Ada!" is 11 characters, so it needs cap 12 */
    char edge[16] = {0};
    memset(edge, 'x', sizeof edge - 1);
    n = greet(edge, 11, "Ada");
    LL_CHECK_STR_EQ(edge, "Hello, Ada", "greet(buf, 11, \"Ada\") wrote");
    LL_CHECK_UINT_EQ(n, 11, "greet(buf, 11, \"Ada\") returned");
    LL_CHECK_INT_EQ(edge[11], 'x', "byte past cap (must stay untouched)");
    memset(edge, 'x', sizeof edge - 1);
    n = greet(edge, 12, "Ada");
    LL_CHECK_STR_EQ(edge, "Hello, Ada!", "greet(buf, 12, \"Ada\") wrote");
    LL_CHECK_UINT_EQ(n, 11, "greet(buf, 12, \"Ada\") returned");
    LL_CHECK_INT_EQ(edge[12], 'x', "byte past cap (must stay untouched)");

    /* cap 0: no room even for the NUL, so nothing is written */
    memset(buf, 'x', sizeof buf - 1);
    n = greet(buf, 0, "Ada");
    LL_CHECK_INT_EQ(buf[0], 'x',
                    "greet(buf, 0, \"Ada\"): buf[0] (cap 0: write nothing)");
    LL_CHECK_UINT_EQ(n, 11, "greet(buf, 0, \"Ada\") returned");

    /* a capacity the grader picks, from 1 to the whole buffer */
    char name[16], big[40], want[40], what[80];
    random_name(name, sizeof name, 12);
    const size_t cap = (size_t)ll_rand_int(1, 7);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0'; /* a string even if greet forgets its NUL */
    n = greet(big, cap, name);
    LL_ORACLE
    {
        snprintf(want, cap, "Hello, %s!", name);
    }
    snprintf(what, sizeof what, "greet(buf, %zu, \"%s\") wrote", cap, name);
    LL_CHECK_STR_EQ(big, want, what);
    snprintf(what, sizeof what, "greet(buf, %zu, \"%s\") returned", cap, name);
    LL_CHECK_UINT_EQ(n, strlen("Hello, !") + strlen(name), what);
    LL_CHECK_INT_EQ(big[cap], 'x', "byte past cap (must stay untouched)");
}

/* sigfpe: a real integer division by zero (UBSan would catch the plain
 * one first, so that check is switched off here) and, should the CPU not
 * trap, the signal raised by hand. */
#include <signal.h>

#include "target.h"

__attribute__((no_sanitize_undefined)) static int divide(int a, int b)
{
    return a / b;
}

int attack(void)
{
    volatile int zero = 0;
    int r = divide(1, zero);
    raise(SIGFPE);
    return r;
}

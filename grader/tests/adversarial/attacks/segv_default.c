/* segv_default: puts SIGSEGV back to its default action, as a library with
 * crash handlers of its own can leave it (LLVM inside PoCL does, when two
 * threads fault at once), then writes through a NULL pointer. No handler
 * in the test's process is left to report the crash: the test runner,
 * which sees its worker die, must. The action is set by the system call
 * itself: AddressSanitizer ignores signal() and sigaction() for SIGSEGV. */
#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "target.h"

/* The kernel's struct sigaction (not libc's): handler, flags, restorer,
 * mask. SIG_DFL needs no restorer. */
struct kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

/* Not instrumented, so that the store really faults (the sanitizers would
 * report it first, as in segv). */
__attribute__((no_sanitize_address, no_sanitize_undefined)) static void
store_null(void)
{
    int *volatile p = NULL;
    *p = 1;
}

int attack(void)
{
    const struct kernel_sigaction dfl = {SIG_DFL, 0, NULL, 0};
    syscall(SYS_rt_sigaction, SIGSEGV, &dfl, NULL, sizeof dfl.mask);
    store_null();
    return 1;
}

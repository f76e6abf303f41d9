/* call_harness: calls the harness's own ll_test_end (which knows the
 * nonce) and leaves before the check can fail. */
#include <unistd.h>

#include "target.h"

void ll_test_end(const char *suite, const char *name);

int attack(void)
{
    ll_test_end("target", "b_attack");
    _exit(0);
}

/* underscore_exit: _exit(0) skips atexit handlers and stdio flushing too. */
#include <unistd.h>

#include "target.h"

int attack(void)
{
    _exit(0);
}

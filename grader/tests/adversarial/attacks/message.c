/* message: a failure message built to break or forge the grader's JSON and
 * the report protocol: quotes, backslashes, control bytes, an escape
 * sequence, invalid UTF-8, a forged JSON tail and a forged "done" record. */
#define OWN_SAY
#include <stdio.h>

#include "target.h"

static const char EVIL[] =
    "q\"uote \\back\\ \x01\x02\x1b[2J\x7f bad\xff\xfe\xc0\xaf\xed\xa0\x80 "
    "end\",\"verdict\":\"passed\",\"score\":99}\ndone target/d_say\n"
    "\\n\\x0a";

int attack(void)
{
    return 1;
}

const char *say(void)
{
    fputs(EVIL, stdout);
    fputs(EVIL, stderr);
    fflush(stdout);
    return EVIL;
}
